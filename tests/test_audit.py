"""The audit's matching rule on constructed cases with known answers."""

from __future__ import annotations

import pandas as pd
from factories import events_frame

from analysis.ingest import audit

COLUMNS = ["event_id", "date_start", "date_end", "admin1", "latitude", "longitude",
           "event_type", "fatalities_best"]


def frame(rows: list[tuple]) -> pd.DataFrame:
    table = events_frame(COLUMNS, rows)
    table["date_end"] = pd.to_datetime(table["date_end"])
    return table


def test_dates_within_three_days_and_place_within_75_km_or_same_region():
    curated = frame([("C-1", "2020-05-10", "2020-05-10", "Mopti", 14.5, -4.2, "Battles", 12)])
    reference = frame([
        ("R-near", "2020-05-12", "2020-05-12", "Mopti", 14.6, -4.0, "Battles", 30),
        ("R-late", "2020-05-20", "2020-05-20", "Mopti", 14.5, -4.2, "Battles", 30),
        ("R-far", "2020-05-10", "2020-05-10", "Gao", 16.3, -0.05, "Battles", 30),
    ])
    found = audit.match(curated, reference).set_index("event_id")["matched_event_id"]
    assert found.to_dict() == {"R-near": "C-1", "R-late": "", "R-far": ""}


def test_each_curated_event_finds_one_incident_but_a_split_incident_counts_whole():
    curated = frame([("C-1", "2021-03-01", "2021-03-01", "Gao", 16.27, -0.04, "Battles", 40)])
    reference = frame([
        # one incident coded twice (two pairs of actors), same day, 5 km apart
        ("R-a", "2021-03-01", "2021-03-01", "Gao", 16.27, -0.04, "Battles", 30),
        ("R-b", "2021-03-01", "2021-03-01", "Gao", 16.30, -0.02, "Violence against civilians",
         12),
        # another incident of the same day in the region: C-1 is taken
        ("R-c", "2021-03-01", "2021-03-01", "Gao", 15.9, 0.6, "Battles", 20),
    ])
    found = audit.match(curated, reference).set_index("event_id")["matched_event_id"]
    assert found.to_dict() == {"R-a": "C-1", "R-b": "C-1", "R-c": ""}


def test_strategic_developments_do_not_find_violent_events():
    curated = frame([("C-1", "2019-01-01", "2019-01-01", "Kidal", 18.4, 1.4,
                      "Strategic developments", 0)])
    reference = frame([("R-1", "2019-01-01", "2019-01-01", "Kidal", 18.4, 1.4, "Battles", 15)])
    assert audit.match(curated, reference)["matched_event_id"].tolist() == [""]


def test_recall_table_counts_by_year_and_band():
    matched = frame([
        ("R-1", "2018-01-01", "2018-01-01", "Mopti", 14.5, -4.2, "Battles", 12),
        ("R-2", "2018-02-01", "2018-02-01", "Mopti", 14.5, -4.2, "Battles", 40),
        ("R-3", "2019-02-01", "2019-02-01", "Mopti", 14.5, -4.2, "Battles", 30),
    ]).assign(matched_event_id=["C-1", "", "C-2"])
    table = audit.recall_table(matched).set_index(["year", "min_deaths"])
    assert table.loc[("2018", 10), ["reference_events", "found"]].tolist() == [2, 1]
    assert table.loc[("all years", 25), ["reference_events", "found"]].tolist() == [2, 1]
    assert table.loc[("all years", 10), "recall"] == round(2 / 3, 3)


def test_the_assignment_finds_the_most_events_where_a_greedy_pass_would_not():
    # R-big is nearest C-1 but could also be found by C-2; R-small only by C-1. Taking the
    # deadliest first and its nearest event would leave R-small unfound.
    curated = frame([
        ("C-1", "2022-06-01", "2022-06-01", "Mopti", 14.50, -4.20, "Battles", 40),
        ("C-2", "2022-06-01", "2022-06-01", "Mopti", 14.50, -3.70, "Battles", 15),
    ])
    reference = frame([
        ("R-big", "2022-06-01", "2022-06-01", "Mopti", 14.50, -4.05, "Battles", 50),
        ("R-small", "2022-06-01", "2022-06-01", "Ségou", 14.40, -4.75, "Battles", 12),
    ])
    found = audit.match(curated, reference).set_index("event_id")["matched_event_id"]
    assert found.to_dict() == {"R-big": "C-2", "R-small": "C-1"}


def test_a_wider_window_finds_more_and_the_book_rule_sits_between():
    curated = frame([("C-1", "2020-05-10", "2020-05-10", "Mopti", 14.5, -4.2, "Battles", 12),
                     ("C-2", "2020-07-01", "2020-07-01", "Gao", 16.3, -0.05, "Battles", 30)])
    reference = frame([
        ("R-2days", "2020-05-12", "2020-05-12", "Mopti", 14.5, -4.2, "Battles", 30),
        ("R-6days", "2020-07-07", "2020-07-07", "Gao", 16.3, -0.05, "Battles", 12),
    ])
    table = audit.window_sensitivity(curated, reference).set_index(["days", "min_deaths"])
    reused = audit.window_sensitivity(curated, reference, known={
        (audit.MATCH_DAYS, audit.MATCH_KM): audit.match(curated, reference)})
    assert reused.set_index(["days", "min_deaths"]).equals(table)
    assert table["found"].xs(10, level="min_deaths").to_dict() == {1: 0, 3: 1, 7: 2}
    assert table.loc[(7, 25), "recall"] == 1.0
    shown = audit.windows_display(table.reset_index().assign(reference="R"))
    assert shown.index[1].endswith("(the book's rule)")
    assert shown.iloc[2, 0] == "2 of 2 (100%)"
