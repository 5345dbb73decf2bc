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
