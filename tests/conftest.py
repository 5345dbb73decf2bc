"""Shared fixtures: small event tables written by the tests themselves."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.schema import EVENT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]


def event_row(**overrides: str) -> dict[str, str]:
    """One valid event row (text cells), with any column overridden."""
    row = {
        "event_id": "T-0001",
        "date_start": "2019-03-23",
        "date_end": "2019-03-23",
        "date_precision": "day",
        "admin1": "Mopti",
        "admin2": "Bankass",
        "location": "Ogossagou",
        "latitude": "14.28",
        "longitude": "-3.32",
        "geo_precision": "1",
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "actor1": "dan_na_ambassagou",
        "actor2": "civilians",
        "assoc_actors": "",
        "civilian_targeting": "true",
        "fatalities_best": "157",
        "fatalities_low": "130",
        "fatalities_high": "170",
        "source_ids": "rulac2025mali",
        "dataset": "curated",
        "source_event_id": "",
        "notes": "test row",
    }
    row.update(overrides)
    return row


def write_events(path: Path, rows: list[dict[str, str]], columns=EVENT_COLUMNS) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def events_file(tmp_path: Path):
    """A function writing rows to a fresh CSV file in tmp_path."""

    def make(rows: list[dict[str, str]], name: str = "events.csv", **kwargs) -> Path:
        return write_events(tmp_path / name, rows, **kwargs)

    return make


def events_frame(columns: list[str], rows: list[tuple], **constants: object):
    """A typed event DataFrame from tuples (for transform tests), with constant columns added."""
    import pandas as pd

    events = pd.DataFrame(rows, columns=columns).assign(**constants)
    events["date_start"] = pd.to_datetime(events["date_start"])
    events["fatalities_best"] = events["fatalities_best"].astype("Int64")
    return events


def copy_book(target: Path) -> Path:
    """A copy of the book's sources (not its data or code) in ``target``."""
    from analysis.figures import copy_sources

    return copy_sources(target)


def build_book(book: Path):
    """Build the HTML book strictly, as `make book` does; the completed process."""
    import subprocess
    import sys

    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    return subprocess.run([jupyter_book, "build", str(book), "--builder", "html", "-W", "-n",
                           "--keep-going"], capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The book built once per test session from a copy of its sources: _build/html."""
    if not (ROOT / "_static" / "vega-bundle.js").exists():
        pytest.fail("_static/vega-bundle.js is missing: run `make vendor`")
    book = copy_book(tmp_path_factory.mktemp("book"))
    result = build_book(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return book / "_build" / "html"
