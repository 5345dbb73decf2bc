"""The claims register and its computed checks, on constructed cases with known answers."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import events_frame

from analysis import claims
from analysis.errors import DataError

COLUMNS = ["event_id", "date_start", "event_type", "sub_event_type", "actor1", "actor2",
           "assoc_actors", "fatalities_best", "civilian_targeting", "deaths_civilians",
           "admin1", "notes"]


@pytest.fixture
def events() -> pd.DataFrame:
    rows = [
        ("1", "2020-02-01", "Battles", "Armed clash", "jnim", "fama", None, 10, False, 0,
         "Mopti", "JNIM attacked the army camp"),
        ("2", "2020-05-01", "Battles", "Armed clash", "isgs", "fama", None, 5, False, 0,
         "Ménaka", "ambush on a patrol"),
        ("3", "2023-03-01", "Battles", "Armed clash", "jnim", "fama", None, 20, False, 0,
         "Ségou", "assault on the base at Niono"),
        ("4", "2023-04-01", "Violence against civilians", "Attack", "fama", "civilians",
         "wagner", 30, True, 28, "Mopti", "joint operation"),
        ("5", "2023-05-01", "Battles", "Armed clash", "issp", "jnim", None, 40, False, 0,
         "Gao", "clash between the groups"),
        ("6", "2023-06-01", "Strategic developments", "Agreement", "jnim", "fama", None, 0,
         False, 0, "Kayes", "talks"),
        ("7", "2023-07-01", "Battles", "Armed clash", "dozo_militia", "jnim", None, 6, False,
         0, "Kayes", "clash"),
    ]
    return events_frame(COLUMNS, rows)


def test_militant_islamist_rise_counts_events_and_deaths(events):
    table = claims.militant_islamist_rise(events, ["jnim", "isgs", "issp"])
    assert table.loc["events", 2020] == 2 and table.loc["events", 2023] == 3
    assert table.loc["reported deaths", 2020] == 15 and table.loc["reported deaths", 2023] == 66
    assert table.loc["events", "2023 / 2020"] == 1.5


def test_the_rise_is_missing_when_the_first_year_is_empty(events):
    table = claims.militant_islamist_rise(events, ["jnim"], first=2019, last=2023)
    assert pd.isna(table.loc["events", "2023 / 2019"])


def test_issp_menaka_gao_follows_the_renaming_and_the_regions(events):
    table = claims.issp_menaka_gao(events)
    assert table.loc[2020, "events"] == 1 and table.loc[2023, "events"] == 1
    assert table.loc[2023, "reported deaths"] == 40


def test_joint_operations_need_both_the_army_and_the_russians(events):
    table = claims.joint_army_wagner_civilian_harm(events)
    assert table.loc[2023].tolist() == [1, 1, 28]
    none = claims.joint_army_wagner_civilian_harm(events[events["event_id"] != "4"])
    assert none.empty


def test_attacks_on_bases_read_the_notes(events):
    table = claims.attacks_on_bases(events)
    assert table.loc[2020].tolist()[:2] == [2, 1] and table.loc[2023].tolist()[:2] == [1, 1]


def test_the_regional_shift_sums_to_one(events):
    shares = claims.violence_shift_south_west(events)
    assert shares.loc[[2020, 2023]].sum(axis=1).round(2).tolist() == [1.0, 1.0]
    assert shares.loc[2021].sum() == 0  # a year without events has no shares
    # Kayes is in the south and west, Ségou, Mopti and Gao are not; the agreement is no violence
    assert shares.loc[2023, "south and west"] == pytest.approx(0.25)


def test_peacekeeper_deaths_keep_each_year_and_the_latest_total():
    table = pd.DataFrame({
        "mission": ["MINUSMA"] * 4 + ["AFISMA"],
        "year": ["2019", "2019", "2019", "2020", "2013"],
        "deaths_total": [None, "160", "190", None, None],
        "deaths_malicious_acts": ["22", "100", "120", "6", "3"],
        "as_of": ["2019-12-31", "2019-01-20", "2019-05-18", "2020-12-31", "2013-03"],
        "scope": ["year", "cumulative since 2013", "cumulative since 2013", "year",
                  "cumulative since 2013"]})
    result = claims.peacekeeper_deaths(table)
    assert result.loc[2019].tolist() == [22, 190, 120]
    assert result.loc[2020, "killed by hostile acts in the year"] == 6
    assert 2013 not in result.index


def test_displacement_takes_the_latest_figure_of_each_year():
    table = pd.DataFrame({"indicator": ["IDPs in Mali"] * 3 + ["returnees"],
                          "value": ["100", "150", "90", "5"],
                          "as_of": ["2020-03", "2020-12", "2021-06", "2020-12"],
                          "source_org": ["a", "b", "c", "d"]})
    result = claims.displacement(table)
    assert result["IDPs in Mali"].tolist() == [150, 90]
    assert result.loc[2020, "reported by"] == "b"


def test_every_named_check_is_declared():
    assert set(claims.EVENT_CHECKS) <= set(claims.CHECKS)
    assert set(claims.CHAPTER_CHECKS) <= set(claims.CHECKS)


def test_the_book_register_validates_and_cites_what_exists():
    from analysis.data import load_claims

    register = load_claims()
    assert len(register) >= 100
    assert set(register["document"]) == set(claims.DOCUMENTS)
    counts = claims.verdict_counts(register)
    assert counts.to_numpy().sum() == len(register)
    readers = claims.for_readers(register)
    assert readers["claim"].is_unique and not readers["evidence"].eq("").all()


def write_register(tmp_path, **changes) -> str:
    from analysis.data import load_table

    register = load_table("claims").head(3).copy()
    for column, value in changes.items():
        register.loc[0, column] = value
    path = tmp_path / "claims.csv"
    register.to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize(("changes", "column", "message"), [
    ({"verdict": "probably"}, "verdict", "unknown verdict"),
    ({"evidence_events": "MLI-1999-0001"}, "evidence_events", "unknown event"),
    ({"evidence_sources": "nosuchkey2099"}, "source_ids", "unknown source"),
    ({"evidence_check": "astrology"}, "evidence_check", "unknown check"),
    ({"verdict": "not testable with open data", "what_would_test": None}, "what_would_test",
     "must say what would test it"),
    ({"verdict": "contradicted", "evidence_sources": None, "evidence_events": None},
     "evidence_sources", "must cite"),
])
def test_a_bad_register_row_is_named(tmp_path, changes, column, message):
    from analysis.data import load_claims

    with pytest.raises(DataError) as caught:
        load_claims(write_register(tmp_path, **changes))
    problems = caught.value.problems
    assert any(p.row == 2 and p.column == column and message in p.message for p in problems)


def test_the_filterable_table_anchors_rows_and_escapes_text():
    from analysis.book import tables

    table = pd.DataFrame({"claim": ["C-1", "C-2"], "text": ["a <b> & c", "plain"]})
    html = tables.filterable_html(table, "claims")
    assert 'id="claims-C-1"' in html and 'id="claims-C-2"' in html
    assert "a &lt;b&gt; &amp; c" in html and "<b>" not in html
    assert 'id="claims-filter"' in html and "2 of 2 rows" in html
    assert "http" not in html  # nothing is loaded from anywhere
