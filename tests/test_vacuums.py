"""Windows, distances and the stacked event study on made-up data with known answers."""

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


def test_before_after_windows(events):
    table = vacuums.before_after(events, pd.Timestamp("2023-08-01"), 6).set_index("window")
    assert table.loc["before", "events"] == 1 and table.loc["after", "events"] == 2
    assert table.loc["after", "fatalities"] == 25
    assert table.loc["after", "civilian_targeting"] == 1
    short = vacuums.before_after(events, pd.Timestamp("2023-08-01"), 2).set_index("window")
    assert short.loc["before", "events"] == 0  # 1 May is outside two months


def test_near(events):
    assert vacuums.near(events, 16.27, -0.04, 10)["event_id"].tolist() == ["a", "b", "d"]


# --- The stacked event study on simulated events with a known effect ------------------------

BASES = [("b1", 15.0, 0.0, "2020-07-15"), ("b2", 15.0, 3.0, "2021-01-15"),
         ("b3", 17.0, 0.0, "2021-07-15"), ("b4", 17.0, 3.0, "2022-01-15"),
         ("b5", 13.0, 1.5, "2022-07-15"), ("b6", 19.0, 1.5, "2023-01-15")]


def simulated(effect: float, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly events drawn around six bases (rate 4 a month, times ``effect`` after the
    base's departure) and in a far area (rate 20, seasonal), with the departures' table."""
    rng = np.random.default_rng(seed)
    months = pd.period_range("2019-01", "2024-12", freq="M")
    rows = []
    for base, lat, lon, day in BASES:
        left = pd.Period(day[:7], freq="M")
        for month in months:
            rate = 4.0 * (effect if month >= left else 1.0) * (1.3 if month.month in (7, 8)
                                                                else 1.0)
            for _ in range(rng.poisson(rate)):
                rows.append((month.to_timestamp() + pd.Timedelta(days=int(rng.integers(0, 27))),
                             lat + rng.normal(0, 0.05), lon + rng.normal(0, 0.05), base))
    for month in months:
        for _ in range(rng.poisson(20 * (1.3 if month.month in (7, 8) else 1.0))):
            rows.append((month.to_timestamp() + pd.Timedelta(days=int(rng.integers(0, 27))),
                         11.0 + rng.normal(0, 0.2), -7.0 + rng.normal(0, 0.2), "far"))
    events = pd.DataFrame(rows, columns=["date_start", "latitude", "longitude", "location"])
    events = events.assign(event_id=[f"e{i}" for i in range(len(events))],
                           event_type="Battles", sub_event_type="Armed clash", actor1="jnim",
                           actor2="fama", assoc_actors=None, civilian_targeting=False,
                           fatalities_best=3, geo_precision=1)
    places = pd.DataFrame([{"base_id": b, "operator": "minusma", "event": "handover",
                            "location": b, "latitude": lat, "longitude": lon,
                            "date": pd.Timestamp(day), "temporary": "false"}
                           for b, lat, lon, day in BASES])
    return events, places


def design_for(events: pd.DataFrame, places: pd.DataFrame) -> vacuums.Design:
    return vacuums.Design(events, places, ("jnim",), "2024-12-31", radius_km=50, months=12)


def test_the_event_study_recovers_a_known_effect():
    events, places = simulated(effect=2.0)
    design = design_for(events, places)
    chosen = vacuums.departures(places)
    result = vacuums.pooled_effect(vacuums._panel(design, chosen, "violent events"))
    assert result["low"] < 2.0 < result["high"]
    assert result["low"] > 1.0
    dynamic = vacuums.event_study(design, chosen).query("withdrawal == 'all departures'")
    after = dynamic[dynamic["block"] >= 0]
    before = dynamic[dynamic["block"] < -1]
    assert (after["low"] > 1).all() and (before["low"] < 1).all() & (before["high"] > 1).all()


def test_the_event_study_finds_nothing_where_nothing_happened():
    events, places = simulated(effect=1.0, seed=11)
    design = design_for(events, places)
    chosen = vacuums.departures(places)
    result = vacuums.pooled_effect(vacuums._panel(design, chosen, "violent events"))
    assert result["low"] < 1.0 < result["high"]


def test_placebo_dates_of_a_real_effect_are_null():
    events, places = simulated(effect=2.0, seed=3)
    design = design_for(events, places)
    chosen = vacuums.departures(places)
    shifted = vacuums.placebo_dates(chosen, 12)
    assert (shifted["date"] == chosen["date"] - pd.DateOffset(months=12)).all()
    result = vacuums.pooled_effect(vacuums._panel(design, shifted, "violent events"))
    assert result["low"] < 1.0 < result["high"]


def test_placebo_places_avoid_bases_left_at_the_time():
    _, places = simulated(effect=1.0)
    chosen = vacuums.departures(places)
    fake = vacuums.placebo_places(places, chosen, 6)
    for row in fake.itertuples(index=False):
        own = places.set_index("location").loc[row.location, "date"]
        assert abs((own - row.date).days) > 6 * 30


def test_the_departing_force_s_own_events_are_left_out():
    events, places = simulated(effect=1.0)
    design = design_for(events, places)
    chosen = vacuums.departures(places)
    with_own = events.assign(actor2=np.where(events["location"] == "b1", "minusma", "fama"))
    panel = vacuums._panel(design._replace(events=with_own), chosen, "violent events")
    assert panel.loc[panel["base_id"] == "b1", "treated"].sum() == 0
    shown = vacuums.own_events(design._replace(events=with_own), chosen)
    assert shown.loc[0, "before"] + shown.loc[0, "after"] > 0


def test_too_little_data_gives_no_estimate():
    events, places = simulated(effect=1.0)
    design = design_for(events.head(30), places)
    result = vacuums.pooled_effect(vacuums._panel(design, vacuums.departures(places),
                                                  "violent events"))
    assert np.isnan(result["rate_ratio"])


@pytest.mark.parametrize("outcome", vacuums.OUTCOMES)
def test_every_outcome_is_defined(outcome):
    events, _ = simulated(effect=1.0)
    values = vacuums.outcome_values(events.head(50), outcome, ("jnim",))
    assert len(values) == 50 and (values >= 0).all()
    with pytest.raises(ValueError, match="unknown outcome"):
        vacuums.outcome_values(events, "nothing", ())
