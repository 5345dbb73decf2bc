"""Builders shared by the tests: event rows and files, typed event tables, UCDP-shaped files,
and copies of the book. Tests import them from here (never from each other)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

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


def events_frame(columns: list[str], rows: list[tuple], **constants: object):
    """A typed event DataFrame from tuples (for transform tests), with constant columns added."""
    import pandas as pd

    events = pd.DataFrame(rows, columns=columns).assign(**constants)
    events["date_start"] = pd.to_datetime(events["date_start"])
    events["fatalities_best"] = events["fatalities_best"].astype("Int64")
    return events


def copy_book(target: Path) -> Path:
    """A copy of the book's sources (not its data or code) in ``target``."""
    from analysis.book.pdf import copy_sources

    return copy_sources(target)


def build_book(book: Path):
    """Build the HTML book strictly, as `make book` does; the completed process."""
    import subprocess
    import sys

    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    return subprocess.run([jupyter_book, "build", str(book), "--builder", "html", "-W", "-n",
                           "--keep-going"], capture_output=True, text=True, timeout=900)


UCDP_COLUMNS = ["id", "relid", "year", "type_of_violence", "conflict_name", "side_a", "side_b",
                "source_headline", "where_prec", "where_coordinates", "adm_1", "adm_2",
                "latitude", "longitude", "country", "date_prec", "date_start", "date_end"]


def ucdp_rows(deaths: tuple[str, str, str], date: str = "2019-09-30") -> list[dict[str, str]]:
    """Four GED rows: two good ones, one outside Mali, one with an unknown violence type."""
    best, low, high = deaths
    base = {"relid": "r", "year": "2019", "conflict_name": "Mali: Government", "where_prec": "1",
            "country": "Mali", "date_prec": "1", "date_start": date, "date_end": date}
    return [
        {**base, "id": "101", "type_of_violence": "1", "side_a": "Government of Mali",
         "side_b": "JNIM", "source_headline": "Attack on a camp", "where_coordinates":
         "Boulkessi", "adm_1": "Mopti region", "adm_2": "Douentza cercle", "latitude": "15.1",
         "longitude": "-1.33", best: "38", low: "25", high: "80"},
        {**base, "id": "102", "type_of_violence": "3", "side_a": "Some New Militia",
         "side_b": "Civilians", "source_headline": "Village attacked,\nhouses burned",
         "where_coordinates": "Ogossagou", "adm_1": "Mopti region", "adm_2": "Bankass cercle",
         "latitude": "14.28", "longitude": "-3.32", best: "157", low: "130", high: "170"},
        {**base, "id": "103", "type_of_violence": "1", "side_a": "Government of Niger",
         "side_b": "IS", "source_headline": "", "where_coordinates": "Tillabéri",
         "adm_1": "Tillaberi region", "adm_2": "", "country": "Niger", "latitude": "14.2",
         "longitude": "1.45", best: "10", low: "10", high: "10"},
        {**base, "id": "104", "type_of_violence": "9", "side_a": "Government of Mali",
         "side_b": "JNIM", "source_headline": "", "where_coordinates": "Gao", "adm_1":
         "Gao region", "adm_2": "", "latitude": "16.27", "longitude": "-0.04", best: "3",
         low: "3", high: "3"},
    ]


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str],
              trailing_comma: bool = False) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    text = out.getvalue()
    if trailing_comma:
        text = "\n".join(line + "," if line else line for line in text.split("\n"))
    path.write_text(text, encoding="utf-8")
    return path


def alternative_events(folder: Path) -> Path:
    """A small dataset unlike the book's: a few events across the period."""
    rows = [
        event_row(event_id="ALT-1", date_start="2012-01-17", date_end="2012-01-17",
                  event_type="Battles", sub_event_type="Armed clash", actor1="mnla",
                  actor2="fama", civilian_targeting="false", fatalities_best="12",
                  fatalities_low="", fatalities_high=""),
        event_row(event_id="ALT-2", date_start="2016-06-01", date_end="2016-06-01"),
        event_row(event_id="ALT-3", date_start="2023-02-10", date_end="2023-02-10",
                  event_type="Battles", sub_event_type="Armed clash", actor1="jnim",
                  actor2="fama", civilian_targeting="false", fatalities_best="31",
                  fatalities_low="", fatalities_high=""),
        event_row(event_id="ALT-4", date_start="2025-06-01", date_end="2025-06-01",
                  event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                  actor1="fama", actor2="civilians", fatalities_best="",
                  fatalities_low="", fatalities_high=""),
    ]
    return write_events(folder / "alternative.csv", rows)
