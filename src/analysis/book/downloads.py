"""The dataset offered from the site: the events as CSV and Parquet, the Frictionless data
package, the release record and the citation file, written into ``_build/html/downloads/`` when
the book is built (a Sphinx extension), and the lines the *Data* page shows for them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths, study

FOLDER = "downloads"
#: The files offered, by name in the site, with what each holds.
FILES = {
    "events.csv": "the event table, UTF-8 CSV, one row per event (the schema in Data and methods)",
    "events.parquet": "the same table as Parquet, typed (dates, numbers, booleans)",
    "datapackage.json": "the Frictionless data package describing every table and column",
    "CHANGELOG.md": "the release record: what each release added, changed or removed",
    "CITATION.cff": "the citation file of the book and its data",
}


def dataset_citation(data_version: str, base_url: str = "") -> str:
    """A citation of the event dataset at one data version."""
    where = (base_url.rstrip("/") + f"/{FOLDER}/events.csv") if base_url else (
        f"{FOLDER}/events.csv in the book's site")
    return (f"{study.AUTHORS} ({study.YEAR}). {study.TITLE}: event dataset, data version "
            f"{data_version}, in {study.FULL_TITLE}, version {study.VERSION}. Licence "
            f"{study.LICENCE_TEXT} ({study.LICENCE_URL}). {where}")


def offered(prefix: str = "../") -> pd.DataFrame:
    """The downloads as a table for the *Data* page: file (a link), what it holds."""
    from html import escape

    rows = [{"file": f'<a href="{escape(prefix + FOLDER + "/" + name)}" download>{name}</a>',
             "what it holds": what} for name, what in FILES.items()]
    return pd.DataFrame(rows)


def write(target: Path) -> list[Path]:
    """Write the offered files into ``target`` (created); the files written."""
    from analysis.data import load_events

    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, source in (("events.csv", paths.EVENTS), ("datapackage.json",
                         paths.DATA / "datapackage.json"),
                         ("CHANGELOG.md", paths.DATA / "CHANGELOG.md"),
                         ("CITATION.cff", paths.ROOT / "CITATION.cff")):
        shutil.copyfile(source, target / name)
        written.append(target / name)
    load_events().to_parquet(target / "events.parquet", index=False)
    written.append(target / "events.parquet")
    return written


def setup(app: Any) -> dict[str, Any]:
    """Sphinx extension: the downloads in every HTML build."""

    def finished(app: Any, exception: Exception | None) -> None:
        if exception is None and app.builder.format == "html":
            write(Path(app.outdir) / FOLDER)

    app.connect("build-finished", finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
