"""Charts: the book's Altair theme, its offline renderer, and one builder per kind of chart.

Every builder takes an aggregated table (see ``analysis.transforms``) and returns an
Altair chart. ``use_book_renderer()`` makes notebooks emit HTML that draws with the
Vega bundle shipped in ``_static/`` (no CDN) under a div id derived from the spec, so
re-executing a notebook reproduces its output byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from typing import Any

import altair as alt
import pandas as pd

from analysis.book.explorer import event_address
from analysis.schema import EVENT_TYPES

WIDTH = 560
HEIGHT = 280
FONT = "Helvetica, Arial, sans-serif"

#: One colour per event type, used across the book.
EVENT_TYPE_COLOURS = dict(zip(
    EVENT_TYPES,
    ("#b2182b", "#ef8a62", "#2166ac", "#67a9cf", "#999999", "#4d4d4d"),
    strict=True,
))


def book_theme() -> dict[str, Any]:
    """The shared look of every chart in the book."""
    return {
        "config": {
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "font": FONT,
            "title": {"anchor": "start", "fontSize": 14, "fontWeight": "bold"},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": False},
            "axisQuantitative": {"grid": True, "gridColor": "#e6e6e6"},
            "axisBand": {"grid": False},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom",
                       "columns": 3},
            "bar": {"discreteBandSize": {"band": 0.8}},
        }
    }


def _html_safe_json(value: Any) -> str:
    """JSON that cannot close the surrounding <script> element, whatever text the data hold."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chart_id(spec: dict[str, Any]) -> str:
    """A stable element id for a chart: a hash of its spec."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    return "vis-" + digest[:12]


def chart_html(spec: dict[str, Any], element_id: str | None = None) -> str:
    """HTML that draws ``spec`` with the page's own copy of vega-embed. A single or layered
    chart is drawn to the width of its container (a fixed width is kept as the most it takes),
    and a wrapped facet chart gets as many columns as fit, so charts fit a phone's screen; the
    exported files keep the fixed sizes."""
    element_id = element_id or chart_id(spec)
    return (
        f'<div id="{element_id}" class="book-chart"></div>\n'
        '<script type="text/javascript">\n'
        "(function () {\n"
        f"  var spec = {_html_safe_json(spec)};\n"
        f'  var el = document.getElementById("{element_id}");\n'
        "  function fail(err) { el.textContent = 'This chart could not be drawn: ' + err; "
        "console.error(err); }\n"
        "  var single = !(spec.facet || spec.hconcat || spec.vconcat || spec.concat "
        "|| spec.repeat);\n"
        "  function fit() {\n"
        "    var room = Math.min(el.clientWidth || window.innerWidth, window.innerWidth) - 10;\n"
        "    if (single) {\n"
        "      if (typeof spec.width === 'number') { el.style.maxWidth = (spec.width + 120) "
        "+ 'px'; }\n"
        "      spec.width = 'container';\n"
        "      spec.autosize = {type: 'fit-x', contains: 'padding'};\n"
        "    } else if (spec.facet && spec.columns && spec.spec && "
        "typeof spec.spec.width === 'number') {\n"
        "      spec.columns = Math.max(1, Math.min(spec.columns, "
        "Math.floor(room / (spec.spec.width + 70))));\n"
        "    } else if (spec.vconcat) {\n"
        "      spec.vconcat.forEach(function (part) {\n"
        "        if (typeof part.width === 'number' && part.width > room - 200) "
        "{ part.width = Math.max(120, room - 200); }\n"
        "      });\n"
        "    }\n"
        "  }\n"
        "  function draw() {\n"
        "    if (!window.vegaEmbed) { fail('the Vega library did not load'); return; }\n"
        "    fit();\n"
        '    window.vegaEmbed(el, spec, {renderer: "svg", actions: false}).catch(fail);\n'
        "  }\n"
        "  if (window.vegaEmbed) { draw(); } else { window.addEventListener('load', draw); }\n"
        "})();\n"
        "</script>"
    )


def book_renderer(spec: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Altair renderer: offline HTML for the book, the Vega-Lite spec for Jupyter front ends."""
    return {
        "text/html": chart_html(spec),
        f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.split('.')[0].lstrip('v')}+json": spec,
        "text/plain": f"<chart {chart_id(spec)}>",
    }


def use_book_renderer() -> None:
    """Register and enable the book's theme and renderer (idempotent)."""
    alt.theme.register("mali_book", enable=True)(book_theme)
    alt.renderers.register("mali_book", book_renderer)
    alt.renderers.enable("mali_book")


