"""Tables for readers: actor names instead of ids, headers in words, no missing-value markers."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

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


def for_readers(table: pd.DataFrame, headers: dict[str, str] | None = None) -> pd.DataFrame:
    """``table`` with headers in words (``headers``, else underscores as spaces) and missing
    values shown as a dash."""
    renamed = table.rename(columns=lambda c: (headers or {}).get(c, str(c).replace("_", " ")))
    if renamed.index.name:
        renamed.index.name = (headers or {}).get(renamed.index.name,
                                                 renamed.index.name.replace("_", " "))
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


def filterable_html(table: pd.DataFrame, element_id: str, label: str = "Filter",
                    markup: Iterable[str] = ()) -> str:
    """``table`` as an HTML table with a text box above it that keeps only the rows containing
    every word typed (offline: the script is inline, nothing is loaded), each row anchored by
    its first column (``#<element_id>-<value>``). Text is escaped, except in the ``markup``
    columns, whose cells are HTML the caller has escaped."""
    import html

    raw = [column in set(markup) for column in table.columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    body = []
    for row in table.itertuples(index=False):
        anchor = html.escape(f"{element_id}-{row[0]}")
        cells = "".join(f"<td>{v if is_raw else html.escape(str(v))}</td>"
                        for v, is_raw in zip(row, raw, strict=True))
        body.append(f'<tr id="{anchor}">{cells}</tr>')
    return (f'<label for="{element_id}-filter">{html.escape(label)}: </label>'
            f'<input id="{element_id}-filter" type="search">'
            f' <span id="{element_id}-count">{len(table)} of {len(table)} rows</span>'
            f'<div class="table-wrapper"><table id="{element_id}" class="table">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
            + FILTER_SCRIPT % {"id": element_id})
