"""Charts render offline, deterministically, and cannot run text from the data as script."""

from __future__ import annotations

import pandas as pd

from analysis.book import charts


def small_table(note: str = "Battles") -> pd.DataFrame:
    return pd.DataFrame({"year": [2012, 2013], "events": [3, 4], "event_type": [note, "Riots"]})


def test_renderer_output_is_deterministic_and_offline():
    charts.use_book_renderer()
    first = charts.bars_by_year(small_table(), "events", "event_type")._repr_mimebundle_()
    second = charts.bars_by_year(small_table(), "events", "event_type")._repr_mimebundle_()
    first = first[0] if isinstance(first, tuple) else first
    second = second[0] if isinstance(second, tuple) else second
    assert first["text/html"] == second["text/html"]
    html = first["text/html"]
    assert "window.vegaEmbed" in html
    assert "<script src" not in html and "cdn." not in html


def test_different_data_gives_a_different_element_id():
    a = charts.bars_by_year(small_table(), "events").to_dict()
    b = charts.bars_by_year(small_table().assign(events=[5, 6]), "events").to_dict()
    assert charts.chart_id(a) != charts.chart_id(b)


def test_hostile_text_cannot_close_the_script_element():
    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    spec = charts.bars_by_year(small_table(hostile), "events", "event_type").to_dict()
    html = charts.chart_html(spec)
    body = html.split("<script type=\"text/javascript\">", 1)[1]
    assert body.count("</script>") == 1  # only the element's own closing tag
    assert "<img" not in html
    assert "\\u003c/script\\u003e" in html


def test_source_line_travels_with_the_chart():
    chart = charts.with_source(charts.bars_by_year(small_table(), "events"), "Title", "Source: x")
    title = chart.to_dict()["title"]
    assert title["text"] == "Title" and title["subtitle"] == ["Source: x"]
    long = "Source: " + "word " * 60
    wrapped = charts.with_source(charts.bars_by_year(small_table(), "events"), "T", long)
    lines = wrapped.to_dict()["title"]["subtitle"]
    assert len(lines) > 1 and " ".join(lines) == long.strip()


def test_vega_bundle_defines_the_globals_inside_a_function():
    bundle = charts.vega_bundle()
    assert bundle.lstrip().startswith("/*")
    assert "(function () {" in bundle[:200]
    assert "window.vegaEmbed=" in bundle.replace(" ", "")
    assert len(bundle) > 100_000


def test_book_tables_show_every_row_and_all_text_with_dashes_for_missing_values():
    import pandas as pd

    from analysis.book import tables

    long_text = "a rationale " * 20
    frame = pd.DataFrame({"why": [long_text] * 120, "share": [0.3456] * 119 + [None],
                          "year": [2024.0] * 120})
    html = tables.book_html(frame)
    assert html.count("<tr") == 121  # the header and every row: none hidden behind "..."
    assert long_text.strip() in html and "..." not in html
    assert "0.35" in html and "0.3456" not in html and ">2024<" in html
    assert "NaN" not in html and tables.MISSING_NOTE in html
    assert tables.MISSING_NOTE not in tables.book_html(frame.dropna())
    tables.use_book_tables()
    assert frame._repr_html_() == html


def test_the_chart_checklist_finds_what_readers_stumble_on():
    import altair as alt
    import pandas as pd

    from analysis.book import charts

    many = pd.DataFrame({"year": [str(2010 + i) for i in range(15)], "n": range(15),
                         "group": [f"g{i}" for i in range(15)],
                         "band": ["0-25", "100-200", "25-50"] * 5, "rate": [0.123456] * 15})
    bad = alt.Chart(many).mark_circle().encode(
        x=alt.X("year:O", axis=alt.Axis(labelAngle=0)), y=alt.Y("band:N"),
        color="group:N", size="n:Q", tooltip=[alt.Tooltip("rate:Q")]).to_dict()
    found = " | ".join(charts.checklist(bad))
    for words in ("15 colours", "size legend", "band (numbers) sorted as text",
                  "15 flat labels", "rate shown unrounded"):
        assert words in found
    good = alt.Chart(many.assign(group=charts_top(many["group"]))).mark_circle().encode(
        x=alt.X("year:O", axis=alt.Axis(labelAngle=0, labelOverlap="parity")),
        y=alt.Y("band:N", sort=["0-25", "25-50", "100-200"]), color="group:N",
        size=alt.Size("n:Q", scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("rate:Q", format=".2f")]).to_dict()
    assert charts.checklist(good) == []


def charts_top(values):
    from analysis.transforms import top_categories

    grouped = top_categories(values, 9)
    assert grouped.nunique() == 10 and (grouped == "others").sum() == len(values) - 9
    return grouped