def vega_lite_version() -> str:
    """The Vega-Lite version the book draws with (Altair's, as major.minor): the one bundled
    into ``_static/vega-bundle.js``."""
    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def vega_bundle() -> str:
    """vega, vega-lite and vega-embed in one classic script, from vl-convert's own copies."""
    import vl_convert

    bundle = vl_convert.javascript_bundle(vl_version=vega_lite_version())
    # Wrapped in a function so its top-level names cannot clash with other scripts on the page.
    header = "/* vega, vega-lite, vega-embed bundled by vl-convert */\n"
    return header + "(function () {\n" + bundle + "\n})();\n"


TOO_LITTLE = "Too little data to draw this figure for the chosen data and period."

#: What a value column counts, in readers' words (axes and tooltips say which deaths).
LABELS = {"fatalities": "reported deaths (all sides)", "events": "events",
          "civilians killed": "civilians reported killed",
          "deaths not assigned": "deaths the sources do not assign"}


def label(value: str) -> str:
    """The readers' name of a value column."""
    return LABELS.get(value, value.replace("_", " "))


def has_data(chart: alt.TopLevelMixin) -> bool:
    """Whether any dataset of the chart holds at least one row."""
    spec = chart.to_dict()
    inline = [v for v in spec.get("datasets", {}).values()]
    return any(len(rows) for rows in inline)


def with_source(chart: alt.TopLevelMixin, title: str, source: str) -> alt.TopLevelMixin:
    """The chart with its title and, under it, the source line that travels with every export.

    A chart with no data is replaced by a short notice saying so, with the same title.
    """
    lines = textwrap.wrap(source, width=110)
    heading = alt.TitleParams(text=title, subtitle=lines, subtitleColor="#555",
                              subtitleFontSize=10)
    if not has_data(chart):
        notice = pd.DataFrame({"text": [TOO_LITTLE]})
        return alt.Chart(notice, title=heading).mark_text(fontSize=13, align="left").encode(
            text="text:N").properties(width=WIDTH, height=40)
    return chart.properties(title=heading)


def bars_by_year(table: pd.DataFrame, value: str, colour: str | None = None,
                 title: str = "") -> alt.Chart:
    """Stacked bars of ``value`` per year, coloured by ``colour`` (e.g. event_type)."""
    encoding: dict[str, Any] = {
        "x": alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap="parity")),
        "y": alt.Y(f"sum({value}):Q", title=label(value).capitalize()),
        "tooltip": [alt.Tooltip("year:O"), alt.Tooltip(f"sum({value}):Q", title=label(value))],
    }
    if colour:
        domain = [c for c in EVENT_TYPE_COLOURS if c in set(table[colour])]
        scale = (alt.Scale(domain=domain, range=[EVENT_TYPE_COLOURS[c] for c in domain])
                 if colour == "event_type" else alt.Undefined)
        encoding["color"] = alt.Color(f"{colour}:N", title=colour.replace("_", " "), scale=scale)
        encoding["tooltip"].insert(1, alt.Tooltip(f"{colour}:N"))
    return alt.Chart(table, title=title).mark_bar().encode(**encoding).properties(width=WIDTH)


def line_by_month(table: pd.DataFrame, value: str, title: str = "") -> alt.Chart:
    """A monthly series of ``value`` (a column of ``transforms.monthly``)."""
    return alt.Chart(table, title=title).mark_line(interpolate="step-after").encode(
        x=alt.X("month:T", title=None),
        y=alt.Y(f"{value}:Q", title=label(value).capitalize()),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"),
                 alt.Tooltip(f"{value}:Q", title=label(value))],
    ).properties(width=WIDTH)


def horizontal_bars(table: pd.DataFrame, label: str, value: str, colour: str | None = None,
                    title: str = "") -> alt.Chart:
    """Ranked horizontal bars, one per ``label``."""
    encoding: dict[str, Any] = {
        "y": alt.Y(f"{label}:N", sort="-x", title=None),
        "x": alt.X(f"{value}:Q", title=value.replace("_", " ").capitalize()),
        "tooltip": [alt.Tooltip(f"{label}:N"), alt.Tooltip(f"{value}:Q")],
    }
    if colour:
        encoding["color"] = alt.Color(f"{colour}:N", title=colour.replace("_", " "))
    return alt.Chart(table, title=title).mark_bar().encode(**encoding).properties(
        height=alt.Step(18))


