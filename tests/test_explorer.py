"""The event explorer's library side: lineage, bands, compact records, the data file, the specs
and the links chapters make to event cards (the page itself: tests/test_browser.py)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from factories import event_row, write_events

from analysis import ihl
from analysis.book import charts, explorer, tables


def lineage_table(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["from_id", "to_id", "relation"]).assign(
        date="2017-03-02", date_precision="day", source_ids="x", notes="")


def test_ancestors_follow_mergers_through_generations_but_not_groups_that_left():
    lineage = lineage_table([
        ("mujao", "al_mourabitoun", "merged_into"),
        ("al_mourabitoun", "jnim", "merged_into"),
        ("ansar_dine", "jnim", "merged_into"),
        ("isgs", "al_mourabitoun", "split_from"),  # a split is not a predecessor
        ("gatia", "plateforme", "merged_into"),
        ("plateforme", "csp", "merged_into"),
        ("plateforme", "csp", "left"),
        ("cma", "csp", "merged_into"),
        ("csp", "fla", "renamed_to"),
    ])
    found = ihl.ancestors(lineage)
    assert found["jnim"] == ["al_mourabitoun", "ansar_dine", "mujao"]
    assert found["al_mourabitoun"] == ["mujao"]
    assert found["fla"] == ["cma", "csp"]  # not the Plateforme, which left, nor GATIA through it
    assert "isgs" not in found and "mujao" not in found


def test_ancestors_end_on_a_cycle():
    found = ihl.ancestors(lineage_table([("a", "b", "merged_into"), ("b", "a", "renamed_to")]))
    assert found == {"a": ["b"], "b": ["a"]}


def test_death_bands_cover_every_toll_once():
    events = pd.DataFrame({"fatalities_best": pd.array([None, 0, 1, 9, 10, 24, 25, 99, 100,
                                                        600], dtype="Int64")})
    assert list(explorer.death_bands(events)) == [
        explorer.NO_TOLL, "none reported killed", "1 to 9", "1 to 9", "10 to 24", "10 to 24",
        "25 to 99", "25 to 99", "100 or more", "100 or more"]
    labels = [label for label, _, _ in explorer.DEATH_BANDS]
    assert len(set(labels)) == len(labels) and explorer.NO_TOLL not in labels


@pytest.fixture
def small_events(tmp_path):
    """Three validated events: a JNIM attack, an Ansar Dine one, a toll not reported."""
    from analysis.data import check_events

    rows = [
        event_row(event_id="T-1", date_start="2019-03-23", date_end="2019-03-24",
                  actor1="jnim", actor2="fama", event_type="Battles",
                  sub_event_type="Armed clash", civilian_targeting="false",
                  fatalities_best="30", fatalities_low="", fatalities_high="",
                  assoc_actors="katiba_macina", notes='says "hello", and <b>'),
        event_row(event_id="T-2", date_start="2014-01-05", date_end="2014-01-05",
                  actor1="ansar_dine", admin1="", admin2="", geo_precision="4"),
        event_row(event_id="T-3", fatalities_best="", fatalities_low="", fatalities_high=""),
    ]
    return check_events(write_events(tmp_path / "events.csv", rows))


def test_records_are_compact_rows_with_iso_days_and_nulls(small_events):
    packed = explorer.records(small_events)
    assert packed["columns"][-1] == explorer.BAND_COLUMN
    rows = {row[0]: dict(zip(packed["columns"], row, strict=True)) for row in packed["rows"]}
    assert rows["T-1"]["date_end"] == "2019-03-24" and rows["T-1"]["fatalities_best"] == 30
    assert rows["T-1"]["civilian_targeting"] is False and rows["T-1"]["fatalities_low"] is None
    assert rows["T-1"]["deaths_band"] == "25 to 99"
    assert rows["T-3"]["deaths_band"] == explorer.NO_TOLL and rows["T-2"]["admin1"] is None
    assert json.loads(json.dumps(packed)) == packed  # plain JSON, nothing pandas-specific


def test_payload_names_actors_lineage_sources_and_the_data_version(small_events):
    from analysis.data import bibliography, load_actors, load_lineage

    data = explorer.payload(small_events, load_actors(), load_lineage(), bibliography(),
                            "abc123abc123")
    assert data["meta"]["events"] == 3 and data["meta"]["dataset_version"] == "abc123abc123"
    assert data["meta"]["first_day"] == "2014-01-05" and data["meta"]["last_day"] == "2019-03-23"
    assert data["actors"]["jnim"] == ["Group for the Support of Islam and Muslims", "JNIM"]
    assert {"ansar_dine", "aqim", "katiba_macina"} <= set(data["lineage"]["jnim"])
    assert set(data["sources"]) == {"rulac2025mali"}  # only what the events cite
    title = data["sources"]["rulac2025mali"][0]
    assert title.startswith("Classification of the armed conflicts") and "--" not in title
    assert "{id}" in data["meta"]["cite_event"] and "abc123abc123" in data["meta"]["cite_event"]
    assert data["meta"]["columns"][0] == "event_id" and "deaths_band" not in data["meta"]["columns"]
    assert data["meta"]["page"] == "explorer.html"
    published = explorer.payload(small_events, load_actors(), load_lineage(), bibliography(),
                                 "v", base_url="https://example.org/book/")
    assert published["meta"]["page"] == "https://example.org/book/chapters/explorer.html"


def test_the_map_and_timeline_draw_with_the_book_vega_lite(small_events):
    import vl_convert

    from analysis import geography

    spec = explorer.map_spec(geography.outline(), charts.EVENT_TYPE_COLOURS)
    spec["layer"][1]["data"]["values"] = [
        {"id": "T-1", "lon": -3.32, "lat": 14.28, "deaths": 30, "type": "Battles",
         "date": "2019-03-23", "place": "Ogossagou"}]
    svg = vl_convert.vegalite_to_svg({**spec, "width": 300})
    assert svg.count("<path") >= 2  # the outline and the point
    timeline = explorer.timeline_spec(charts.EVENT_TYPE_COLOURS)
    timeline["data"]["values"] = [{"time": 1553299200000, "type": "Battles"}]
    assert "<svg" in vl_convert.vegalite_to_svg({**timeline, "width": 300})
    assert timeline["params"][0]["name"] == "brush"


def test_event_address_is_stable_and_relative_to_the_chapters():
    assert explorer.event_address("MLI-2024-0022") == "explorer.html#MLI-2024-0022"
    assert explorer.event_address("MLI-2024-0022", "chapters/") == (
        "chapters/explorer.html#MLI-2024-0022")


def test_filterable_tables_link_known_event_ids_and_only_those():
    table = pd.DataFrame({"claim": ["C-1", "C-2"],
                          "evidence": ["events: MLI-2019-0001, MLI-2019-0002.", "x <y> & z"]})
    html = tables.filterable_html(table, "claims", event_ids=["MLI-2019-0001"])
    assert '<a href="explorer.html#MLI-2019-0001">MLI-2019-0001</a>, MLI-2019-0002.' in html
    assert "x &lt;y&gt; &amp; z" in html
    assert "explorer.html" not in tables.filterable_html(table, "claims")


def test_timeline_points_link_to_their_cards():
    table = pd.DataFrame({"event_id": ["MLI-2012-0001"], "date_start": [pd.Timestamp("2012-01-17")],
                          "label": ["Ménaka"], "kind": ["milestone"], "event_type": ["Battles"],
                          "location": ["Ménaka"], "fatalities_best": [1], "source_ids": ["k"]})
    spec = charts.timeline_chart(table).to_dict()
    layer = spec["layer"][0]
    assert layer["encoding"]["href"]["field"] == "explorer"
    rows = next(iter(spec["datasets"].values()))
    assert rows[0]["explorer"] == "explorer.html#MLI-2012-0001"


def test_site_files_are_written_once_per_version_of_the_inputs(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(explorer, "book_payload",
                        lambda base_url="": calls.append(base_url) or {"meta": {"n": 1}})
    target = explorer.write_site_files(tmp_path)
    assert target == tmp_path / "_static" / "explorer" / explorer.DATA_FILE
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[1] == 'window.MALI_EXPLORER = {"meta":{"n":1}};'
    for asset in ("explorer.js", "explorer.css"):
        assert (target.parent / asset).read_bytes() == (explorer.ASSETS / asset).read_bytes()
    explorer.write_site_files(tmp_path)
    assert calls == [""]  # unchanged inputs: not rebuilt
    explorer.write_site_files(tmp_path, base_url="https://example.org/")
    assert calls == ["", "https://example.org/"]
    monkeypatch.setattr(explorer, "_inputs", lambda: [tmp_path / "changed.csv"])
    (tmp_path / "changed.csv").write_text("x", encoding="utf-8")
    explorer.write_site_files(tmp_path, base_url="https://example.org/")
    assert len(calls) == 3


def test_the_page_loads_the_explorer_files_and_nothing_from_elsewhere():
    from analysis import paths

    page = (paths.CHAPTERS / "explorer.md").read_text(encoding="utf-8")
    for name in (explorer.DATA_FILE, "explorer.js", "explorer.css"):
        assert f'"../_static/explorer/{name}"' in page
    assert "http" not in page.split('<div id="explorer"')[1]
    script = (explorer.ASSETS / "explorer.js").read_text(encoding="utf-8")
    assert f"window.{explorer.GLOBAL}" in script and "fetch(" not in script
    assert "http" not in script.replace("/^https?:", "").replace("/^https?:$/", "")


def test_the_page_gets_its_charts_compiled_to_vega(small_events):
    from analysis.data import bibliography, load_actors, load_lineage

    data = explorer.payload(small_events, load_actors(), load_lineage(), bibliography(), "v")
    for name, dataset in (("map", "points"), ("timeline", "months")):
        spec = data["specs"][name]
        assert "/vega/v" in spec["$schema"], name  # Vega, not Vega-Lite: nothing to compile
        assert dataset in {d["name"] for d in spec["data"]}
    assert "brush" in {s["name"] for s in data["specs"]["timeline"]["signals"]}
