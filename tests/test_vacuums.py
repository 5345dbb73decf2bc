"""Windows, distances and the interrupted time series on made-up data with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import events_frame

from analysis import geography, vacuums

COLUMNS = ["event_id", "date_start", "event_type", "sub_event_type", "actor1", "actor2",
           "fatalities_best", "civilian_targeting", "latitude", "longitude", "location",
           "admin1"]


def test_distance_known_answers():
    assert geography.distance_km(1.0, 0.0, 0.0, 0.0) == pytest.approx(111.19, abs=0.01)
    # Bamako to Gao is about 950 km on the great circle.
    assert geography.distance_km(16.27, -0.04, 12.64, -8.0) == pytest.approx(950, rel=0.02)


@pytest.fixture
def events() -> pd.DataFrame:
    rows = [
        ("a", "2023-05-01", "Battles", "Armed clash", "jnim", "fama", 10, False, 16.27, -0.04,
         "Gao", "Gao"),
        ("b", "2023-09-01", "Battles", "Armed clash", "jnim", "fama", 20, False, 16.30, -0.10,
         "near Gao", "Gao"),
        ("c", "2023-09-02", "Violence against civilians", "Attack", "jnim", "civilians", 5,
         True, 14.5, -4.1, "Sévaré", "Mopti"),
        ("d", "2023-08-01", "Strategic developments", "Non-violent transfer of territory",
         "minusma", "fama", 0, False, 16.27, -0.04, "Gao (camp)", "Gao"),
        ("e", "2013-01-29", "Strategic developments", "Non-violent transfer of territory",
         "france", None, 0, False, 18.44, 1.41, "Kidal (airport)", "Kidal"),
    ]
    return events_frame(COLUMNS, rows, source_ids="k")


def test_handovers_need_a_recipient(events):
    bases = vacuums.handovers(events)
    assert bases["base"].tolist() == ["Gao"] and bases["operator"].tolist() == ["minusma"]


def test_before_after_windows(events):
    table = vacuums.before_after(events, pd.Timestamp("2023-08-01"), 6).set_index("window")
    assert table.loc["before", "events"] == 1 and table.loc["after", "events"] == 2
    assert table.loc["after", "fatalities"] == 25
    assert table.loc["after", "civilian_targeting"] == 1
    short = vacuums.before_after(events, pd.Timestamp("2023-08-01"), 2).set_index("window")
    assert short.loc["before", "events"] == 0  # 1 May is outside two months


def test_near_and_near_bases(events):
    assert vacuums.near(events, 16.27, -0.04, 10)["event_id"].tolist() == ["a", "b", "d"]
    table = vacuums.near_bases(events, vacuums.handovers(events), 50, 6).iloc[0]
    assert (table["events_before"], table["events_after"]) == (1, 1)


def test_distance_profile_bands(events):
    profile = vacuums.distance_profile(events, vacuums.handovers(events), 6,
                                       bands=(0, 25, 500))
    counts = profile.set_index(["band", "window"])["events"]
    assert counts[("0-25 km", "after")] == 1 and counts[("500-inf km", "after")] == 0
    assert counts[("25-500 km", "after")] == 1  # Sévaré is about 450 km from Gao


def test_interrupted_series_recovers_a_known_level_change():
    rng = np.random.default_rng(3)
    months = pd.date_range("2020-01-01", periods=48, freq="MS")
    rate = np.where(months >= pd.Timestamp("2022-01-01"), 30.0, 10.0)
    counts = pd.Series(rng.poisson(rate), index=months)
    result = vacuums.interrupted_series(counts, pd.Timestamp("2022-01-01"))
    assert result["rate_ratio"] == pytest.approx(3.0, rel=0.25)
    assert 1.5 < result["low"] < result["rate_ratio"] < result["high"]
    flat = pd.Series(rng.poisson(np.full(48, 10.0)), index=months)
    none = vacuums.interrupted_series(flat, pd.Timestamp("2022-01-01"))
    assert none["low"] < 1.0 < none["high"]


def test_interrupted_series_without_data_after_the_date():
    months = pd.date_range("2020-01-01", periods=12, freq="MS")
    result = vacuums.interrupted_series(pd.Series(5, index=months), pd.Timestamp("2021-06-01"))
    assert np.isnan(result["rate_ratio"])


def test_monthly_counts_stop_at_the_end_of_the_data(events):
    counts = vacuums.monthly_counts(events, pd.Timestamp("2023-08-01"), 12, "2023-10-31")
    assert counts.index[-1] == pd.Timestamp("2023-10-01")
    assert counts.sum() == 3


def test_interrupted_series_of_no_months_is_empty_not_an_error():
    empty = pd.Series([], dtype=float, index=pd.DatetimeIndex([]))
    result = vacuums.interrupted_series(empty, pd.Timestamp("2023-06-30"))
    assert result["months"] == 0 and np.isnan(result["rate_ratio"])


def test_interrupted_series_needs_months_on_each_side_and_survives_a_singular_fit():
    months = pd.date_range("2015-01-01", periods=6, freq="MS")
    short_after = pd.Series([1, 0, 2, 1, 0, 3], index=months, dtype=float)
    assert np.isnan(vacuums.interrupted_series(short_after, "2015-05-01")["rate_ratio"])
    lone = pd.Series([0, 0, 0, 1, 0, 0], index=months, dtype=float)  # one event in all
    assert np.isnan(vacuums.interrupted_series(lone, "2015-04-01")["rate_ratio"])
