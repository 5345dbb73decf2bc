"""Transforms give known answers on tiny hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import events_frame

from analysis import transforms


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Events from (id, date, type, actor1, actor2, assoc, best, civilian) tuples."""
    columns = ["event_id", "date_start", "event_type", "actor1", "actor2", "assoc_actors",
               "fatalities_best", "civilian_targeting"]
    return events_frame(columns, rows, admin1="Mopti", source_ids="a;b")


@pytest.fixture
def events() -> pd.DataFrame:
    return frame([
        ("e1", "2012-01-17", "Battles", "mnla", "fama", None, 10, False),
        ("e2", "2012-03-22", "Strategic developments", "mutinous_soldiers", None, None, 0, False),
        ("e3", "2014-05-21", "Battles", "fama", "mnla", "hcua", 50, False),
        ("e4", "2014-05-30", "Violence against civilians", "jnim", "civilians", None, None, True),
        ("e5", "2014-06-02", "Battles", "jnim", "fama", None, 5, False),
    ])


def test_yearly_fills_missing_years_with_zeros(events):
    table = transforms.yearly(events)
    assert table["year"].tolist() == [2012, 2013, 2014]
    assert table["events"].tolist() == [2, 0, 3]
    assert table["fatalities"].tolist() == [10, 0, 55]
    assert table["events_without_toll"].tolist() == [0, 0, 1]


def test_yearly_by_group_has_every_year_for_every_group(events):
    table = transforms.yearly(events, by=["event_type"], first=2012, last=2015)
    assert len(table) == 4 * 3
    battles = table[table["event_type"] == "Battles"]
    assert battles["events"].tolist() == [1, 0, 2, 0]


def test_violent_drops_strategic_developments(events):
    assert set(transforms.violent(events)["event_id"]) == {"e1", "e3", "e4", "e5"}


def test_in_period_is_inclusive(events):
    kept = transforms.in_period(events, "2012-03-22", "2014-05-21")
    assert kept["event_id"].tolist() == ["e2", "e3"]


def test_monthly_includes_empty_months(events):
    table = transforms.monthly(events, start="2014-04-01", end="2014-07-31")
    assert table["events"].tolist() == [0, 2, 1, 0]
    assert table["fatalities"].tolist() == [0, 50, 5, 0]


def test_monthly_of_nothing_is_an_empty_table(events):
    assert transforms.monthly(events.iloc[0:0]).empty


def test_actor_involvement_counts_each_actor_once_per_event(events):
    involved = transforms.actor_involvement(events)
    in_e3 = involved.loc[involved["event_id"] == "e3", "actor_id"]
    assert sorted(in_e3) == ["fama", "hcua", "mnla"]


def test_actor_summary(events):
    actors = pd.DataFrame({"actor_id": ["fama"], "name_en": ["Malian armed forces"],
                           "actor_type": ["state force"]})
    table = transforms.actor_summary(events, actors).set_index("actor_id")
    assert table.loc["fama", "events"] == 3
    assert table.loc["fama", transforms.DEATHS_IN_EVENTS] == 65
    assert table.loc["fama", "name_en"] == "Malian armed forces"
    assert table.loc["jnim", "actor_type"] == "not in registry"
    assert (table.loc["jnim", "first_year"], table.loc["jnim", "last_year"]) == (2014, 2014)


def test_dyads_are_unordered(events):
    pairs = transforms.dyads(events)
    assert set(zip(pairs["party_a"], pairs["party_b"], strict=True)) == {
        ("fama", "mnla"), ("civilians", "jnim"), ("fama", "jnim")}


def test_dyad_years_for_one_party(events):
    table = transforms.dyad_years(events, "fama")
    rows = {(r.opponent, r.year): (r.battles, r.fatalities) for r in table.itertuples()}
    assert rows == {("mnla", 2012): (1, 10), ("mnla", 2014): (1, 50), ("jnim", 2014): (1, 5)}


def test_coverage_counts(events):
    table = transforms.coverage(events)["value"]
    assert table["events"] == "5"
    assert table["fatalities (sum of best estimates)"] == "65"
    assert table["events targeting civilians"] == "1"
    assert table["distinct sources cited"] == "2"


def test_names_any_reads_primary_and_associated_actors_exactly():
    import pandas as pd

    from analysis.transforms import names_any

    events = pd.DataFrame({"actor1": ["fama", "jnim_or_is", "issp"],
                           "actor2": ["civilians", "fama", "jnim"],
                           "assoc_actors": ["wagner", None, "jnim_or_is;x"]})
    assert names_any(events, ["wagner"]).tolist() == [True, False, False]
    # ids match whole, not as parts of longer ids
    assert names_any(events, ["jnim"]).tolist() == [False, False, True]
    assert names_any(events, []).tolist() == [False, False, False]
    assert names_any(events.drop(columns="assoc_actors"), ["wagner"]).tolist() == [False] * 3
