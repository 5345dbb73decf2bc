"""Inter-coder agreement on constructed codings with hand-computed answers."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import quality


def codings() -> tuple[pd.DataFrame, pd.DataFrame]:
    first = pd.DataFrame({
        "event_id": ["A", "B", "C", "D"],
        "date_start": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"]),
        "admin1": ["Mopti", "Gao", "Kidal", "Ségou"],
        "event_type": ["Battles", "Battles", "Violence against civilians", "Battles"],
        "sub_event_type": ["Armed clash"] * 2 + ["Attack", "Armed clash"],
        "actor1": ["jnim", "fama", "jnim", "issp"], "actor2": ["fama", "jnim", "civilians", None],
        "civilian_targeting": [False, False, True, False],
        "fatalities_best": pd.array([10, 20, 30, None], dtype="Int64"),
    })
    second = pd.DataFrame({
        "event_id": ["A", "B", "C", "D", "E"], "found_sources": ["1", "2", "1", "1", "0"],
        "date_start": ["2020-01-01", "2020-02-03", "2020-03-09", "2020-04-01", ""],
        "date_end": ["2020-01-01", "2020-02-03", "2020-03-09", "2020-04-01", ""],
        "admin1": ["Mopti", "Gao", "Kidal", "Mopti", ""],
        "event_type": ["Battles", "Violence against civilians", "Violence against civilians",
                       "Battles", ""],
        "sub_event_type": ["Armed clash", "Attack", "Attack", "Armed clash", ""],
        "actor1": ["fama", "fama", "jnim", "issp", ""], "actor2": ["jnim", "civilians",
                                                                   "civilians", "", ""],
        "civilian_targeting": ["false", "true", "true", "false", ""],
        "fatalities_best": ["10", "23", "40", "", ""],
    })
    return first, second


def test_agreement_by_measure():
    first, second = codings()
    table = quality.agreement(first, second)["agreement, all coded events"]
    assert table["first day, exact"] == 0.5  # A and D
    assert table["first day, within 3 days"] == 0.75  # B is two days off, C eight
    assert table["region (admin1)"] == 0.75
    assert table["initiator (actor1)"] == 0.75  # only A differs (initiator and target swapped)
    assert table["pair of actors"] == 0.75  # A swapped is the same pair; B names civilians
    assert table["best toll, exact"] == 0.5  # A, and D where neither gives a toll
    assert table["best toll, within 20%"] == 0.75  # B: 23 is within 20% of 20


def test_cohens_kappa_against_a_hand_computed_value():
    first = pd.Series(["x", "x", "y", "y", "x", "y"])
    second = pd.Series(["x", "y", "y", "y", "x", "x"])
    # observed agreement 4/6; expected (3/6 * 3/6) + (3/6 * 3/6) = 1/2; kappa = (2/3-1/2)/(1/2)
    assert quality.kappa(first, second) == pytest.approx(1 / 3)
    assert quality.kappa(first, first) == pytest.approx(1.0)


def test_events_the_second_coder_mistook_for_another_are_compared_apart():
    first, second = codings()
    second = second.assign(same_event=["true", "false", "true", "true", ""])
    table = quality.agreement(first, second)
    assert table.loc["events compared"].tolist() == [4, 3]
    assert table.loc["event type", "agreement, the same event"] == 1.0


def test_no_event_in_common_gives_no_agreement_and_no_error():
    first, second = codings()
    table = quality.agreement(first.assign(event_id=["W", "X", "Y", "Z"]), second)
    assert table.loc["events compared"].tolist() == [0, 0]
    assert table.loc["event type"].isna().all()