def heatmap(table: pd.DataFrame, x: str, y: str, value: str, title: str = "") -> alt.Chart:
    """A grid of ``value`` by ``x`` and ``y`` (e.g. opponent by year)."""
    return alt.Chart(table, title=title).mark_rect().encode(
        x=alt.X(f"{x}:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap="parity")),
        y=alt.Y(f"{y}:N", title=None),
        color=alt.Color(f"{value}:Q", title=value.replace("_", " "),
                        scale=alt.Scale(scheme="orangered")),
        tooltip=[alt.Tooltip(f"{y}:N"), alt.Tooltip(f"{x}:O"),
                 alt.Tooltip(f"{value}:Q", format=".2~f")],
    ).properties(height=alt.Step(22))


def event_map(outline: dict[str, Any], places: pd.DataFrame, labels: pd.DataFrame,
              title: str = "") -> alt.LayerChart:
    """Mali's outline, a circle per place sized by events, and region names."""
    projection = "mercator"
    country = alt.Chart(alt.Data(values=outline["features"])).mark_geoshape(
        fill="#f4f1ea", stroke="#8c8c8c", strokeWidth=1).project(type=projection)
    points = alt.Chart(places).mark_circle(opacity=0.55, stroke="white", strokeWidth=0.5).encode(
        longitude="longitude:Q",
        latitude="latitude:Q",
        size=alt.Size("events:Q", title="events at the place",
                      scale=alt.Scale(range=[15, 600], zero=False)),
        color=alt.value("#b2182b"),
        tooltip=[alt.Tooltip("location:N"), alt.Tooltip("admin1:N", title="region"),
                 alt.Tooltip("events:Q"),
                 alt.Tooltip("fatalities:Q", title=label("fatalities"))],
    ).project(type=projection)
    names = alt.Chart(labels).mark_text(fontSize=11, fontWeight="bold", color="#333",
                                        dy=-8).encode(
        longitude="longitude:Q", latitude="latitude:Q", text="admin1:N",
    ).project(type=projection)
    return alt.layer(country, points, names, title=title).properties(width=WIDTH, height=WIDTH)


def phase_bands(phases: pd.DataFrame) -> alt.Chart:
    """Shaded bands on every other phase of the History chapter, on a time axis."""
    shaded = phases.iloc[1::2]
    return alt.Chart(shaded).mark_rect(color="#ebe7dd", opacity=0.7).encode(
        x=alt.X("start:T"), x2="end:T",
        tooltip=[alt.Tooltip("name:N", title="phase"), alt.Tooltip("start:T", title="from"),
                 alt.Tooltip("end:T", title="to")],
    )


def stacked_by_month(table: pd.DataFrame, value: str, colour: str,
                     phases: pd.DataFrame | None = None, title: str = "") -> alt.LayerChart:
    """Monthly stacked bars of ``value`` by ``colour``, over shaded phase bands."""
    scale = alt.Undefined
    if colour == "event_type":
        domain = [c for c in EVENT_TYPE_COLOURS if c in set(table[colour])]
        scale = alt.Scale(domain=domain, range=[EVENT_TYPE_COLOURS[c] for c in domain])
    bars = alt.Chart(table).mark_bar().encode(
        x=alt.X("month:T", title=None),
        y=alt.Y(f"sum({value}):Q", title=value.replace("_", " ").capitalize()),
        color=alt.Color(f"{colour}:N", title=colour.replace("_", " "), scale=scale),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip(f"{colour}:N"),
                 alt.Tooltip(f"sum({value}):Q", title=value)],
    )
    layers = [phase_bands(phases), bars] if phases is not None else [bars]
    return alt.layer(*layers, title=title).properties(width=WIDTH, height=HEIGHT)


def timeline_chart(table: pd.DataFrame, phases: pd.DataFrame | None = None,
                   title: str = "") -> alt.LayerChart:
    """Milestones and deadliest events on a time axis; hover for the label, toll and sources,
    click to open the event's card in the explorer (``event_id``)."""
    lanes = {"milestone": 0, "deadliest event": 1}
    data = table.assign(lane=table["kind"].map(lanes),
                        toll=table["fatalities_best"].astype("Float64"),
                        explorer=table["event_id"].map(event_address))
    points = alt.Chart(data).mark_point(filled=True, opacity=0.85, cursor="pointer").encode(
        x=alt.X("date_start:T", title=None),
        y=alt.Y("kind:N", title=None, sort=list(lanes)),
        shape=alt.Shape("kind:N", legend=None),
        size=alt.Size("toll:Q", title="reported deaths",
                      scale=alt.Scale(range=[60, 600], zero=False)),
        color=alt.Color("event_type:N", title="event type",
                        scale=alt.Scale(domain=list(EVENT_TYPE_COLOURS),
                                        range=list(EVENT_TYPE_COLOURS.values()))),
        tooltip=[alt.Tooltip("date_start:T", title="date", format="%d %B %Y"),
                 alt.Tooltip("label:N", title="event"), alt.Tooltip("location:N"),
                 alt.Tooltip("toll:Q", title="reported deaths"),
                 alt.Tooltip("source_ids:N", title="sources (keys)"),
                 alt.Tooltip("event_id:N", title="event (click to open its card)")],
        href=alt.Href("explorer:N"),
    )
    labels = alt.Chart(data[data["kind"] == "milestone"]).mark_text(
        angle=320, align="left", baseline="bottom", dx=4, dy=-6, fontSize=9, color="#333"
    ).encode(x="date_start:T", y=alt.Y("kind:N", sort=list(lanes)), text="label:N")
    layers = [phase_bands(phases), points, labels] if phases is not None else [points, labels]
    return alt.layer(*layers, title=title).properties(width=WIDTH, height=220)


