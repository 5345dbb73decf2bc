"""Tables for readers: actor names instead of ids, headers in words, no missing-value markers."""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable
from html import escape

import numpy as np
import pandas as pd

from analysis.book.explorer import event_address
from analysis.ihl import MALI

#: Parties the actor registry does not list under the id the engine gives them.
EXTRA_NAMES = {MALI: "Mali"}
MISSING = "–"


def short_names(actors: pd.DataFrame) -> dict[str, str]:
    """Each actor's short name for tables: its acronym if it has one, else its English name
    (``actor_id``, ``acronym``, ``name_en``)."""
    acronym = actors["acronym"].fillna("").astype(str).str.split(";").str[0].str.strip()
    name = acronym.where(acronym != "", actors["name_en"].astype(str))
    return {**dict(zip(actors["actor_id"], name, strict=True)), **EXTRA_NAMES}


def named(table: pd.DataFrame, actors: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``table`` with the actor ids in ``columns`` (a cell may hold several, ';'-separated)
    replaced by short names."""
    names = short_names(actors)
    out = table.copy()
    for column in columns:
        out[column] = out[column].map(
            lambda cell: cell if not isinstance(cell, str) else ", ".join(
                names.get(part, part) for part in cell.split(";") if part))
    return out


def header(name: object, headers: dict[str, str] | None = None) -> object:
    """A column or index name in words: ``headers``' word for it, else its underscores as
    spaces (an unnamed index stays unnamed)."""
    if name is None:
        return None
    return (headers or {}).get(str(name), str(name).replace("_", " "))


def for_readers(table: pd.DataFrame, headers: dict[str, str] | None = None) -> pd.DataFrame:
    """``table`` with headers in words (``headers``, else underscores as spaces) and missing
    values shown as a dash."""
    renamed = table.rename(columns=lambda c: header(c, headers))
    renamed.index.names = [header(n, headers) for n in renamed.index.names]
    return renamed.astype(object).where(renamed.notna(), MISSING)


def rate_ratio_text(rate_ratio: float, low: float, high: float) -> str:
    """'2.02 (1.08 to 3.79)', or a plain statement when the data are too few to estimate."""
    if pd.isna(rate_ratio):
        return "too few events"
    return f"{rate_ratio:.2f} ({low:.2f} to {high:.2f})"


def with_rate_ratios(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its ``rate_ratio``, ``low`` and ``high`` columns as one readable column,
    'rate ratio (95% interval)'."""
    text = [rate_ratio_text(r, lo, hi) for r, lo, hi in
            zip(table["rate_ratio"], table["low"], table["high"], strict=True)]
    return table.drop(columns=["rate_ratio", "low", "high"]).assign(
        **{"rate ratio (95% interval)": text})


FILTER_SCRIPT = """<script>
(function () {
  var box = document.getElementById("%(id)s-filter");
  var rows = document.querySelectorAll("#%(id)s tbody tr");
  var count = document.getElementById("%(id)s-count");
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var keep = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.style.display = keep ? "" : "none";
      if (keep) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " rows";
  });
})();
</script>"""


#: What may be an event id inside a cell's text (no trailing punctuation).
ID_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.:-]*[A-Za-z0-9])?")


def event_link(event_id: str) -> str:
    """One event id as a link to its card in the explorer (escaped HTML)."""
    return f'<a href="{escape(event_address(event_id))}">{escape(event_id)}</a>'


def event_links(text: str, event_ids: Collection[str]) -> str:
    """``text``, HTML-escaped, with every event id of ``event_ids`` in it a link to the
    event's card in the explorer (``explorer.event_address``)."""
    import html

    def link(match: re.Match[str]) -> str:
        token = match.group(0)
        if token not in event_ids:
            return token
        return event_link(token)

    return ID_TOKEN.sub(link, html.escape(text))


