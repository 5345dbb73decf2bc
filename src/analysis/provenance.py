"""Provenance: the Frictionless data package, and the source line printed under every figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis import __version__, paths
from analysis.data import dataset_version
from analysis.schema import ACTOR_COLUMNS, SCHEMA_VERSION, table_schema

BOOK_TITLE = "Mali's Security Crisis since 2012: An Executable Book"


def datapackage() -> dict[str, Any]:
    """The Frictionless descriptor of ``data/``, generated from the schema module."""
    return {
        "name": "mali-conflict-events",
        "title": "Curated events of Mali's armed conflicts, 2012-2025",
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
        ],
    }


def source_line(events_path: str | Path | None = None, notebook: str = "") -> str:
    """'Source: ...' naming the dataset, its content hash, the book version and the notebook."""
    path = paths.resolve(events_path)
    own = path == paths.EVENTS
    name = "the book's curated event dataset" if own else f"events file {path.name}"
    where = f", chapter notebook {notebook}" if notebook else ""
    return (f"Source: {name} (version {dataset_version(path)}), {BOOK_TITLE} "
            f"v{__version__}{where}.")