def maps_by(outline: dict[str, Any], places: pd.DataFrame, facet: str, columns: int = 3,
            title: str = "") -> alt.FacetChart:
    """Small multiples: the event map once per value of ``facet`` (e.g. phase)."""
    size = 200
    country = alt.Chart(alt.Data(values=outline["features"])).mark_geoshape(
        fill="#f4f1ea", stroke="#8c8c8c").project(type="mercator").properties(
        width=size, height=size)
    points = alt.Chart().mark_circle(opacity=0.6, color="#b2182b").encode(
        longitude="longitude:Q", latitude="latitude:Q",
        size=alt.Size("events:Q", title="events at the place",
                      scale=alt.Scale(range=[10, 300], zero=False)),
        tooltip=[alt.Tooltip("location:N"), alt.Tooltip("events:Q"),
                 alt.Tooltip("fatalities:Q", title=label("fatalities"))],
    ).project(type="mercator")
    return alt.layer(country, points, data=places).properties(width=size, height=size).facet(
        facet=alt.Facet(f"{facet}:N", title=None, sort=list(dict.fromkeys(places[facet]))),
        columns=columns, title=title)


def lineage_chart(bars: pd.DataFrame, links: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """Each actor's active years as a bar; a link where one group merged into, split from,
    was renamed or succeeded by another (from ``transforms.lineage_layout``)."""
    y = alt.Y("row:O", axis=None)
    x = alt.X("start:T", title=None)
    spans = alt.Chart(bars).mark_bar(height=10, color="#9ecae1").encode(
        x=x, x2="end:T", y=y,
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("start:T", format="%Y-%m"),
                 alt.Tooltip("end:T", format="%Y-%m")],
    )
    # An invisible mark four years before the first start leaves room for the labels.
    room = pd.DataFrame({"start": [bars["start"].min() - pd.DateOffset(years=4)], "row": [0]})
    margin = alt.Chart(room).mark_point(opacity=0).encode(x=x, y=y)
    names = alt.Chart(bars).mark_text(align="right", dx=-4, fontSize=10).encode(
        x="start:T", y=y, text="name:N")
    edges = alt.Chart(links).mark_rule(strokeWidth=1.5).encode(
        x="date:T", y=alt.Y("from_row:O", axis=None), y2="to_row:O",
        color=alt.Color("relation:N", title="relation"),
        tooltip=[alt.Tooltip("from_name:N", title="from"), alt.Tooltip("relation:N"),
                 alt.Tooltip("to_name:N", title="to"), alt.Tooltip("date:T", format="%Y-%m-%d"),
                 alt.Tooltip("source_ids:N", title="sources")],
    )
    ends = alt.Chart(links).mark_point(filled=True, size=30).encode(
        x="date:T", y=alt.Y("to_row:O", axis=None), color="relation:N")
    return alt.layer(margin, spans, names, edges, ends, title=title).properties(
        width=WIDTH, height=alt.Step(16))


ROLE_COLOURS = {
    "signatory": "#1b7837", "mediator": "#2166ac", "guarantor": "#4393c3", "member": "#5aae61",
    "participant": "#a6dba0", "host": "#92c5de", "observer": "#d1e5f0", "sanctioned": "#f4a582",
    "excluded": "#b2182b", "withdrew": "#762a83",
}