def filterable_html(table: pd.DataFrame, element_id: str, label: str = "Filter",
                    event_ids: Iterable[str] = (), markup: Iterable[str] = ()) -> str:
    """``table`` as an HTML table with a text box above it that keeps only the rows containing
    every word typed (offline: the script is inline, nothing is loaded), each row anchored by
    its first column (``#<element_id>-<value>``). Text is escaped, except in the ``markup``
    columns, whose cells are HTML the caller has escaped; the ids of ``event_ids`` found in
    the other cells link to their cards in the explorer."""
    import html

    known = frozenset(event_ids)
    raw = [column in set(markup) for column in table.columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    body = []
    for row in table.itertuples(index=False):
        anchor = html.escape(f"{element_id}-{row[0]}")
        cells = "".join(f"<td>{v if is_raw else event_links(str(v), known)}</td>"
                        for v, is_raw in zip(row, raw, strict=True))
        body.append(f'<tr id="{anchor}">{cells}</tr>')
    return (f'<label for="{element_id}-filter">{html.escape(label)}: </label>'
            f'<input id="{element_id}-filter" type="search">'
            f' <span id="{element_id}-count">{len(table)} of {len(table)} rows</span>'
            f'<div class="table-wrapper"><table id="{element_id}" class="table">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
            + FILTER_SCRIPT % {"id": element_id})


def percent(value: float) -> str:
    """A probability or share as a whole percentage, '<1%' or '>99%' rather than a rounded 0% or
    100% when it is not exactly 0 or 1."""
    if 0 < value < 0.005:
        return "<1%"
    if 0.995 < value < 1:
        return ">99%"
    return f"{value:.0%}"


def model_standing(summary: pd.DataFrame, model: str, best: str | None) -> str:
    """A sentence on ``model``'s place in a ``forecast.skill_table`` (``skill``, ``skill_low``,
    ``skill_high``, ``coverage_80``): its CRPS relative to the ``best`` benchmark's with its
    interval, and its 80% coverage; or why there is none to give."""
    if best is None or model not in summary.index or pd.isna(summary.loc[model, "skill"]):
        return "the backtest has too few forecasts to set the chosen model against a benchmark"
    row = summary.loc[model]
    ratio = rate_ratio_text(row["skill"], row["skill_low"], row["skill_high"])
    text = f"the chosen model scores {ratio} of the best benchmark's CRPS ({best})"
    if pd.notna(row["coverage_80"]):
        text += f", and its 80% intervals cover {percent(row['coverage_80'])} of outcomes"
    return text


#: The note under any table that shows a missing value.
MISSING_NOTE = f"{MISSING} no value: not reported, not known or not applicable."

#: Readers' headers for the columns the book's tables show most (any other header has its
#: underscores turned into spaces).
HEADERS = {
    "event_id": "event", "date_start": "date", "date_end": "last day", "admin1": "region",
    "admin2": "cercle", "actor1": "actor", "actor2": "target or opponent",
    "assoc_actors": "with", "fatalities_best": "deaths (best estimate)",
    "fatalities_low": "deaths (low)", "fatalities_high": "deaths (high)",
    "fatalities": "deaths", "source_ids": "sources", "party_a": "party", "party_b": "party",
    "ap2": "Protocol II", "q05": "5th percentile", "q25": "25th percentile", "q50": "median",
    "q75": "75th percentile", "q95": "95th percentile", "geo_precision": "place precision",
    "date_precision": "date precision", "civilian_targeting": "civilians targeted",
}
#: Columns whose cells hold actor ids (';'-separated), shown by the actors' short names.
ACTOR_COLUMNS = ("actor1", "actor2", "assoc_actors", "perpetrator", "party_a", "party_b")
#: Columns whose cells hold event ids (';'-separated), shown as links to the explorer's cards.
EVENT_ID_COLUMNS = ("event_id", "evidence_events", "matched_event_id")
#: Columns whose cells hold source keys, shown as links to the Sources page.
SOURCE_COLUMNS = ("source_ids", "sources", "evidence_sources")
SOURCES_PAGE = "sources.html"
#: The register's element id on the Sources page: a source's row is ``#src-<key>``.
SOURCE_ANCHOR = "src"


def source_links(cell: object, page: str = SOURCES_PAGE) -> str:
    """Source keys (';'-separated) as links to their rows of the Sources page (escaped HTML)."""
    if not isinstance(cell, str) or not cell:
        return MISSING
    return "; ".join(f'<a href="{page}#{SOURCE_ANCHOR}-{escape(k)}">{escape(k)}</a>'
                     for k in cell.split(";") if k.strip())


def cell_text(value: object) -> str:
    """One cell as a reader reads it (not yet escaped): a dash for a missing value, yes or no
    for a truth value, a day without its midnight for a date, numbers rounded to two decimals,
    anything else as text."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp | datetime.datetime):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d" if stamp == stamp.normalize() else "%Y-%m-%d %H:%M")
    if isinstance(value, float | np.floating):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _for_html(table: pd.DataFrame) -> pd.DataFrame:
    """The table's cells as escaped HTML text: actor ids as names, source keys as links, other
    cells as ``cell_text`` gives them; headers in readers' words."""
    from analysis.data import load_actors

    actor_columns = [c for c in table.columns if c in ACTOR_COLUMNS
                     and not pd.api.types.is_numeric_dtype(table[c].dtype)]
    if actor_columns:
        table = named(table, load_actors(), actor_columns)
    out = pd.DataFrame(index=table.index)
    for column in table.columns:
        shown = table[column]
        if column in SOURCE_COLUMNS:
            out[column] = shown.map(source_links)
            continue
        if column in EVENT_ID_COLUMNS:
            out[column] = shown.map(lambda c: MISSING if not isinstance(c, str) or not c else
                                    "; ".join(event_link(e) for e in c.split(";") if e))
            continue
        out[column] = shown.astype(object).map(lambda x: escape(cell_text(x)))
    out.columns = [header(c, HEADERS) for c in table.columns]
    if out.index.name in EVENT_ID_COLUMNS:
        out.index = pd.Index([event_link(e) for e in out.index], name=out.index.name)
    out.index.names = [header(n, HEADERS) for n in out.index.names]
    return out


def book_html(table: pd.DataFrame) -> str:
    """The book's one HTML table: headers in readers' words, actor names for ids, source keys
    linked to the Sources page, numbers rounded to two decimals, missing values as a dash with
    a note under the table, no row or text ever cut (the page's stylesheet wraps and
    scrolls)."""
    shown = _for_html(table)
    html = shown.to_html(escape=False, max_rows=None, max_cols=None, border=0,
                         classes="book-table", notebook=False)
    if (shown == MISSING).to_numpy().any():
        html += f'\n<p class="table-note">{MISSING_NOTE}</p>'
    return html


def use_book_tables() -> None:
    """Make every DataFrame a notebook shows use ``book_html`` (idempotent)."""
    pd.DataFrame._repr_html_ = lambda self: book_html(self)  # type: ignore[method-assign]
