"""Shared fixtures. Tests keep their validated tables in a cache of their own, never in the
book's ``_build/cache`` (set before the library is imported)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("MALI_BOOK_CACHE", tempfile.mkdtemp(prefix="mali-book-test-cache-"))

import pytest
from factories import ROOT, alternative_events, build_book, copy_book, write_events


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


@pytest.fixture(scope="session")
def alternative_refresh(tmp_path_factory):
    """One refresh of copies of every chapter on a small alternative dataset, shared by the
    tests of refresh: (folder, the 'what changed' table, the refreshed notebooks)."""
    import json
    import shutil

    from analysis import paths
    from analysis.run import refresh

    folder = tmp_path_factory.mktemp("alternative")
    shutil.copytree(paths.CHAPTERS, folder / "chapters")
    copies = refresh.chapter_notebooks(folder / "chapters")
    headlines = folder / "headlines.json"
    headlines.write_text(json.dumps({"index": {"events": 666}}), encoding="utf-8")
    changes = refresh.refresh({"events_path": str(alternative_events(folder))}, notebooks=copies,
                              staging=folder / "stage", headlines=headlines,
                              report=folder / "what-changed.md")
    return folder, changes, copies
