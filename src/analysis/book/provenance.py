"""Provenance: the Frictionless data package, the source line printed under every figure, and
the register of the sources the data rows cite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths, study
from analysis.cells import split_ids
from analysis.schema import ACTOR_COLUMNS, SCHEMA_VERSION, TABLES, table_schema


def datapackage() -> dict[str, Any]:
    """The Frictionless descriptor of ``data/``, generated from the schema module."""
    return {
        "name": "mali-conflict-events",
        "title": "Curated events of Mali's armed conflicts since 2012",
        "version": SCHEMA_VERSION,
        "description": (
            "One row per event: violent events with 10 or more reported deaths, smaller "
            "events the book discusses, and strategic developments. Every row cites its "
            "sources by key in references.bib."
        ),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [
            {"title": "Published reports cited row by row (references.bib, column source_ids)"},
            {"title": "Mali's outline (boundaries/mali_outline.geojson): Natural Earth 1:50m "
                      "admin-0 boundaries, public domain, from the npm package world-atlas "
                      "2.0.2 (countries-50m.json, feature id 466), converted with "
                      "topojson-client 3.1.0 (topo2geo)",
             "path": "https://www.naturalearthdata.com/"},
        ],
        "resources": [
            {
                "name": "events",
                "path": "events.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": table_schema(),
            },
            {
                "name": "actors",
                "path": "actors.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": c, "type": "string"} for c in ACTOR_COLUMNS],
                    "primaryKey": ["actor_id"],
                    "missingValues": [""],
                },
            },
            *({"name": table.name, "path": table.file, "description": table.description,
               "profile": "tabular-data-resource", "format": "csv", "encoding": "utf-8",
               "schema": {"fields": [{"name": c, "type": "string",
                                      "constraints": {"required": c in table.required}}
                                     for c in table.columns],
                          "missingValues": [""]}}
              for table in TABLES.values()),
        ],
    }


def source_line(events_path: str | Path | None = None, notebook: str = "") -> str:
    """'Source: ...' naming the dataset, its content hash, the book version and the notebook."""
    path = paths.resolve(events_path)
    own = path == paths.EVENTS
    name = "the book's curated event dataset" if own else f"events file {path.name}"
    where = f", chapter notebook {notebook}" if notebook else ""
    return (f"Source: {name} (version {paths.dataset_version(path)}), {study.FULL_TITLE} "
            f"v{study.VERSION}{where}.")


#: The BibTeX fields that name where a source was published, most specific first.
PUBLISHER_FIELDS = ("journal", "institution", "publisher", "organization", "howpublished")


def source_register(entries: dict[str, dict[str, str]],
                    tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per bibliography entry: who, what, where, when, its address and its caveat,
    and which data tables cite it, with how many rows (through their ``source_ids``)."""
    rows = []
    for key, entry in sorted(entries.items()):
        publisher = next((entry[f] for f in PUBLISHER_FIELDS if entry.get(f)), "")
        rows.append({"key": key, "type": entry.get("sourcetype", ""),
                     "author": entry.get("author", "").strip("{}"),
                     "title": entry.get("title", ""), "published in": publisher,
                     "date": entry.get("date") or entry.get("year", ""),
                     "url": entry.get("url", ""), "consulted": entry.get("urldate", ""),
                     "note": entry.get("note", "")})
    register = pd.DataFrame(rows, columns=["key", "type", "author", "title", "published in",
                                           "date", "url", "consulted", "note"])
    counts = {name: table["source_ids"].dropna().map(split_ids).explode().value_counts()
              for name, table in tables.items()}
    register["cited by"] = [
        "; ".join(f"{name} ({int(c[key])} rows)" if c[key] > 1 else f"{name} (1 row)"
                  for name, c in counts.items() if key in c.index)
        for key in register["key"]]
    return register


def outlet(entry: dict[str, str]) -> str:
    """Who published a source, the original producer for a repost ('AFP (via Maliweb)' is
    AFP): the first publisher field, or the author when none is given."""
    name = next((entry[f] for f in PUBLISHER_FIELDS if entry.get(f)), "") or entry.get(
        "author", "")
    author = entry.get("author", "").strip("{}")
    if "(via" in author:  # the author field names the original producer of a repost
        name = author
    return name.split(" (via")[0].split(" (from")[0].strip().strip("{}")


def independent_sources(events: pd.DataFrame, entries: dict[str, dict[str, str]]) -> pd.Series:
    """Per event (``source_ids``), its independent sources: distinct outlets, a repost counting
    as its original; an event with one is a single-source event."""
    return events["source_ids"].map(
        lambda cell: len({outlet(entries.get(k, {})) or k for k in split_ids(cell)}))


def sourcing_by_year(events: pd.DataFrame, entries: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Per year (``date_start``, ``source_ids``): events, the median number of sources, the
    median number of independent sources (``independent_sources``), and the share of events
    resting on a single independent source."""
    independent = independent_sources(events, entries)
    cited = events["source_ids"].map(lambda cell: len(split_ids(cell)))
    table = pd.DataFrame({"year": events["date_start"].dt.year, "sources": cited,
                          "independent": independent})
    summary = table.groupby("year").agg(
        events=("sources", "size"), median_sources=("sources", "median"),
        median_independent_sources=("independent", "median"),
        single_source_share=("independent", lambda s: round(float((s == 1).mean()), 2)))
    return summary


def sources_by_type(events: pd.DataFrame, entries: dict[str, dict[str, str]]) -> pd.DataFrame:
    """The sources the events cite, by kind (``sourcetype`` in references.bib): how many, and
    in how many events they appear."""
    keys = events["source_ids"].map(split_ids).explode().dropna()
    kinds = keys.map(lambda k: entries.get(k, {}).get("sourcetype", "not typed"))
    table = pd.DataFrame({"key": keys, "kind": kinds, "event": keys.index})
    return table.groupby("kind").agg(sources=("key", "nunique"), events=("event", "nunique")
                                     ).sort_values("sources", ascending=False)


def register_html(register: pd.DataFrame) -> str:
    """The register as an HTML table whose addresses are links (all text escaped)."""
    return register.to_html(index=False, render_links=True, escape=True, na_rep="",
                            classes="source-register", border=0)


def register_summary(register: pd.DataFrame) -> pd.DataFrame:
    """How many sources the register holds, how many the events cite, and how many carry a
    caveat (a title reconstructed or not shown in the consulted copy)."""
    return pd.DataFrame({"sources": [
        len(register),
        int(register["cited by"].str.contains(r"(?:^|; )events \(", regex=True).sum()),
        int((register["cited by"] == "").sum()),
        int((register["note"] != "").sum()),
    ]}, index=["in references.bib", "cited by event rows", "cited by no data table",
               "with a caveat note"])


def latest_release(changelog: Path | None = None) -> str:
    """The first release section of the data's release record (``data/CHANGELOG.md``), as
    Markdown with its heading one level down, for the front page."""
    text = (changelog or paths.DATA / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = text.split("\n## ")
    if len(sections) < 2:
        return ""
    return "### " + sections[1].strip() + "\n"
