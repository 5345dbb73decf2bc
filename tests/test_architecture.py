"""The library's layout: layers that import only downwards, one home for the study's facts,
and the chapter context every notebook starts from."""

from __future__ import annotations

import ast
import re

import pandas as pd
import pytest
from factories import ROOT, event_row, write_events

from analysis import study

SRC = ROOT / "src" / "analysis"
#: Each layer may import the layers listed before it, never those after.
LAYERS = ("core", "ingest", "book", "run")


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS[1:] else "core"


def imported_modules(file) -> set[str]:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("analysis")}
    return found


def test_no_import_climbs_back_up_a_layer():
    modules = sorted(p for p in SRC.rglob("*.py"))
    assert len(modules) > 20
    climbing = []
    for file in modules:
        module = "analysis." + ".".join(file.relative_to(SRC).with_suffix("").parts)
        if file.name == "__main__.py":
            continue
        own = LAYERS.index(layer_of(module))
        for target in imported_modules(file):
            if LAYERS.index(layer_of(target)) > own:
                climbing.append(f"{module} imports {target}")
    assert not climbing, climbing


def test_the_layer_check_would_see_a_climbing_import(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("from analysis.run.cli import main\n", encoding="utf-8")
    assert LAYERS.index(layer_of(next(iter(imported_modules(bad))))) == LAYERS.index("run")


def test_the_command_line_only_parses_and_calls():
    """cli.py defines no logic of its own beyond argument handling: no pandas, no loops over
    data; every command calls a library function."""
    text = (SRC / "run" / "cli.py").read_text(encoding="utf-8")
    assert "import pandas" not in text and "merge(" not in text and ".iterrows" not in text


def test_the_period_end_has_one_home():
    pattern = re.compile(r"20\d\d-\d\d-\d\d")
    places = [*SRC.rglob("*.py"), ROOT / "Makefile"]
    typed = {p.name: pattern.findall(p.read_text(encoding="utf-8")) for p in places}
    assert not {n: d for n, d in typed.items() if any(x.startswith("2025-10") for x in d)}
    for notebook in (ROOT / "chapters").glob("*.ipynb"):
        import nbformat

        nb = nbformat.read(notebook, as_version=4)
        source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert not re.search(r'^end = "\d', source, re.M), notebook.name


@pytest.mark.parametrize(("last", "end", "expected"), [
    ("2025-10-28", "", "2025-10-31"),
    ("2024-02-03", "", "2024-02-29"),
    ("2024-02-03", "2023-06-30", "2023-06-30"),
])
def test_period_end_follows_the_data_unless_given(last, end, expected):
    events = pd.DataFrame({"date_start": pd.to_datetime(["2012-01-05", last])})
    assert study.period_end(events, end) == expected


def test_period_end_of_no_data_is_the_current_month():
    today = pd.Timestamp.today()
    end = pd.Timestamp(study.period_end(pd.DataFrame({"date_start": pd.to_datetime([])})))
    assert (end.year, end.month) == (today.year, today.month) and end.is_month_end


def test_version_comes_from_the_package_metadata():
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert declared == study.VERSION


def test_chapter_setup_returns_the_context(tmp_path):
    from analysis.book import chapter

    rows = [event_row(event_id="A-1", date_start="2013-03-02", date_end="2013-03-02"),
            event_row(event_id="A-2", date_start="2019-07-09", date_end="2019-07-09")]
    events = write_events(tmp_path / "e.csv", rows)
    ch = chapter.setup("history", str(events))
    assert (ch.start, ch.end) == (study.START, "2019-07-31")
    assert list(ch.events["event_id"]) == ["A-1", "A-2"]
    assert "events file e.csv" in ch.source and "history.ipynb" in ch.source
    assert ch.data_version in ch.source and ch.period == "January 2012 to July 2019"
    narrowed = chapter.setup("history", str(events), start="2014-01-01")
    assert list(narrowed.events["event_id"]) == ["A-2"]


def test_headline_writes_only_when_a_refresh_asks(tmp_path, monkeypatch):
    from analysis.book import chapter

    ch = chapter.Chapter("index", pd.DataFrame(), "", study.START, "2020-12-31")
    monkeypatch.delenv(chapter.HEADLINES_ENV, raising=False)
    ch.headline("events", 3)
    assert not list(tmp_path.iterdir())
    monkeypatch.setenv(chapter.HEADLINES_ENV, str(tmp_path))
    ch.headline("events", 3)
    assert (tmp_path / "index.json").read_text(encoding="utf-8").count('"events": 3') == 1
