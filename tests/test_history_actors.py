"""Phases, timeline, regional shift, lineage, dyads and civilian harm on hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import events_frame

from analysis import cells, transforms
from analysis.data import load_phases, load_timeline


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Events from (id, date, type, actor1, actor2, best, civilian, admin1) tuples."""
    columns = ["event_id", "date_start", "event_type", "actor1", "actor2", "fatalities_best",
               "civilian_targeting", "admin1"]
    return events_frame(columns, rows, assoc_actors=None, location="X",
                        sub_event_type="Armed clash", source_ids="k1;k2", latitude=15.0,
                        longitude=-4.0)


@pytest.fixture
def events() -> pd.DataFrame:
    return frame([
        ("a", "2012-05-01", "Battles", "mnla", "fama", 10, False, "Kidal"),
        ("b", "2013-01-11", "Strategic developments", "france", None, 0, False, "Bamako"),
        ("c", "2019-03-23", "Violence against civilians", "dan_na_ambassagou", "civilians", 157,
         True, "Mopti"),
        ("d", "2022-03-27", "Violence against civilians", "fama", "civilians", 500, True,
         "Mopti"),
        ("e", "2025-07-01", "Battles", "jnim", "fama", 81, False, "Kayes"),
    ])


@pytest.fixture
def phases() -> pd.DataFrame:
    return pd.DataFrame({
        "phase_id": ["one", "two"], "name": ["First", "Second"],
        "start": pd.to_datetime(["2012-01-01", "2013-01-11"]),
        "end": pd.to_datetime(["2013-01-10", "2025-10-31"]),
        "opening_event_id": ["a", "b"],
    })


def test_assign_phase_uses_inclusive_boundaries(events, phases):
    phased = transforms.assign_phase(events, phases)
    assert phased["phase_id"].tolist() == ["one", "two", "two", "two", "two"]
    assert list(phased["phase"].cat.categories) == ["First", "Second"]


def test_phase_summary(events, phases):
    summary = transforms.phase_summary(transforms.assign_phase(events, phases), "two")["value"]
    assert summary["events"] == "4"
    assert summary["violent events"] == "3"
    assert summary["reported deaths (sum of best estimates)"] == "738"
    assert summary["deadliest event"].startswith("X, 2022-03-27, 500")


def test_timeline_keeps_milestones_and_adds_the_deadliest(events):
    selection = pd.DataFrame({"event_id": ["b", "missing"], "label": ["Serval", "Not here"]})
    table = transforms.timeline(events, selection, deadliest=2)
    assert table["event_id"].tolist() == ["b", "c", "d"]
    assert table["kind"].tolist() == ["milestone", "deadliest event", "deadliest event"]
    assert table["source_ids"].iloc[0] == "k1; k2"


def test_region_shares_sum_to_one_per_year(events):
    shares = transforms.region_shares(events)
    totals = shares.groupby("year")["share"].sum().round(6)
    assert totals[[2012, 2013, 2019, 2022, 2025]].eq(1).all()
    assert totals[[2014, 2020]].eq(0).all()  # years without events
    row = shares[(shares["year"] == 2025) & (shares["admin1"] == "Kayes")]
    assert row["share"].iloc[0] == 1.0


def test_regional_shift(events):
    shift = transforms.regional_shift(events, north=["Kidal"], south=["Kayes", "Bamako"])
    assert shift.loc[2012, "north"] == 1.0
    assert shift.loc[2019, "centre"] == 1.0
    assert shift.loc[2025, "south and west"] == 1.0
    # an event located only to a wider area is in no zone (not the centre)
    wide = pd.concat([events, events.iloc[[0]].assign(event_id="w", admin1=pd.NA)],
                     ignore_index=True)
    shift = transforms.regional_shift(wide, north=["Kidal"], south=["Kayes", "Bamako"])
    assert shift.loc[2012, "north"] == 1.0 and shift.loc[2012, "centre"] == 0.0


def test_partial_dates():
    assert cells.partial_date("2014") == pd.Timestamp("2014-01-01")
    assert cells.partial_date("2014-06") == pd.Timestamp("2014-06-01")
    assert cells.partial_date("2014-06-14") == pd.Timestamp("2014-06-14")
    assert pd.isna(cells.partial_date(None))


def test_lineage_layout_groups_families_and_places_links():
    actors = pd.DataFrame({
        "actor_id": ["a", "b", "c", "x", "y"],
        "name_en": ["A", "B", "C", "X", "Y"],
        "acronym": ["AA;A2", None, None, None, None],
        "active_from": ["2011", "2011-10", "2014", "2013", "2021"],
        "active_to": ["2014", "2014", None, "2021", None],
    })
    lineage = pd.DataFrame({"from_id": ["a", "b", "x"], "to_id": ["c", "c", "y"],
                            "relation": ["merged_into", "merged_into", "renamed_to"],
                            "date": ["2014", "2014", "2021-05"], "source_ids": ["s", "s", "s"]})
    bars, links = transforms.lineage_layout(actors, lineage, end="2024-03-31")
    assert bars["name"].tolist()[:3] == ["AA", "B", "C"]  # the a-b-c family starts first
    assert bars.loc[bars["actor_id"] == "c", "end"].iloc[0] == pd.Timestamp("2024-03-31")
    link = links[links["from_id"] == "x"].iloc[0]
    assert (link["from_row"], link["to_row"]) == (3, 4)
    assert link["date"] == pd.Timestamp("2021-05-01")


