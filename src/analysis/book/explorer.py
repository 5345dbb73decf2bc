"""The event explorer (``chapters/explorer.md``): the compact data file its page reads, made
from the validated events when the book is built, and the address of each event, for the
chapters to link to.

The page's script and style live beside this module (``explorer_assets/``). As a Sphinx
extension, this module copies them and writes the data into the built site's
``_static/explorer/``: not into the source ``_static/``, whose scripts Jupyter Book adds to
every page. The data are rewritten only when an input changed (a key in the file's first line).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import paths, study

if TYPE_CHECKING:
    import pandas as pd

#: The explorer's page, relative to the chapters folder.
PAGE = "explorer.html"
#: Where the explorer's files go in the built site.
SITE_FOLDER = Path("_static") / "explorer"
DATA_FILE = "explorer-data.js"
ASSETS = Path(__file__).with_name("explorer_assets")
#: The global the data file sets for the page's script.
GLOBAL = "MALI_EXPLORER"

#: Bands of reported deaths (``fatalities_best``): label, lowest, highest (None: no limit).
DEATH_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("none reported killed", 0, 0),
    ("1 to 9", 1, 9),
    ("10 to 24", 10, 24),
    ("25 to 99", 25, 99),
    ("100 or more", 100, None),
)
NO_TOLL = "toll not reported"
BAND_COLUMN = "deaths_band"


def event_address(event_id: str, prefix: str = "") -> str:
    """The explorer's address of one event, relative to the chapters folder
    (``explorer.html#MLI-2024-0022``); ``prefix`` leads there from elsewhere (``chapters/``
    from the site's root, or the site's address)."""
    return f"{prefix}{PAGE}#{event_id}"


def death_bands(events: pd.DataFrame) -> pd.Series:
    """Each event's band of reported deaths (``fatalities_best``; ``NO_TOLL`` when missing)."""
    import pandas as pd

    best = events["fatalities_best"]
    bands = pd.Series(NO_TOLL, index=events.index, dtype=object)
    for label, low, high in DEATH_BANDS:
        inside = best.ge(low) & (best.le(high) if high is not None else True)
        bands[inside.fillna(False).astype(bool)] = label
    return bands


def _cell(value: Any) -> Any:
    """One value as JSON: ISO days for dates, plain numbers and booleans, None when missing."""
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def records(events: pd.DataFrame) -> dict[str, list[Any]]:
    """The events as compact records: ``columns`` (every column of the table, then
    ``deaths_band``, see ``death_bands``) and ``rows``, one list of values per event, dates as
    ISO days and missing values as null."""
    table = events.assign(**{BAND_COLUMN: death_bands(events)})
    columns = list(table.columns)
    rows = [[_cell(v) for v in row] for row in table.astype(object).itertuples(index=False)]
    return {"columns": columns, "rows": rows}


def _source(entry: dict[str, str]) -> list[str]:
    """A source for a card: title, who published it, date, address, kind."""
    from analysis.book.provenance import PUBLISHER_FIELDS

    publisher = next((entry[f] for f in PUBLISHER_FIELDS if entry.get(f)), "") or entry.get(
        "author", "")
    def plain(text: str) -> str:  # BibTeX's braces and dashes as a reader sees them
        return text.replace("{", "").replace("}", "").replace("---", "—").replace("--", "–")

    return [plain(entry.get("title", "")), plain(publisher),
            entry.get("date") or entry.get("year", ""), entry.get("url", ""),
            entry.get("sourcetype", "")]


def citation(what: str, address: str, dataset_version: str) -> str:
    """A plain-text citation of something shown by the explorer (``what``: 'Event
    MLI-2024-0022'), naming the book's version and the data version."""
    return (f"{study.AUTHORS} ({study.YEAR}). {what}, in the event explorer of "
            f"{study.FULL_TITLE}, version {study.VERSION}. Data version {dataset_version}. "
            f"{address}")


