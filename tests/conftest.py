"""Shared fixtures. Tests keep their validated tables in a cache of their own, never in the
book's ``_build/cache`` (set before the library is imported)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("MALI_BOOK_CACHE", tempfile.mkdtemp(prefix="mali-book-test-cache-"))

import pytest
from factories import ROOT, alternative_events, build_book, copy_book, write_events

from analysis import paths as _paths

#: UCDP's real GED file for Mali, shared beside the book (absent on other machines).
REAL_GED = _paths.SHARED / "data" / "ucdp" / "ucdp_ged_mali_v24_1.csv"


@pytest.fixture
def events_file(tmp_path: Path):
    """A function writing rows to a fresh CSV file in tmp_path."""

    def make(rows: list[dict[str, str]], name: str = "events.csv", **kwargs) -> Path:
        return write_events(tmp_path / name, rows, **kwargs)

    return make


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The book built once per test session from a copy of its sources: _build/html."""
    if not (ROOT / "_static" / "vega-bundle.js").exists():
        pytest.fail("_static/vega-bundle.js is missing: run `make vendor`")
    book = copy_book(tmp_path_factory.mktemp("book"))
    result = build_book(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return book / "_build" / "html"


@dataclass
class AlternativeRun:
    """A refresh of copies of every chapter on other data: where it ran, the 'what changed'
    table, the refreshed notebooks, and what the data hold (events, last month)."""

    folder: Path
    changes: object
    copies: list[Path]
    events: int
    last_month: str


@pytest.fixture(scope="session")
def alternative_refresh(tmp_path_factory) -> AlternativeRun:
    """One refresh of copies of every chapter on data other than the book's, shared by the
    tests of refresh: UCDP's real GED file for Mali, imported, when it is shared beside the book
    (so every chapter is also run on real data of another source), else a small constructed
    dataset."""
    import json
    import shutil

    import pandas as pd

    from analysis import paths
    from analysis.ingest.importers import as_csv_frame, convert, csv_text
    from analysis.run import refresh

    folder = tmp_path_factory.mktemp("alternative")
    shutil.copytree(paths.CHAPTERS, folder / "chapters")
    copies = refresh.chapter_notebooks(folder / "chapters")
    headlines = folder / "headlines.json"
    headlines.write_text(json.dumps({"index": {"events": 666}}), encoding="utf-8")
    if REAL_GED.exists():
        imported, _, _ = convert(REAL_GED, "ucdp")
        data = folder / "ucdp.csv"
        data.write_text(csv_text(as_csv_frame(imported)), encoding="utf-8")
    else:
        data = alternative_events(folder)
    table = pd.read_csv(data, usecols=["date_start"])
    changes = refresh.refresh({"events_path": str(data)}, notebooks=copies,
                              staging=folder / "stage", headlines=headlines,
                              report=folder / "what-changed.md")
    return AlternativeRun(folder, changes, copies, len(table),
                          str(table["date_start"].max())[:7])
