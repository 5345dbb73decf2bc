"""The chapters: executed, parameterised, deterministic, and re-executable on other data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.errors import RefreshError
from analysis.run import refresh

#: Tests sharing a session fixture run on one worker under `pytest -n 2 --dist loadgroup`.
pytestmark = pytest.mark.xdist_group("refresh")


CHAPTERS = refresh.chapter_notebooks()


def test_toc_lists_existing_chapters():
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for c in toc["chapters"]]
    for file in files:
        assert list(paths.ROOT.glob(file + ".*")), f"{file} is listed in _toc.yml but missing"
    listed = {Path(f).name for f in files}
    assert {nb.stem for nb in CHAPTERS} <= listed
    assert len(CHAPTERS) >= 6


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.name)
def test_chapter_is_executed_and_clean(notebook):
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code, "a chapter has code"
    unexecuted = [i for i, c in enumerate(code) if c.execution_count is None]
    assert not unexecuted, f"unexecuted code cells {unexecuted}: run `make refresh`"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "cells were executed out of order"
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"], "warnings in outputs"
    text = nbformat.writes(nb)
    assert not re.search(r"0x[0-9a-f]{8,}", text), "a memory address makes outputs unstable"
    assert "altair-viz-" not in text, "random Altair ids make outputs unstable"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_the_standard_parameters(notebook):
    nb = nbformat.read(notebook, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in refresh.DEFAULT_PARAMETERS:
        assert re.search(rf"^{name}\s*=", tagged[0].source, re.M), name


def outputs_text(notebook: Path) -> str:
    nb = nbformat.read(notebook, as_version=4)
    return "\n".join(
        str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
        for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.slow
def test_refresh_on_alternative_data_promotes_every_chapter(alternative_refresh):
    run = alternative_refresh
    landing = outputs_text(run.folder / "chapters" / "index.ipynb")
    assert re.search(rf"events\s+({run.events}|{run.events:,})\b", landing), landing
    row = run.changes.set_index(["chapter", "headline"]).loc[("index", "events")]
    assert (row["before"], row["after"], bool(row["changed"])) == (666, run.events, True)
    assert json.loads((run.folder / "headlines.json").read_text())["index"]["events"] == run.events
    report = (run.folder / "what-changed.md").read_text()
    assert f"| index | events | 666 | {run.events} |" in report
    assert len(run.copies) == len(refresh.chapter_notebooks())
    for copy in run.copies:
        nb = nbformat.read(copy, as_version=4)
        assert "papermill" not in nb.metadata
        assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


@pytest.mark.slow
def test_the_period_follows_the_data_when_end_is_empty(alternative_refresh):
    """The 12-month outlook starts the month after the alternative data's last and ends eleven
    months later, whatever the study's default end (the old fixed end, October 2025, made the
    outlook of data ending in June 2025 reach October 2026)."""
    run = alternative_refresh
    last = pd.Period(run.last_month, "M")
    first, final, beyond = ((last + k).to_timestamp().strftime("%Y-%m-%d") for k in (1, 12, 13))
    outlook = outputs_text(run.folder / "chapters" / "scenarios.ipynb")
    assert first in outlook and final in outlook and beyond not in outlook


@pytest.mark.slow
def test_failed_refresh_leaves_every_notebook_untouched(tmp_path):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    for name in ("index.ipynb", "history.ipynb"):  # one that succeeds, one that fails
        shutil.copy2(paths.CHAPTERS / name, chapters / name)
    broken = chapters / "history.ipynb"
    nb = nbformat.read(broken, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure')"))
    nbformat.write(nb, broken)
    copies = refresh.chapter_notebooks(chapters)
    before = {p.name: p.read_bytes() for p in copies}
    headlines = tmp_path / "headlines.json"
    headlines.write_text("{}", encoding="utf-8")
    with pytest.raises(RefreshError) as caught:
        refresh.refresh({"start": "2013-01-01"}, notebooks=copies, staging=tmp_path / "stage",
                        headlines=headlines)
    message = str(caught.value)
    assert "history.ipynb" in message and "deliberate failure" in message
    assert "index.ipynb" not in message
    assert f"cell {len(nb.cells) - 1}" in message
    assert {p.name: p.read_bytes() for p in copies} == before
    assert headlines.read_text() == "{}"


def test_promote_restores_all_targets_when_a_replace_fails(tmp_path, monkeypatch):
    targets = [tmp_path / f"{name}.ipynb" for name in "abc"]
    staged = [tmp_path / f"new-{name}.ipynb" for name in "abc"]
    for target, new in zip(targets, staged, strict=True):
        target.write_text("old " + target.name)
        new.write_text("new " + target.name)
    real_replace = refresh.os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(refresh.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        refresh.promote(staged, targets, tmp_path / "backup")
    assert [t.read_text() for t in targets] == ["old " + t.name for t in targets]
    assert not list(tmp_path.glob(".*.incoming"))


def test_parallel_execution_reports_every_failure_in_notebook_order(tmp_path):
    sources = []
    for name, code in [("a", "1 + 1"), ("b", "raise ValueError('b fails')"), ("c", "2 + 2"),
                       ("d", "raise KeyError('d fails')")]:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        sources.append(tmp_path / f"{name}.ipynb")
        nbformat.write(nb, sources[-1])
    outputs = [tmp_path / "out" / p.name for p in sources]
    outputs[0].parent.mkdir()
    failures = refresh.execute_all(sources, outputs, {}, jobs=2)
    assert [f.notebook.name for f in failures] == ["b.ipynb", "d.ipynb"]
    assert "b fails" in failures[0].error and "d fails" in failures[1].error
    assert outputs[2].exists()


def test_a_failure_without_a_message_is_still_reported(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert False")])
    notebook = tmp_path / "silent.ipynb"
    nbformat.write(nb, notebook)
    failure = refresh.execute(notebook, tmp_path / "out.ipynb", {})
    assert failure is not None and failure.error.startswith("AssertionError")


@pytest.mark.parametrize("notebook", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_code_is_folded_and_outputs_shown(notebook):
    """Readers see prose and outputs; the code is one click away (hide-input), the parameters
    in a folded block (hide-cell), the headline bookkeeping removed."""
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    for cell in code:
        tags = set(cell.metadata.get("tags", []))
        if "parameters" in tags or "injected-parameters" in tags:
            assert "hide-cell" in tags
        else:
            assert tags & {"hide-input", "remove-cell"}, cell.source[:60]