def role_matrix(table: pd.DataFrame, title: str = "") -> alt.Chart:
    """Actors (rows) by process (columns), coloured by first role, labelled with all roles."""
    base = alt.Chart(table, title=title).encode(
        x=alt.X("process_label:N", title=None, axis=alt.Axis(labelAngle=-35, labelLimit=180),
                sort=alt.EncodingSortField("since", op="min")),
        y=alt.Y("actor:N", title=None),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("first_role:N", title="role",
                        scale=alt.Scale(domain=list(ROLE_COLOURS),
                                        range=list(ROLE_COLOURS.values()))),
        tooltip=[alt.Tooltip("actor:N"), alt.Tooltip("process_label:N", title="process"),
                 alt.Tooltip("roles:N"), alt.Tooltip("since:T", format="%d %B %Y"),
                 alt.Tooltip("sources:N")],
    )
    return cells.properties(width=alt.Step(70), height=alt.Step(16))


CLASSIFICATION_COLOURS = {
    "international armed conflict": "#67001f",
    "non-international armed conflict": "#d6604d",
    "below the threshold": "#fddbc7",
    "organization not established": "#d9d9d9",
    "not an armed conflict": "#f7f7f7",
}


def category_grid(table: pd.DataFrame, x: str, y: str, colour: str,
                  colours: dict[str, str], title: str = "",
                  x_order: list[str] | None = None) -> alt.Chart:
    """A grid of cells coloured by a category (e.g. classification by pair and year); the
    columns in ``x_order`` if given, else sorted."""
    return alt.Chart(table, title=title).mark_rect(stroke="white").encode(
        x=alt.X(f"{x}:O", title=None, sort=x_order or "ascending",
                axis=alt.Axis(labelAngle=0, labelLimit=0, labelOverlap="parity") if not x_order
                else
                alt.Axis(labelAngle=-90, labelLimit=0)),
        y=alt.Y(f"{y}:N", title=None),
        color=alt.Color(f"{colour}:N", title=colour.replace("_", " "),
                        scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        tooltip=[alt.Tooltip(f"{y}:N"), alt.Tooltip(f"{x}:O"), alt.Tooltip(f"{colour}:N"),
                 *([alt.Tooltip("reasons:N")] if "reasons" in table else [])],
    ).properties(height=alt.Step(16))


STATUS_COLOURS = {"met": "#b2182b", "not met": "#d1e5f0", "not observed": "#f0f0f0"}
SCENARIO_COLOURS = {"base": "#777777", "upside": "#2166ac", "downside": "#b2182b"}


def signpost_dashboard(evidence: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """Signposts (rows, grouped by the scenario they point to) by month (columns): met, not met
    or not observed, with the month's value rounded (``scenarios.monthly_evidence``)."""
    table = evidence.assign(
        row=evidence["signpost_id"] + " " + evidence["label"] + " (" + evidence["scenario"]
        + ")",
        shown=evidence["value"].map(lambda v: "" if pd.isna(v) else
                                    "∞" if v == float("inf") else f"{v:.0f}" if v >= 10
                                    else f"{v:.1f}".removesuffix(".0")),
        status=evidence["met"].map({True: "met", False: "not met"}).fillna("not observed"),
        when=evidence["month"].dt.strftime("%b %y"))
    order = list(dict.fromkeys(table.sort_values("month")["when"]))
    base = alt.Chart(table, title=title).encode(
        x=alt.X("when:O", title=None, sort=order, axis=alt.Axis(labelAngle=-90, orient="top")),
        y=alt.Y("row:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=list(STATUS_COLOURS),
                                        range=list(STATUS_COLOURS.values()))),
        tooltip=[alt.Tooltip("label:N", title="signpost"),
                 alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("shown:N", title="value"),
                 alt.Tooltip("status:N")],
    )
    values = base.mark_text(fontSize=9).encode(text="shown:N")
    return alt.layer(cells, values).properties(width=alt.Step(26), height=alt.Step(20))


def scenario_path(path: pd.DataFrame, title: str = "") -> alt.Chart:
    """The probability of each scenario month by month (``scenarios.update``), the first point
    being the prior."""
    return alt.Chart(path, title=title).mark_line(point=True).encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y")),
        y=alt.Y("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=alt.Color("scenario:N", title=None,
                        scale=alt.Scale(domain=list(SCENARIO_COLOURS),
                                        range=list(SCENARIO_COLOURS.values()))),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("scenario:N"),
                 alt.Tooltip("probability:Q", format=".0%")],
    ).properties(width=WIDTH, height=HEIGHT)