def map_spec(outline: dict[str, Any], colours: dict[str, str]) -> dict[str, Any]:
    """The explorer's map (Vega-Lite): Mali's outline and the events of the named dataset
    ``points`` (``lon``, ``lat``, ``deaths``, ``type``, ``date``, ``place``, ``id``), sized by
    reported deaths, in the book's colours by event type; Mercator, fitted to the view."""
    from altair import SCHEMA_URL  # the Vega-Lite version the book's bundle draws

    return {
        "$schema": SCHEMA_URL,
        "width": "container", "height": 300, "autosize": {"type": "fit", "contains": "padding"},
        "projection": {"type": "mercator"},
        "layer": [
            {"data": {"values": outline["features"]},
             "mark": {"type": "geoshape", "fill": "#f4f1ea", "stroke": "#8c8c8c"}},
            {"data": {"name": "points"},
             "mark": {"type": "circle", "opacity": 0.7, "stroke": "#ffffff",
                      "strokeWidth": 0.5, "cursor": "pointer"},
             "encoding": {
                 "longitude": {"field": "lon", "type": "quantitative"},
                 "latitude": {"field": "lat", "type": "quantitative"},
                 "size": {"field": "deaths", "type": "quantitative", "legend": None,
                          "scale": {"type": "sqrt", "range": [10, 500], "zero": True}},
                 "color": {"field": "type", "type": "nominal", "legend": None,
                           "scale": {"domain": list(colours), "range": list(colours.values())}},
                 "tooltip": [{"field": "date", "title": "date"},
                             {"field": "place", "title": "place"},
                             {"field": "type", "title": "event type"},
                             {"field": "deaths", "title": "reported deaths"},
                             {"field": "id", "title": "event"}]}},
        ],
        "config": {"view": {"stroke": None}},
    }


def timeline_spec(colours: dict[str, str]) -> dict[str, Any]:
    """The explorer's timeline (Vega-Lite): events per month of the named dataset ``months``
    (``time``: the first day in milliseconds, UTC; ``type``), stacked by event type, with an
    interval selection ``brush`` on the time axis that sets the period."""
    from altair import SCHEMA_URL

    return {
        "$schema": SCHEMA_URL,
        "width": "container", "height": 110, "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"name": "months"},
        "params": [{"name": "brush", "select": {"type": "interval", "encodings": ["x"]}}],
        "mark": "bar",
        "encoding": {
            "x": {"timeUnit": "utcyearmonth", "field": "time", "type": "temporal", "title": None,
                  "axis": {"format": "%Y", "tickCount": "year", "labelOverlap": True}},
            "y": {"aggregate": "count", "type": "quantitative", "title": "events per month",
                  "axis": {"tickCount": 3}},
            "color": {"field": "type", "type": "nominal", "title": None,
                      "scale": {"domain": list(colours), "range": list(colours.values())},
                      "legend": {"orient": "bottom", "columns": 2, "symbolType": "square"}},
        },
        "config": {"view": {"stroke": None}, "axis": {"grid": False}},
    }