def test_every_figure_of_the_book_passes_the_chart_checklist():
    from analysis.book import charts, figures

    found = figures.collect()
    assert len(found) >= 20
    problems = {f.figure_id: charts.checklist(f.spec) for f in found}
    assert not {k: v for k, v in problems.items() if v}


def test_book_tables_name_actors_link_sources_and_use_readers_headers():
    import pandas as pd

    from analysis.book import tables

    frame = pd.DataFrame({"actor1": ["fama;wagner", "jnim"], "source_ids": ["a2024x;b2025y", ""],
                          "fatalities_best": pd.array([12, None], dtype="Int64"),
                          "notes": ["<script>x</script>", "fine"]})
    html = tables.book_html(frame)
    assert "FAMa" in html or "Malian" in html  # a name, not the id
    assert ">fama" not in html and "wagner<" not in html
    assert '<a href="sources.html#src-a2024x">a2024x</a>; ' in html
    assert "deaths (best estimate)" in html and "fatalities_best" not in html
    assert "&lt;NA&gt;" not in html and "<NA>" not in html and tables.MISSING_NOTE in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    linked = tables.book_html(pd.DataFrame({"event_id": ["MLI-2024-0022"], "n": [1]}))
    assert '<a href="explorer.html#MLI-2024-0022">MLI-2024-0022</a>' in linked


def test_a_figure_citation_credits_the_datasets_its_source_line_names():
    from analysis.book import figures

    def figure(subtitle):
        return figures.Figure("fig-x", "A caption.", "vacuums", "vacuums.ipynb",
                              {"title": {"text": "t", "subtitle": subtitle}}, {}, "4.2",
                              "abc123")

    plain = figures.citation_text(figure(["Source: the book's dataset"]), built="2026-12-03")
    assert "Data: the book's event dataset (data version abc123)." in plain
    assert "UCDP" not in plain and "Licence CC BY 4.0" in plain and "Built 2026-12-03." in plain
    ucdp = figures.citation_text(figure(["Source: UCDP GED 24.1, imported"]),
                                 base_url="https://example.org/book/")
    assert "UCDP Georeferenced Event Dataset (Sundberg and Melander 2013)" in ucdp
    assert ucdp.endswith("https://example.org/book/chapters/vacuums.html#fig-x")
    assert "Figure 4.2 (fig-x)" in figures.citation_bibtex(figure([]))


def test_the_published_address_comes_from_the_environment_or_the_config_and_is_checked():
    import pytest

    from analysis.book import site
    from analysis.errors import DataError

    assert site.published_address("", {}) == ""
    assert site.published_address("https://a.org/book", {}) == "https://a.org/book/"
    env = {site.ADDRESS_VARIABLE: "https://mirror.example/mali"}
    assert site.published_address("https://a.org/book", env) == "https://mirror.example/mali/"
    with pytest.raises(DataError, match=r"MALI_BOOK_BASEURL.*not an absolute"):
        site.published_address("", {site.ADDRESS_VARIABLE: "mali-book.example"})
    with pytest.raises(DataError, match=r"_config\.yml.*not an absolute"):
        site.published_address("/book/", {})


def test_book_tables_show_truth_values_and_days_as_readers_write_them():
    from analysis.book import tables

    frame = pd.DataFrame({"agrees": [True, False], "first clash": pd.to_datetime(
        ["2025-10-13 00:00", "2025-10-13 14:30"]), "share": [0.5, None], "n": [3, 4]})
    html = tables.book_html(frame)
    for shown in (">yes<", ">no<", ">2025-10-13<", ">2025-10-13 14:30<", ">0.5<", ">3<"):
        assert shown in html, shown
    assert "True" not in html and "False" not in html and "00:00:00" not in html
    assert tables.cell_text(pd.NA) == tables.cell_text(float("nan")) == tables.MISSING


def test_a_model_standing_reads_as_a_sentence_or_says_why_not():
    import numpy as np

    from analysis.book import tables

    summary = pd.DataFrame({"skill": [1.01, 1.0], "skill_low": [0.98, 1.0],
                            "skill_high": [1.04, 1.0], "coverage_80": [0.76, np.nan]},
                           index=["chosen", "bootstrap"])
    text = tables.model_standing(summary, "chosen", "bootstrap")
    assert text == ("the chosen model scores 1.01 (0.98 to 1.04) of the best benchmark's CRPS "
                    "(bootstrap), and its 80% intervals cover 76% of outcomes")
    assert "too few forecasts" in tables.model_standing(summary.iloc[:0], "chosen", None)
    assert "cover" not in tables.model_standing(summary, "bootstrap", "bootstrap")