def fan_chart(history: pd.DataFrame, fan: pd.DataFrame, value: str, title: str = ""
              ) -> alt.LayerChart:
    """Observed monthly values, then the forecast's 90% and 50% bands and its median."""
    x = alt.X("month:T", title=None)
    observed = alt.Chart(history).mark_line(color="#333").encode(
        x=x, y=alt.Y(f"{value}:Q", title=value.capitalize()),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip(f"{value}:Q")])
    outer = alt.Chart(fan).mark_area(opacity=0.25, color="#b2182b").encode(
        x=x, y="q05:Q", y2="q95:Q",
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("q05:Q", format=".0f"),
                 alt.Tooltip("q50:Q", format=".0f"), alt.Tooltip("q95:Q", format=".0f")])
    inner = alt.Chart(fan).mark_area(opacity=0.45, color="#b2182b").encode(
        x=x, y="q25:Q", y2="q75:Q")
    median = alt.Chart(fan).mark_line(color="#b2182b", strokeDash=[4, 2]).encode(x=x, y="q50:Q")
    return alt.layer(outer, inner, median, observed, title=title).properties(
        width=WIDTH, height=HEIGHT)


def before_after_bars(table: pd.DataFrame, category: str, value: str,
                      facet: str | None = None, title: str = "") -> alt.Chart:
    """Paired bars of ``value`` before and after, per ``category`` (and facet)."""
    chart = alt.Chart(table, title=title).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None),
        yOffset=alt.YOffset("window:N", sort=["before", "after"]),
        x=alt.X(f"{value}:Q", title=value.replace("_", " ").capitalize()),
        color=alt.Color("window:N", sort=["before", "after"],
                        scale=alt.Scale(domain=["before", "after"],
                                        range=["#9ecae1", "#b2182b"])),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip("window:N"),
                 alt.Tooltip(f"{value}:Q")],
    ).properties(width=180 if facet else WIDTH - 120)
    return chart.facet(column=alt.Column(f"{facet}:N", title=None)) if facet else chart


def interval_plot(table: pd.DataFrame, value: str, low: str, high: str, category: str,
                  facet: str | None = None, title: str = "",
                  sort: list[str] | None = None) -> alt.Chart:
    """Point estimates with their intervals on a log scale, and a reference line at 1; the
    categories in the order ``sort`` gives, if any."""
    base = alt.Chart().encode(y=alt.Y(f"{category}:N", title=None,
                                      sort=sort or "ascending",
                                      axis=alt.Axis(labelLimit=0)))
    x = alt.X(f"{value}:Q", title="rate ratio (log scale)", scale=alt.Scale(type="log"))
    parts = [
        base.mark_rule(color="#555").encode(x=alt.X(f"{low}:Q", scale=alt.Scale(type="log")),
                                            x2=f"{high}:Q"),
        base.mark_point(filled=True, size=60, color="#b2182b").encode(
            x=x, tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q", format=".2f"),
                          alt.Tooltip(f"{low}:Q", format=".2f"),
                          alt.Tooltip(f"{high}:Q", format=".2f")]),
        alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(strokeDash=[4, 3]).encode(x="one:Q"),
    ]
    width = 180 if facet else WIDTH - 160
    if facet:
        return alt.layer(*parts).properties(width=width).facet(
            row=alt.Row(f"{facet}:N", title=None,
                        header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start",
                                          labelFontWeight="bold", labelFontSize=12)),
            data=table, title=title)
    return alt.layer(*parts, data=table, title=title).properties(width=width)


def event_study_chart(table: pd.DataFrame, facet: str, title: str = "") -> alt.FacetChart:
    """Rate ratios by block of months relative to a departure (``first_month``, ``rate_ratio``,
    ``low``, ``high``), against the block before it, one panel per ``facet``, on a log scale
    with a line at 1 and the departure marked."""
    shown = table.dropna(subset=["rate_ratio"]).assign(
        months=lambda t: t["first_month"].astype(int))
    scale = alt.Scale(type="log", domain=[0.05, 50], clamp=True)
    base = alt.Chart().encode(x=alt.X("months:Q", title="months from the departure",
                                      axis=alt.Axis(values=[-12, -6, 0, 6, 12])))
    parts = [
        base.mark_rule(color="#555").encode(y=alt.Y("low:Q", scale=scale), y2="high:Q"),
        base.mark_point(filled=True, size=50, color="#b2182b").encode(
            y=alt.Y("rate_ratio:Q", title="rate ratio (log scale)", scale=scale),
            tooltip=[alt.Tooltip("months:Q", title="from month"),
                     alt.Tooltip("rate_ratio:Q", format=".2f", title="rate ratio"),
                     alt.Tooltip("low:Q", format=".2f"), alt.Tooltip("high:Q", format=".2f")]),
        alt.Chart().mark_rule(strokeDash=[4, 3]).encode(y=alt.datum(1)),
        alt.Chart().mark_rule(color="#999").encode(x=alt.datum(0)),
    ]
    return alt.layer(*parts, data=shown).properties(width=260, height=160).facet(
        facet=alt.Facet(f"{facet}:N", title=None), columns=1, title=title)