def to_vega(spec: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite spec compiled to Vega by the Vega-Lite version of the book's bundle, so the
    page does not compile it each time it opens."""
    import vl_convert

    from analysis.book.charts import vega_lite_version

    return vl_convert.vegalite_to_vega(spec, vl_version=vega_lite_version())


def payload(events: pd.DataFrame, actors: pd.DataFrame, lineage: pd.DataFrame,
            entries: dict[str, dict[str, str]], dataset_version: str, base_url: str = ""
            ) -> dict[str, Any]:
    """Everything the explorer's page reads: the events (``records``), each actor's name and
    short name (``actor_id``, ``name_en``, ``acronym``), each actor's predecessors through the
    lineage (``ihl.ancestors``), the sources the events cite (``source_ids``, from the
    bibliography ``entries``), the map and timeline (compiled to Vega), and the facts a citation
    needs."""
    from analysis import geography, ihl
    from analysis.book.charts import EVENT_TYPE_COLOURS
    from analysis.book.tables import short_names
    from analysis.cells import split_ids
    from analysis.schema import ADMIN1_REGIONS, EVENT_COLUMNS, GEO_PRECISION_MEANINGS

    short = short_names(actors)
    names = {a: [n, short.get(a, n)] for a, n in zip(actors["actor_id"], actors["name_en"],
                                                      strict=True)}
    cited = sorted({k for cell in events["source_ids"].dropna() for k in split_ids(cell)})
    page = (base_url.rstrip("/") + "/chapters/" if base_url else "") + PAGE
    first, last = events["date_start"].min(), events["date_start"].max()
    return {
        "meta": {
            "title": study.FULL_TITLE, "book_version": study.VERSION,
            "dataset_version": dataset_version, "events": len(events),
            "first_day": _cell(first), "last_day": _cell(last), "page": page,
            "columns": [c for c in EVENT_COLUMNS if c in events.columns],
            "cite_event": citation("Event {id}", "{address}", dataset_version),
            "cite_selection": citation("{count} events selected ({filters})", "{address}",
                                       dataset_version),
            "licence": f"Licence of the data: {study.LICENCE_TEXT} ({study.LICENCE_URL})",
        },
        "events": records(events),
        "actors": names,
        "lineage": ihl.ancestors(lineage),
        "sources": {key: _source(entries[key]) for key in cited if key in entries},
        "regions": sorted(ADMIN1_REGIONS),
        "types": list(EVENT_TYPE_COLOURS),
        "bands": [label for label, _, _ in DEATH_BANDS] + [NO_TOLL],
        "geo_precision": {str(k): v for k, v in GEO_PRECISION_MEANINGS.items()},
        "specs": {"map": to_vega(map_spec(geography.outline(), EVENT_TYPE_COLOURS)),
                  "timeline": to_vega(timeline_spec(EVENT_TYPE_COLOURS))},
    }


def script_text(data: dict[str, Any], key: str = "") -> str:
    """The data file: one script setting ``window.MALI_EXPLORER`` (a script, not JSON, so that
    the page works from ``file://``, where a browser refuses to fetch files)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"/* {key} */\nwindow.{GLOBAL} = {text};\n"


def _inputs() -> list[Path]:
    """What the data file is made from: the data, the bibliography, the outline, this code."""
    from analysis.geography import OUTLINE

    return [paths.EVENTS, paths.ACTORS, paths.DATA / "actor_lineage.csv", paths.REFERENCES,
            OUTLINE, *sorted(Path(__file__).parent.parent.rglob("*.py"))]


def inputs_key(base_url: str = "") -> str:
    """A hash of the inputs, the book's version and the site's address."""
    digest = hashlib.sha256(f"{study.VERSION}|{base_url}".encode())
    for file in _inputs():
        digest.update(paths.file_digest(file).encode("ascii"))
    return digest.hexdigest()[:24]


def book_payload(base_url: str = "") -> dict[str, Any]:
    """``payload`` for the book's own data, loaded and validated by the library."""
    from analysis.data import bibliography, load_actors, load_events, load_lineage

    return payload(load_events(), load_actors(), load_lineage(), bibliography(),
                   paths.dataset_version(paths.EVENTS), base_url)


def write_site_files(outdir: Path, base_url: str = "", data: dict[str, Any] | None = None
                     ) -> Path:
    """Copy the page's script and style into ``outdir/_static/explorer/`` and write the data
    file there (``data``, else the book's own, rewritten only when an input changed); the
    data file's path."""
    folder = outdir / SITE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for asset in sorted(ASSETS.iterdir()):
        if asset.is_file():
            shutil.copyfile(asset, folder / asset.name)
    target = folder / DATA_FILE
    if data is not None:
        paths.write_atomically(target, script_text(data, "explicit data"))
        target.chmod(0o644)
        return target
    key = inputs_key(base_url)
    if target.exists():
        with open(target, encoding="utf-8") as handle:
            if handle.readline().strip() == f"/* {key} */":
                return target
    paths.write_atomically(target, script_text(book_payload(base_url), key))
    target.chmod(0o644)  # a site file, readable by the web server
    return target


def setup(app: Any) -> dict[str, Any]:
    """Sphinx extension: the explorer's files in the built HTML site."""

    def write_files(app: Any, exception: Exception | None) -> None:
        if exception is None and app.builder.format == "html":
            write_site_files(Path(app.outdir), app.config.html_baseurl)

    app.connect("build-finished", write_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
