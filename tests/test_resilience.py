"""The chapters survive unusual data; refresh survives being killed; secrets stay secret;
hostile text in the data never runs in a reader's browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import ROOT, event_row, write_events
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.book import charts
from analysis.run import refresh

PLACES = [("Mopti", "Ogossagou", "14.28", "-3.32"), ("Taoudénit", "Taoudeni", "22.68", "-3.98"),
          ("Kidal", "Kidal", "18.44", "1.41"), ("Bamako", "Bamako", "12.64", "-8.0")]
ACTORS = ["jnim", "fama", "acled:A New Armed Group", "dan_na_ambassagou"]


@st.composite
def unusual_datasets(draw) -> list[dict[str, str]]:
    """One to six events: years may be missing, actors new, tolls unknown, regions unusual."""
    count = draw(st.integers(1, 6))
    years = draw(st.lists(st.sampled_from([2012, 2015, 2019, 2024, 2025]), min_size=count,
                          max_size=count))
    rows = []
    for i, year in enumerate(years):
        region, place, lat, lon = draw(st.sampled_from(PLACES))
        toll = draw(st.sampled_from(["", "0", "12"]))
        day = f"{year}-0{draw(st.integers(1, 9))}-1{i % 9}"
        rows.append(event_row(
            event_id=f"X-{i}", date_start=day, date_end=day, admin1=region, location=place,
            latitude=lat, longitude=lon, admin2="", actor1=draw(st.sampled_from(ACTORS)),
            actor2=draw(st.sampled_from(["fama", "civilians", ""])), fatalities_best=toll,
            fatalities_low=toll, fatalities_high=toll))
    return rows


@pytest.mark.slow
@settings(max_examples=1, deadline=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=unusual_datasets())
def test_every_chapter_runs_on_unusual_data(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("unusual")
    events = write_events(folder / "events.csv", rows)
    notebooks = refresh.chapter_notebooks()
    failures = refresh.execute_all(notebooks, [folder / nb.name for nb in notebooks],
                                   {**refresh.DEFAULT_PARAMETERS, "events_path": str(events)})
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.slow
def test_a_chapter_says_when_there_is_too_little_data(tmp_path):
    events = write_events(tmp_path / "one.csv", [event_row(event_id="ONE-1")])
    out = tmp_path / "ihl.ipynb"
    failure = refresh.execute(paths.CHAPTERS / "ihl_classification.ipynb", out,
                              {**refresh.DEFAULT_PARAMETERS, "events_path": str(events)})
    assert failure is None
    assert charts.TOO_LITTLE in out.read_text(encoding="utf-8")


def copy_chapters(tmp_path: Path, names: tuple[str, ...] = ("index.ipynb", "history.ipynb")
                  ) -> list[Path]:
    (tmp_path / "chapters").mkdir()
    for name in names:
        shutil.copy2(paths.CHAPTERS / name, tmp_path / "chapters" / name)
    return refresh.chapter_notebooks(tmp_path / "chapters")


REFRESH_SCRIPT = """
import sys
from pathlib import Path
from analysis.run import refresh
folder = Path(sys.argv[1])
refresh.refresh(notebooks=refresh.chapter_notebooks(folder / "chapters"),
                staging=folder / "stage", headlines=folder / "headlines.json",
                report=folder / "what-changed.md")