def test_dyad_table_and_activity(events, phases):
    phased = transforms.assign_phase(events, phases)
    table = transforms.dyad_table(phased, by="phase", top=5)
    fama_mnla = table[table["pair"] == "fama – mnla"]
    assert fama_mnla[["events", "fatalities"]].iloc[0].tolist() == [1, 10]
    activity = transforms.activity_by_year(events, ["fama", "jnim"])
    assert activity.groupby("actor_id")["events"].sum().to_dict() == {"fama": 3, "jnim": 1}
    assert len(activity) == 2 * (2025 - 2012 + 1)


def test_civilian_harm_counts_civilians_and_keeps_unassigned_deaths_apart(events):
    split = events.assign(deaths_side_a=[0, 0, 0, 0, 20], deaths_side_b=[10, 0, 0, 0, 61],
                          deaths_civilians=[0, 0, 150, 300, 0],
                          deaths_unknown=[0, 0, 7, 200, 0])
    harm = transforms.civilian_harm(split, {"fama": "state"})
    totals = harm.groupby("perpetrator")[["civilians killed", "deaths not assigned"]].sum()
    assert totals.loc["state"].tolist() == [300, 200]
    assert totals.loc["other or unidentified"].tolist() == [150, 7]


def test_state_force_deaths_count_only_the_armys_side(events):
    split = events.assign(deaths_side_a=[3, 0, 0, 0, 20], deaths_side_b=[7, 0, 0, 0, 61])
    # a: mnla attacks fama (7 soldiers); d: fama is actor1 with no deaths on its side;
    # e: jnim attacks fama, 20 attackers and 61 soldiers killed
    assert transforms.state_force_deaths(split).tolist() == [7, 0, 0, 0, 61]


def test_actor_profiles_count_events_and_opponents(events):
    actors = pd.DataFrame({"actor_id": ["fama", "jnim"], "name_en": ["FAMa", "JNIM"],
                           "actor_type": ["state force", "jihadist group"],
                           "active_from": [None, "2017-03-02"], "active_to": [None, None]})
    profiles = transforms.actor_profiles(events, actors, ["fama", "jnim"])
    assert profiles.loc["fama", "events"] == 3
    assert profiles.loc["fama", "main opponents (violent events)"] == "jnim (1), mnla (1)"
    assert profiles.loc["jnim", "active"] == "2017-03-02 to …"


def test_the_books_phases_and_timeline_resolve():
    phases = load_phases()
    assert phases["start"].is_monotonic_increasing
    from analysis.data import load_events

    ids = set(load_events()["event_id"])
    assert set(load_timeline()["event_id"]) <= ids
    assert set(phases["opening_event_id"]) <= ids


def test_process_roles_join_roles_in_date_order():
    processes = pd.DataFrame({
        "process_id": ["p", "p", "p"], "process_label": ["P", "P", "P"],
        "actor_id": ["mnla", "mnla", "fama"], "role": ["withdrew", "signatory", "signatory"],
        "date": pd.to_datetime(["2013-09-26", "2013-06-18", "2013-06-18"]),
        "source_ids": ["b", "a", "a"],
    })
    actors = pd.DataFrame({"actor_id": ["mnla", "fama"], "name_en": ["MNLA", "Malian army"],
                           "acronym": ["MNLA", None]})
    table = transforms.process_roles(processes, actors).set_index("actor")
    assert table.loc["MNLA", "roles"] == "signatory, withdrew"
    assert table.loc["MNLA", "first_role"] == "signatory"
    assert table.loc["MNLA", "sources"] == "a; b"
    assert table.loc["Malian army", "since"] == pd.Timestamp("2013-06-18")


def test_associated_actors_fight_on_their_camps_side():
    events = frame([
        ("w1", "2022-03-27", "Battles", "fama", "jnim", 30, False, "Mopti"),
        ("w2", "2023-01-05", "Battles", "jnim", "fama", 12, False, "Ségou"),
    ]).assign(assoc_actors=["wagner", "katiba_macina;wagner"])
    facing = transforms.opponents(events)
    wagner = facing[facing["actor_id"] == "wagner"]
    assert sorted(wagner["opponent"]) == ["jnim", "jnim", "katiba_macina"]
    katiba = facing[facing["actor_id"] == "katiba_macina"]
    assert sorted(katiba["opponent"]) == ["fama", "wagner"]
    roles = transforms.roles_by_actor(events, ["wagner", "fama", "jnim"])
    assert roles.loc["wagner"].tolist() == [0, 2] and roles.loc["fama"].tolist() == [2, 0]
    pairs = transforms.dyad_table(events.assign(phase="one"), by="phase", top=10)
    assert set(pairs["pair"]) == {"fama – jnim", "jnim – wagner", "fama – katiba_macina",
                                  "katiba_macina – wagner"}
