"""Provenance: the Frictionless data package, the source line printed under every figure, and
the register of the sources the data rows cite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths, study
from analysis.book.tables import MISSING, SOURCE_ANCHOR, filterable_html
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


#: The anchor of a source's row in the register: ``sources.html#src-<key>``.
REGISTER_ANCHOR = SOURCE_ANCHOR

#: The register's look: long titles, addresses and keys wrap inside the page's width.
REGISTER_STYLE = f"""<style>
#{REGISTER_ANCHOR} {{width: 100%; font-size: 0.85em; table-layout: fixed}}
#{REGISTER_ANCHOR} th, #{REGISTER_ANCHOR} td {{vertical-align: top; white-space: normal;
  overflow-wrap: anywhere; text-align: left}}
#{REGISTER_ANCHOR} th:nth-child(1) {{width: 18%}} #{REGISTER_ANCHOR} th:nth-child(2) {{width: 12%}}
#{REGISTER_ANCHOR} th:nth-child(3) {{width: 42%}} #{REGISTER_ANCHOR} th:nth-child(4) {{width: 12%}}
#{REGISTER_ANCHOR} th:nth-child(5) {{width: 16%}}
#{REGISTER_ANCHOR} tr:target {{background: #fff3c4}}
#{REGISTER_ANCHOR}-filter {{width: min(24em, 100%)}}
</style>"""


def source_cell(row: pd.Series) -> str:
    """One source in words, as escaped HTML: author, title (a link to its address),
    where it was published (when not the author) and its caveat note (``author``, ``title``,
    ``url``, ``published in``, ``note``)."""
    import html

    title = html.escape(row["title"]) or "untitled"
    if row["url"]:
        title = f'<a href="{html.escape(row["url"], quote=True)}">{title}</a>'
    parts = [html.escape(row["author"]), title]
    if row["published in"] and row["published in"] != row["author"]:
        parts.append(f"<em>{html.escape(row['published in'])}</em>")
    note = f'<br><small>Note: {html.escape(row["note"])}</small>' if row["note"] else ""
    return ". ".join(p for p in parts if p) + note


def register_for_readers(register: pd.DataFrame) -> pd.DataFrame:
    """The register in five columns with headers in words: key, kind, the source (escaped
    HTML, see ``source_cell``), its date and the date it was consulted, and the tables citing
    it (a dash when none)."""
    import html

    dates = [html.escape(d) + (f"<br><small>consulted {html.escape(c)}</small>" if c else "")
             for d, c in zip(register["date"], register["consulted"], strict=True)]
    return pd.DataFrame({"Key": register["key"], "Kind": register["type"],
                         "Source": [source_cell(row) for _, row in register.iterrows()],
                         "Date": dates,
                         "Cited by": register["cited by"].replace("", MISSING)})


def register_html(register: pd.DataFrame) -> str:
    """The register as an HTML table for readers: each row anchored ``#src-<key>``, a box
    that filters the rows offline, titles linked to their addresses (all text escaped)."""
    return REGISTER_STYLE + filterable_html(
        register_for_readers(register), REGISTER_ANCHOR, "Find a source (key, title, outlet, "
        "year...)", markup=("Source", "Date"))


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


def sourcing_log(folder: Path | None = None) -> pd.DataFrame:
    """The search record of ``sourcing/``: per batch (a year, a span of years or a round), the
    queries logged (one a line of ``searches/<batch>.txt``) and the reference events searched
    for without success (``not_found.csv``, column ``batch``)."""
    folder = folder or paths.ROOT / "sourcing"
    queries = {f.stem: sum(1 for line in f.read_text(encoding="utf-8").splitlines()
                           if line.strip() and not line.startswith("#"))
               for f in sorted((folder / "searches").glob("*.txt"))}
    missing = pd.read_csv(folder / "not_found.csv", dtype=str, keep_default_na=False)
    not_found = missing.groupby("batch").size()
    table = pd.DataFrame({"queries": pd.Series(queries, dtype=int)})
    table["not found"] = not_found.reindex(table.index).fillna(0).astype(int)
    return table.rename_axis("batch")