print("done")
"""


@pytest.mark.slow
def test_a_killed_refresh_changes_nothing_and_the_next_run_succeeds(tmp_path):
    copies = copy_chapters(tmp_path)
    (tmp_path / "headlines.json").write_text("{}", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in copies}
    process = subprocess.Popen([sys.executable, "-c", REFRESH_SCRIPT, str(tmp_path)],
                               start_new_session=True, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    time.sleep(4)  # the chapters are executing
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert {p.name: p.read_bytes() for p in copies} == before
    assert (tmp_path / "headlines.json").read_text(encoding="utf-8") == "{}"
    result = subprocess.run([sys.executable, "-c", REFRESH_SCRIPT, str(tmp_path)],
                            capture_output=True, text=True, timeout=600)
    assert "done" in result.stdout, result.stderr[-2000:]
    assert json.loads((tmp_path / "headlines.json").read_text(encoding="utf-8"))["index"]


#: The environment variables the library reads, each documented in README.md. It needs no
#: credentials: ACLED exports are downloaded by the reader, and nothing calls an API.
DOCUMENTED_ENVIRONMENT = {"MALI_BOOK_ROOT", "MALI_BOOK_CACHE", "MALI_BOOK_HEADLINES",
                          "MALI_BOOK_BASEURL", "MALI_BOOK_SHARED"}


def test_the_library_reads_no_secret_and_only_documented_variables():
    """Secrets come from the environment only; this book reads none. Every variable the
    library reads (os.environ / os.getenv) is documented; none names a credential."""
    import ast

    read: set[str] = set()
    for file in (ROOT / "src" / "analysis").rglob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        constants = {node.targets[0].id: node.value.value for node in ast.walk(tree)
                     if isinstance(node, ast.Assign) and len(node.targets) == 1
                     and isinstance(node.targets[0], ast.Name)
                     and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call | ast.Subscript):
                continue
            text = ast.unparse(node)
            if "environ" not in text and "getenv" not in text:
                continue
            arguments = node.args if isinstance(node, ast.Call) else [node.slice]
            for argument in arguments[:1]:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    read.add(argument.value)
                elif isinstance(argument, ast.Name) and argument.id in constants:
                    read.add(constants[argument.id])
    assert read, "the scan found no variable at all: it is broken"
    assert read <= DOCUMENTED_ENVIRONMENT, read - DOCUMENTED_ENVIRONMENT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in read)
    assert not {n for n in read if re.search(r"PASSWORD|TOKEN|SECRET|KEY", n)}


HOSTILE = ['<script>document.title="PWNED-1"</script>',
           '<img src=x onerror="document.title=\'PWNED-2\'">',
           '<a href="javascript:document.title=\'PWNED-3\'">click</a>']


@pytest.mark.slow
def test_hostile_text_is_shown_as_text_in_a_real_browser(tmp_path):
    import pandas as pd

    from analysis import transforms

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed: run `make chromium`")
    table = pd.DataFrame({"year": [2019, 2020, 2021], "events": [1, 2, 3],
                          "event_type": HOSTILE})
    charts.use_book_renderer()
    chart = charts.bars_by_year(table, "events", colour="event_type")
    html_chart = chart._repr_mimebundle_()
    html_chart = (html_chart[0] if isinstance(html_chart, tuple) else html_chart)["text/html"]
    html_table = transforms.tally(table.assign(event_id=range(3), fatalities_best=pd.array(
        [1, 2, 3], dtype="Int64")), ["event_type"]).to_html()
    page = tmp_path / "page.html"
    shutil.copy(ROOT / "_static" / "vega-bundle.js", tmp_path / "vega-bundle.js")
    page.write_text("<html><head><title>SAFE</title><script src='vega-bundle.js'></script>"
                    f"</head><body>{html_table}{html_chart}</body></html>", encoding="utf-8")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=8000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    dom = result.stdout
    assert "<title>SAFE</title>" in dom and "PWNED" not in dom.split("<body")[0]
    assert 'class="marks"' in dom  # the chart was drawn
    assert "&lt;script&gt;" in dom  # the table shows the text, escaped
    assert "<img src=\"x\"" not in dom and "<img src=x" not in dom


@pytest.mark.slow
@pytest.mark.skipif((paths.SHARED / "data" / "ucdp" / "ucdp_ged_mali_v24_1.csv").exists(),
                    reason="every chapter runs on UCDP's real file (tests/test_real_ucdp.py)")
def test_the_scenarios_chapter_runs_unchanged_on_an_imported_ucdp_file(tmp_path):
    """The outlook's code is not tied to the curated data: it runs on a UCDP import (a
    constructed one, where UCDP's real file is not beside the book)."""
    from factories import UCDP_COLUMNS, ucdp_rows, write_csv

    from analysis.ingest.importers import import_file

    rows = []
    for month in range(36):
        for row in ucdp_rows(("best", "low", "high"))[:2]:
            day = f"{2022 + month // 12}-{1 + month % 12:02d}-15"
            rows.append({**row, "id": f"{month}{row['id']}", "date_start": day,
                         "date_end": day})
    source = write_csv(tmp_path / "ged.csv", rows, [*UCDP_COLUMNS, "best", "low", "high"])
    imported = tmp_path / "ucdp.csv"
    report = import_file(source, "ucdp", imported)
    assert report.imported == 72
    out = tmp_path / "scenarios.ipynb"
    failure = refresh.execute(paths.CHAPTERS / "scenarios.ipynb", out,
                              {**refresh.DEFAULT_PARAMETERS, "events_path": str(imported),
                               "start": "2022-01-01", "end": "2024-12-31"})
    assert failure is None, str(failure)
    text = out.read_text(encoding="utf-8")
    assert "mean_crps" in text and "outlook probability" in text