def bases_map(outline: dict[str, Any], bases: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """Mali's outline and a point per base (``latitude``, ``longitude``), coloured by
    ``family``, with its ``location`` and date (``when``) in the tooltip."""
    projection = "mercator"
    country = alt.Chart(alt.Data(values=outline["features"])).mark_geoshape(
        fill="#f4f1ea", stroke="#8c8c8c", strokeWidth=1).project(type=projection)
    points = alt.Chart(bases).mark_point(filled=True, size=90, opacity=0.85).encode(
        longitude="longitude:Q", latitude="latitude:Q",
        color=alt.Color("family:N", title="force that left",
                        scale=alt.Scale(range=["#2166ac", "#b2182b", "#1b7837"]),
                        legend=alt.Legend(orient="bottom", direction="vertical",
                                          labelLimit=0)),
        tooltip=[alt.Tooltip("location:N", title="place"), alt.Tooltip("base_name:N",
                                                                        title="base"),
                 alt.Tooltip("family:N", title="force"), alt.Tooltip("when:N", title="date")],
    ).project(type=projection)
    names = alt.Chart(bases.drop_duplicates("location")).mark_text(
        fontSize=10, dy=-9, color="#333").encode(
        longitude="longitude:Q", latitude="latitude:Q", text="location:N",
    ).project(type=projection)
    return alt.layer(country, points, names, title=title).properties(width=WIDTH, height=WIDTH)


VERDICT_COLOURS = {"supported": "#1b7837", "partly supported": "#a6dba0",
                   "open": "#d9d9d9", "not testable with open data": "#bababa",
                   "contradicted": "#b2182b"}


def verdict_bars(table: pd.DataFrame, category: str, title: str = "") -> alt.Chart:
    """Claims per ``category`` stacked by ``verdict`` (one row per claim), the verdicts in a
    fixed order and colour."""
    order = list(VERDICT_COLOURS)
    return alt.Chart(table, title=title).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, axis=alt.Axis(labelLimit=0)),
        x=alt.X("count():Q", title="claims"),
        color=alt.Color("verdict:N", sort=order, title="verdict",
                        scale=alt.Scale(domain=order, range=list(VERDICT_COLOURS.values())),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=0)),
        order=alt.Order("verdict_rank:Q"),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip("verdict:N"),
                 alt.Tooltip("count():Q", title="claims")],
    ).transform_calculate(
        verdict_rank=f"indexof({order!r}, datum.verdict)").properties(width=WIDTH - 220)


def scores_by_horizon(table: pd.DataFrame, value: str, title: str = "") -> alt.Chart:
    """A line per model of ``value`` by ``step`` (months ahead), benchmarks thin, candidates
    thick. Point forecasts (``forecast.POINT_MODELS``) are left out: their scores lie far above
    and would flatten the distributions' lines (the chapter's table gives them)."""
    from analysis.forecast import BENCHMARKS, POINT_MODELS

    table = table[~table["model"].isin(POINT_MODELS)]
    shown = table.assign(kind=table["model"].map(
        lambda m: "benchmark" if m in BENCHMARKS else "candidate"))
    return alt.Chart(shown, title=title).mark_line(point=True).encode(
        x=alt.X("step:Q", title="months ahead", axis=alt.Axis(values=list(range(1, 13)))),
        y=alt.Y(f"{value}:Q", title="mean CRPS (deaths)"),
        color=alt.Color("model:N", title=None, legend=alt.Legend(orient="bottom", columns=2,
                                                                  labelLimit=0)),
        strokeWidth=alt.StrokeWidth("kind:N", sort=["benchmark", "candidate"], scale=alt.Scale(
            domain=["benchmark", "candidate"], range=[1, 3]), legend=None),
        tooltip=[alt.Tooltip("model:N"), alt.Tooltip("step:Q", title="months ahead"),
                 alt.Tooltip(f"{value}:Q", format=".1f", title="mean CRPS")],
    ).properties(width=WIDTH - 160, height=HEIGHT)


def pit_bars(table: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """A PIT histogram (``from``, ``to``, ``share``) with the flat line of calibration."""
    level = 1 / max(len(table), 1)
    bars = alt.Chart(table).mark_bar(color="#4d4d4d").encode(
        x=alt.X("from:Q", bin="binned", title="probability integral transform"),
        x2="to:Q", y=alt.Y("share:Q", title="share of forecasts"),
        tooltip=[alt.Tooltip("from:Q", format=".1f"), alt.Tooltip("to:Q", format=".1f"),
                 alt.Tooltip("share:Q",
                                                                          format=".2f")])
    flat = alt.Chart(pd.DataFrame({"level": [level]})).mark_rule(strokeDash=[4, 3]).encode(
        y="level:Q")
    return alt.layer(bars, flat, title=title).properties(width=WIDTH - 160, height=200)


ZONE_COLOURS = {"north": "#1b7837", "centre": "#762a83", "south and west": "#e08214"}


def zone_shares(table: pd.DataFrame, title: str = "") -> alt.Chart:
    """Each zone's share of the year's events (``year``, ``zone``, ``share``), one line a zone."""
    return alt.Chart(table, title=title).mark_line(point=True).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=-90)),
        y=alt.Y("share:Q", title="Share of the year's violent events", axis=alt.Axis(format="%")),
        color=alt.Color("zone:N", title=None, sort=list(ZONE_COLOURS),
                        scale=alt.Scale(domain=list(ZONE_COLOURS),
                                        range=list(ZONE_COLOURS.values()))),
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("zone:N"),
                 alt.Tooltip("share:Q", format=".0%")],
    ).properties(width=WIDTH, height=HEIGHT)


MAX_COLOURS = 10
MAX_FLAT_LABELS = 12


def _rows(node: dict[str, Any], datasets: dict[str, list[dict[str, Any]]],
          inherited: list[dict[str, Any]]) -> list[dict[str, Any]]:
    data = node.get("data")
    if isinstance(data, dict) and "name" in data:
        return datasets.get(data["name"], [])
    if isinstance(data, dict) and "values" in data:
        return data["values"]
    return inherited


def _views(node: Any, datasets: dict[str, list[dict[str, Any]]],
           inherited: list[dict[str, Any]]):
    """Every view of a spec with an ``encoding``, with the rows of data it draws."""
    if not isinstance(node, dict):
        return
    rows = _rows(node, datasets, inherited)
    if "encoding" in node:
        yield node, rows
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in node.get(key, []):
            yield from _views(part, datasets, rows)
    if isinstance(node.get("spec"), dict):
        yield from _views(node["spec"], datasets, rows)


def _values(rows: list[dict[str, Any]], field: str) -> list[Any]:
    return list(dict.fromkeys(r.get(field) for r in rows if r.get(field) is not None))


def checklist(spec: dict[str, Any]) -> list[str]:
    """What a reader would stumble on in a chart: more than ``MAX_COLOURS`` colours for
    categories, a size legend starting at zero, categories that read as numbers sorted as text,
    many unrotated category labels, and unrounded numbers in tooltips or text marks. Returns
    one message a problem (empty when the chart passes)."""
    problems = []
    datasets = spec.get("datasets", {})
    for view, rows in _views(spec, datasets, []):
        enc = view["encoding"]
        colour = enc.get("color", {})
        if colour.get("type") in ("nominal", "ordinal") and "field" in colour:
            n = len(_values(rows, colour["field"]))
            if n > MAX_COLOURS:
                problems.append(f"{n} colours for {colour['field']}")
        size = enc.get("size", {})
        if size.get("type") == "quantitative" and size.get("scale", {}).get("zero") is not False:
            problems.append(f"the size legend of {size.get('field')} starts at zero")
        for channel in ("x", "y"):
            axis = enc.get(channel, {})
            if axis.get("type") not in ("nominal", "ordinal") or "field" not in axis:
                continue
            raw = _values(rows, axis["field"])
            values = [str(v) for v in raw]
            numeric = raw and all(isinstance(v, str) and v[:1].isdigit() for v in raw)
            if numeric and "sort" not in axis and len({len(v) for v in values}) > 1:
                problems.append(f"{axis['field']} (numbers) sorted as text on {channel}")
            style = axis.get("axis") or {}
            if channel == "x" and style.get("labelAngle") == 0 and len(values) > \
                    MAX_FLAT_LABELS and not style.get("labelOverlap"):
                problems.append(f"{len(values)} flat labels on the x axis ({axis['field']})")
        shown = [*([enc["text"]] if isinstance(enc.get("text"), dict) else []),
                 *[t for t in (enc.get("tooltip") or []) if isinstance(t, dict)]]
        for item in shown:
            if item.get("type") == "quantitative" and "format" not in item and any(
                    isinstance(v, float) and not v.is_integer()
                    for v in _values(rows, item.get("field", ""))):
                problems.append(f"{item.get('field')} shown unrounded")
    return problems
