"""Signposts on made-up events, and the forecast scoring against hand-computed values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import events_frame

from analysis import forecast, scenarios

COLUMNS = ["event_id", "date_start", "date_end", "event_type", "sub_event_type", "actor1",
           "actor2", "fatalities_best", "civilian_targeting", "admin1", "location",
           "geo_precision", "notes"]
END = pd.Timestamp("2025-06-30")


@pytest.fixture
def events() -> pd.DataFrame:
    rows = [
        ("1", "2025-06-10", "2025-06-10", "Battles", "Armed clash", "jnim", "fama", 40, False,
         "Gao", "Gao", 1, ""),
        ("2", "2025-05-01", "2025-05-01", "Battles", "Armed clash", "jnim", "fama", 20, False,
         "Kayes", "Diboli", 1, ""),
        ("3", "2025-02-01", "2025-02-01", "Explosions/Remote violence", "Air/drone strike",
         "fama", "civilians", 12, True, "Mopti", "Market near Mopti", 2, ""),
        ("4", "2025-03-01", "2025-06-30", "Strategic developments", "Other", "jnim",
         "civilians", 0, True, "Kayes", "Nioro", 2, "JNIM blockade of fuel"),
        ("5", "2024-10-01", "2024-10-01", "Battles", "Armed clash", "jnim", "fama", 100, False,
         "Mopti", "Boni", 1, ""),
        ("6", "2025-04-01", "2025-04-01", "Strategic developments", "Agreement",
         "mali_government", "csp_psd", 0, False, "Bamako", "Bamako", 3, ""),
        ("7", "2025-04-02", "2025-04-02", "Strategic developments", "Agreement",
         "mali_government", "aes", 0, False, "Bamako", "Bamako", 3, ""),
    ]
    frame = events_frame(COLUMNS, rows)
    # deaths on the army's side (actor2 = fama): 15 of 40, 5 of 20, 60 of 100
    return frame.assign(date_end=pd.to_datetime(frame["date_end"]),
                        deaths_side_a=[25, 15, 0, 0, 40, 0, 0],
                        deaths_side_b=[15, 5, 0, 0, 60, 0, 0])


def test_signpost_measures(events):
    assert scenarios.capital_attacks(events, END, 3) == 1  # Gao, at the town itself
    assert scenarios.southwest_attacks(events, END, 3) == 1  # Diboli in Kayes
    assert scenarios.army_losses(events, END, 3) == 20  # soldiers only, not the attackers
    assert scenarios.army_losses(events, END, 12) == 80
    assert scenarios.strikes_on_civilians(events, END, 6) == 1
    assert scenarios.strikes_on_civilians(events, END, 3) == 0
    assert scenarios.blockade_days(events, END, 3) == 92  # 1 April to 30 June
    assert scenarios.agreements(events, END, 3) == 1  # the AES pact is not with an armed group


def test_deaths_change_factor(events):
    # June 2025: 40 deaths; the 12 months before (June 2024 to May 2025): 20 + 12 + 100 = 132,
    # a monthly mean of 11; the factor is 40 / 11 (and the same below the mean, inverted).
    assert scenarios.deaths_change_factor(events, END, 1) == pytest.approx(40 / 11)
    assert scenarios.deaths_change_factor(events, pd.Timestamp("2025-03-31"), 1) == float("inf")


SIGNPOSTS = pd.DataFrame({
    "signpost_id": ["D1", "U2"], "scenario": ["downside", "upside"],
    "label": ["capital", "transition"], "kind": ["computed", "coded"],
    "measure": ["capital_attacks", None], "threshold": ["1", None], "comparison": [">=", None],
    "status": [None, "not met"], "as_of": [None, "2025-06-15"], "p_base": [None, "0.1"],
    "lr_upside": ["0.5", "6"], "lr_downside": ["2", "0.5"]})


def test_monthly_evidence_and_base_rates(events):
    evidence = scenarios.monthly_evidence(events, SIGNPOSTS, "2025-05-01", END)
    met = evidence.set_index(["signpost_id", evidence["month"].dt.month])["met"]
    assert met[("D1", 6)] and not met[("D1", 5)]  # Gao in June
    assert not met[("U2", 6)] and pd.isna(met[("U2", 5)])  # coded: only in its month
    rates = scenarios.base_rates(events, SIGNPOSTS, END)
    # met in 1 of the 36 months to June 2025, plus one met and one unmet month
    assert rates["D1"] == pytest.approx(2 / 38)
    assert rates["U2"] == pytest.approx(0.1)  # written for a coded signpost
    chances = scenarios.likelihoods(SIGNPOSTS, rates)
    assert chances.loc["U2"].tolist() == pytest.approx([0.1, 0.6, 0.05])
    assert chances.loc["D1"].tolist() == pytest.approx([2 / 38, 1 / 38, 4 / 38])
    rare = scenarios.likelihoods(SIGNPOSTS, pd.Series({"D1": 0.01, "U2": 0.9}))
    assert rare.loc["D1", "upside"] == scenarios.FLOOR  # 0.005 would nearly rule it out
    assert rare.loc["U2", "upside"] == scenarios.CEILING
    prior = pd.Series({"base": 0.6, "upside": 0.2, "downside": 0.2})
    by_hand = scenarios.update(prior, chances, scenarios.monthly_evidence(
        events, SIGNPOSTS, "2025-07-01", "2025-09-30"))
    pd.testing.assert_frame_equal(
        scenarios.update_from(events, SIGNPOSTS, prior, END, "2025-09-30"), by_hand)
    # measured once over a longer span (as the hindcast does), the same update
    longer = scenarios.monthly_evidence(events, SIGNPOSTS, "2021-01-01", "2026-06-30")
    pd.testing.assert_frame_equal(
        scenarios.update_from(events, SIGNPOSTS, prior, END, "2025-09-30", evidence=longer),
        by_hand)
    assert scenarios.base_rates(events, SIGNPOSTS, END, evidence=longer).equals(rates)
    weaker = scenarios.likelihoods(SIGNPOSTS, rates, strength=0.5)
    assert weaker.loc["U2", "upside"] == pytest.approx(0.1 * 6 ** 0.5)


def test_bayes_update_against_a_worked_example():
    prior = pd.Series({"base": 0.6, "upside": 0.2, "downside": 0.2})
    chances = pd.DataFrame({"base": [0.2], "upside": [0.1], "downside": [0.4]}, index=["S"])
    months = pd.to_datetime(["2025-07-01", "2025-08-01", "2025-09-01"])
    evidence = pd.DataFrame({"month": months, "signpost_id": "S",
                             "met": pd.array([True, pd.NA, False], dtype="boolean")})
    path = scenarios.update(prior, chances, evidence)
    wide = path.pivot(index="month", columns="scenario", values="probability")
    # July, met: 0.6 x 0.2, 0.2 x 0.1, 0.2 x 0.4 = 0.12, 0.02, 0.08, over 0.22
    assert wide.loc["2025-07-01", ["base", "upside", "downside"]].tolist() == pytest.approx(
        [0.12 / 0.22, 0.02 / 0.22, 0.08 / 0.22])
    # August, nothing observed: unchanged. September, not met: times 0.8, 0.9, 0.6
    assert pd.Timestamp("2025-08-01") not in wide.index
    after = np.array([0.12 * 0.8, 0.02 * 0.9, 0.08 * 0.6])
    assert scenarios.posterior(path).tolist() == pytest.approx(list(after / after.sum()))
    assert wide.index[0] == pd.Timestamp("2025-06-01")  # the prior, the month before
    assert scenarios.leading_changes(path) == 0


def test_the_leader_changes_are_counted():
    path = pd.DataFrame({"month": pd.to_datetime(["2025-01-01"] * 2 + ["2025-02-01"] * 2
                                                 + ["2025-03-01"] * 2),
                         "scenario": ["base", "downside"] * 3,
                         "probability": [0.6, 0.4, 0.3, 0.7, 0.8, 0.2]})
    assert scenarios.leading_changes(path) == 2


def test_weight_of_evidence_and_the_proxy_outcome():
    chances = pd.DataFrame({"base": [0.2], "upside": [0.1], "downside": [0.5]}, index=["S"])
    weights = scenarios.weight_of_evidence(chances).loc["S"]
    assert weights["downside: met"] == pytest.approx(2.5)
    assert weights["downside: not met"] == pytest.approx(0.5 / 0.8)
    months = pd.date_range("2020-01-01", periods=24, freq="MS")
    deaths = pd.Series([10] * 12 + [5] * 12, index=months)
    assert scenarios.scenario_outcome(deaths, pd.Timestamp("2020-12-01"), 0.8, 1.5) == "upside"
    assert scenarios.scenario_outcome(deaths * 0 + 10, pd.Timestamp("2020-12-01"), 0.8,
                                      1.5) == "base"
    assert scenarios.scenario_outcome(deaths, pd.Timestamp("2021-01-01"), 0.8, 1.5) is None
    assert scenarios.brier(pd.Series({"base": 1.0, "upside": 0.0, "downside": 0.0}),
                           "downside") == pytest.approx(2.0)


def test_hindcast_scores_the_update_and_its_benchmarks(events):
    more = pd.concat([events.assign(event_id=events["event_id"] + f"-{y}",
                                    date_start=events["date_start"] - pd.DateOffset(years=y),
                                    date_end=events["date_end"] - pd.DateOffset(years=y))
                      for y in range(5)], ignore_index=True)
    prior = pd.Series({"base": 0.6, "upside": 0.2, "downside": 0.2})
    table = scenarios.hindcast(more, SIGNPOSTS, prior, ["2022-06-30", "2024-06-30"], 0.8, 1.5)
    assert table["origin"].tolist() == [pd.Timestamp("2022-06-01")]  # 2024: no year after it
    row = table.iloc[0]
    assert row[["p_base", "p_upside", "p_downside"]].sum() == pytest.approx(1)
    assert row["brier_equal"] == pytest.approx(2 / 3)
    assert row["brier_prior"] == pytest.approx(scenarios.brier(prior, row["outcome"]))


def test_crps_matches_hand_computed_values():
    # Ensemble {0, 1, 2}, observation 1: E|X - y| = 2/3, E|X - X'| = 8/9, CRPS = 2/3 - 4/9.
    assert forecast.crps(np.array([1.0]), np.array([[0.0, 1.0, 2.0]]))[0] == pytest.approx(2 / 9)
    # A one-member ensemble scores the absolute error.
    assert forecast.crps(np.array([10.0]), np.array([[4.0]]))[0] == pytest.approx(6.0)


def test_interval_coverage():
    ensemble = np.tile(np.arange(101, dtype=float), (3, 1))
    assert forecast.covered(np.array([50.0, 5.0, 95.0]), ensemble).tolist() == [True, False,
                                                                                  False]


def test_baselines():
    history = np.array([5.0, 7.0, 9.0] * 4 + [20.0])
    rng = np.random.default_rng(0)
    assert forecast.no_change(history, 2, rng).ravel().tolist() == [20.0, 20.0]
    assert forecast.moving_average(history, 1, rng)[0, 0] == pytest.approx(
        np.mean(history[-12:]))
    assert forecast.seasonal_naive(history, 2, rng).ravel().tolist() == [7.0, 9.0]


def test_backtest_scores_each_origin_and_ranks_models():
    series = pd.Series([10.0] * 30, index=pd.date_range("2020-01-01", periods=30, freq="MS"))
    models = {"no change": forecast.no_change, "bootstrap of the last 24 months":
              forecast.bootstrap}
    results = forecast.backtest(series, models, first_origin=24, horizon=1, seed=1)
    assert len(results) == 2 * 6
    assert results["crps"].max() == pytest.approx(0.0)  # a constant series is forecast exactly
    summary = forecast.backtest_summary(results)
    assert pd.isna(summary.loc["no change", "coverage_80"])
    assert summary.loc["bootstrap of the last 24 months", "coverage_80"] == 1.0


def test_ensemble_models_are_reproducible_and_non_negative():
    history = np.array([0, 3, 50, 2, 0, 10, 40, 5, 1, 0, 7, 80] * 3, dtype=float)
    a = forecast.exponential_smoothing(history, 12, np.random.default_rng(7), members=200)
    b = forecast.exponential_smoothing(history, 12, np.random.default_rng(7), members=200)
    assert a.shape == (12, 200) and (a >= 0).all()
    assert np.array_equal(a, b)


def test_fan_and_scenario_probabilities():
    series = pd.Series([1.0, 2.0], index=pd.to_datetime(["2025-09-01", "2025-10-01"]))
    ensemble = np.tile(np.array([0.0, 10.0, 20.0, 30.0]), (12, 1))  # totals 0, 120, 240, 360
    fan = forecast.fan(series, ensemble)
    assert fan["month"].iloc[0] == pd.Timestamp("2025-11-01") and len(fan) == 12
    table = forecast.scenario_probabilities(ensemble, last_year_total=200)
    assert table["outlook probability"].to_dict() == {"upside": 0.5, "downside": 0.25,
                                                      "base": 0.25}


def test_backtest_on_a_short_series_scores_nothing_rather_than_failing():
    series = pd.Series([3.0] * 10, index=pd.date_range("2024-01-01", periods=10, freq="MS"))
    results = forecast.backtest(series, {"no change": forecast.no_change}, first_origin=0)
    assert results.empty
    assert forecast.backtest_summary(results).empty


def test_outlook_uses_the_members_asked_for_and_none_on_a_short_series():
    import numpy as np

    months = pd.date_range("2015-01-01", periods=40, freq="MS")
    series = pd.Series(np.arange(40, dtype=float) % 7, index=months)
    for model in ("exponential smoothing (log scale)", "bootstrap of the last 24 months",
                  "negative binomial around a 3-month weighted mean"):
        assert forecast.outlook(series, model, 6, members=250, seed=1).shape == (6, 250)
    counted, events = made_up_events(np.arange(40) % 5, np.arange(80) % 7)
    assert forecast.outlook(counted, forecast.CHOSEN_MODEL, 6, members=250, seed=1,
                            events=events).shape == (6, 250)
    assert forecast.outlook(series, "no change", 6, members=250, seed=1).shape == (6, 1)
    short = forecast.outlook(series.iloc[:5], "exponential smoothing (log scale)", 6, 250, 1)
    assert short.shape == (6, 0)
    assert forecast.fan(series.iloc[:5], short).empty
    probabilities = forecast.scenario_probabilities(short, 10.0)
    assert probabilities["outlook probability"].isna().all()


def test_origin_index_counts_the_months_before_the_first_origin():
    months = pd.date_range("2014-01-01", periods=36, freq="MS")
    series = pd.Series(0.0, index=months)
    assert forecast.origin_index(series, "2016-01-01") == 24
    assert forecast.origin_index(series, "2010-01-01") == 0


def test_ignorance_on_bins_by_hand():
    # four members: 0, 2, 2, 30 -> bins [0,1): 1, [1,3): 2, [26,51): 1, 11 bins in all
    ensemble = np.array([[0.0, 2.0, 2.0, 30.0]])
    expected = -np.log2((2 + 0.5) / (4 + 0.5 * 11))
    assert forecast.ignorance(np.array([1.0]), ensemble)[0] == pytest.approx(expected)
    empty_bin = -np.log2(0.5 / (4 + 0.5 * 11))
    assert forecast.ignorance(np.array([5000.0]), ensemble)[0] == pytest.approx(empty_bin)


def test_interval_scores_and_pit_by_hand():
    ensemble = np.arange(101, dtype=float).reshape(1, 101)  # 0..100
    scores = forecast.forecast_scores(np.array([50.0]), ensemble).iloc[0]
    # the 50% interval is [25, 75]: width 50, no penalty
    assert scores["interval_score_50"] == pytest.approx(50.0)
    assert scores["pit"] == pytest.approx(0.5) and scores["in_90_interval"]
    outside = forecast.forecast_scores(np.array([100.0 + 10]), ensemble).iloc[0]
    # width 50 plus 2/0.5 times the 35 beyond the upper bound
    assert outside["interval_score_50"] == pytest.approx(50 + 4 * 35)
    assert outside["pit"] == pytest.approx(1.0) and not outside["in_90_interval"]


def test_a_calibrated_model_is_found_calibrated():
    rng = np.random.default_rng(3)
    months = pd.date_range("2010-01-01", periods=180, freq="MS")
    series = pd.Series(rng.poisson(40, size=180).astype(float), index=months)

    def truth(history, horizon, rng, members=2000):
        return rng.poisson(40, size=(horizon, members)).astype(float)

    results = forecast.backtest(series, {"truth": truth, "zero": forecast.zero}, 24,
                                horizon=3, seed=1)
    coverage = results.loc[results["model"] == "truth", "in_80_interval"].mean()
    assert 0.72 <= coverage <= 0.88
    shares = forecast.pit_histogram(results, "truth")["share"]
    assert shares.between(0.04, 0.17).all()
    summary = forecast.backtest_summary(results, by=["step"])
    assert set(summary.index.get_level_values("step")) == {1, 2, 3}
    skill = forecast.skill_interval(results, "truth", "zero")
    assert skill["low"] <= skill["ratio"] <= skill["high"] < 1


def test_every_horizon_is_scored_once_per_origin():
    months = pd.date_range("2015-01-01", periods=40, freq="MS")
    series = pd.Series(np.arange(40, dtype=float), index=months)
    results = forecast.backtest(series, {"no change": forecast.no_change}, 24, horizon=12)
    # origins 24..39: the last ones can only be scored on the months observed
    assert results.groupby("step").size().loc[1] == 16 and results.groupby(
        "step").size().loc[12] == 5
    first = results[(results["origin"] == months[24])]
    assert first["crps"].tolist() == [float(h) for h in range(1, 13)]


def made_up_events(counts: np.ndarray, sizes: np.ndarray, first: str = "2000-01-01"
                   ) -> tuple[pd.Series, pd.DataFrame]:
    """Events on the 15th of their month (``counts`` per month, deaths ``sizes`` in order),
    and the monthly deaths they sum."""
    months = pd.date_range(first, periods=len(counts), freq="MS")
    days = np.repeat(months + pd.Timedelta(days=14), np.asarray(counts, dtype=int))
    events = pd.DataFrame({"event_id": [f"E{i}" for i in range(len(days))], "date_start": days,
                           "fatalities_best": np.asarray(sizes, dtype=float)[:len(days)]})
    series = pd.Series(np.bincount(np.repeat(np.arange(len(months)), counts.astype(int)),
                                   weights=events["fatalities_best"], minlength=len(months)),
                       index=months)
    return series, events


def test_skill_needs_a_scored_benchmark():
    series, events = made_up_events(np.arange(10), np.ones(45))
    empty = forecast.backtest(series, forecast.MODELS, 0, horizon=12, events=events)
    assert forecast.skill_table(empty).empty
    assert forecast.best_benchmark(forecast.backtest_summary(empty)) is None


def test_an_archived_outlook_round_trips_and_is_never_rewritten(tmp_path):
    from analysis.data import load_outlooks
    from analysis.run.refresh import archive_outlook

    written = archive_outlook(None, "2024-06", "bootstrap of the last 24 months", tmp_path,
                              issued="2024-07-02")
    table = load_outlooks(tmp_path)
    assert len(table) == 12 and set(table["data_through"]) == {"2024-06"}
    assert table["month"].iloc[0] == "2024-07" and table["issued"].iloc[0] == "2024-07-02"
    assert (table["q05"] <= table["q50"]).all() and (table["q50"] <= table["q95"]).all()
    before = written.read_bytes()
    with pytest.raises(FileExistsError):
        archive_outlook(None, "2024-06", "bootstrap of the last 24 months", tmp_path)
    assert written.read_bytes() == before


def test_an_archive_is_scored_on_the_months_since_observed():
    archive = pd.DataFrame({"month": ["2025-11", "2025-12", "2026-01"],
                            "q05": [0, 0, 0], "q25": [10, 10, 10], "q50": [20, 20, 20],
                            "q75": [30, 30, 30], "q95": [90, 90, 90]})
    observed = pd.Series([25.0, 100.0], index=pd.to_datetime(["2025-11-01", "2025-12-01"]))
    scored = forecast.score_archive(archive, observed)
    assert scored["month"].tolist() == ["2025-11", "2025-12"]  # January not yet observed
    assert scored["in_50_band"].tolist() == [True, False]
    assert scored["in_90_band"].tolist() == [True, False]
    assert scored["median_error"].tolist() == [5.0, 80.0]


def test_the_archive_summary_counts_months_and_band_shares():
    scored = pd.DataFrame({"data_through": ["2025-10"] * 2, "model": ["m"] * 2,
                           "issued": ["d"] * 2, "month": ["2025-11", "2025-12"],
                           "in_50_band": [True, False], "in_90_band": [True, True],
                           "median_error": [5.0, 15.0]})
    row = forecast.archive_summary(scored).iloc[0]
    assert (row["months_observed"], row["in_50_band"], row["in_90_band"],
            row["median_error"]) == (2, 0.5, 1.0, 10.0)


def test_weighted_levels_use_only_earlier_months():
    # half-life 1: each month weighs half the next; level after [10, 0, 0] by hand
    levels = forecast.weighted_levels(np.array([10.0, 0.0, 0.0]), half_life=1)
    assert levels.tolist() == pytest.approx([0.0, 10.0, 5 / 1.5, 2.5 / 1.75])


@pytest.mark.parametrize(("size", "overdispersed"), [(4.0, True), (1e6, False)])
def test_the_negative_binomial_is_calibrated_on_counts_of_a_known_distribution(size,
                                                                               overdispersed):
    # monthly counts drawn from a negative binomial of mean 40 (size 1e6: nearly Poisson)
    rng = np.random.default_rng(5)
    months = pd.date_range("2000-01-01", periods=240, freq="MS")
    counts = rng.negative_binomial(size, size / (size + 40.0), size=240).astype(float)
    series = pd.Series(counts, index=months)
    model = "negative binomial around a 3-month weighted mean"
    results = forecast.backtest(series, {model: forecast.MODELS[model]}, 36, horizon=3, seed=2)
    assert 0.74 <= results["in_80_interval"].mean() <= 0.86
    assert forecast.pit_histogram(results, model)["share"].between(0.05, 0.15).all()
    ensemble = forecast.outlook(series, model, 1, members=20_000, seed=1)
    # variance over mean, 1 + mean / size: 11 for size 4, 1 for Poisson-like counts
    spread = ensemble.var() / ensemble.mean()
    assert spread > 3 if overdispersed else spread < 1.3


def test_no_forecast_uses_the_months_after_its_origin():
    rng = np.random.default_rng(8)
    counts = rng.poisson(6, size=48)
    sizes = rng.geometric(0.2, size=counts.sum()).astype(float)
    before, events = made_up_events(counts, sizes, "2014-01-01")
    later = events["date_start"] >= "2017-01-01"  # the months from the 37th on change
    changed = pd.concat([events.assign(fatalities_best=events["fatalities_best"].where(
        ~later, events["fatalities_best"] * 10 + 50)), events[later].assign(
        event_id=lambda t: t["event_id"] + "b")], ignore_index=True)
    after = before.copy()
    after.iloc[36:] = changed.groupby(changed["date_start"].dt.to_period("M").dt.to_timestamp())[
        "fatalities_best"].sum().reindex(before.index[36:], fill_value=0).to_numpy()
    scores = [forecast.backtest(s, forecast.MODELS, 24, horizon=3, seed=4, events=e) for s, e in
              ((before, events), (after, changed))]
    # a forecast whose inputs and target month all lie before the change scores the same
    position = {month: i for i, month in enumerate(before.index)}
    settled = [s[s["origin"].map(position) + s["step"] - 1 < 36].reset_index(drop=True)
               for s in scores]
    assert len(settled[0]) == len(forecast.MODELS) * (12 * 3 - 3)
    pd.testing.assert_frame_equal(settled[0], settled[1])
    assert not scores[0]["crps"].equals(scores[1]["crps"])  # later forecasts did change


def test_the_models_that_read_events_need_them_and_the_same_selection():
    series, events = made_up_events(np.full(24, 3), np.arange(72) % 9)
    model = "event counts × past event sizes"
    with pytest.raises(ValueError, match="event counts × past event sizes"):
        forecast.backtest(series, {model: forecast.MODELS[model]}, 12)
    with pytest.raises(ValueError, match="events"):
        forecast.outlook(series, model, 3, 100, 1)
    wrong = series.copy()
    wrong.iloc[5] += 1
    with pytest.raises(ValueError, match="June 2000"):
        forecast.backtest(wrong, {model: forecast.MODELS[model]}, 12, events=events)
    # a model of the deaths alone needs no events
    assert not forecast.backtest(series, {"zero": forecast.zero}, 12).empty


def test_a_record_until_an_origin_holds_only_the_months_before_it():
    series, events = made_up_events(np.array([2, 0, 3, 1]), np.array([1, 2, 3, 4, 5, 6]))
    record = forecast.event_record(series, events)
    assert record.events.tolist() == [2, 0, 3, 1] and record.calendar.tolist() == [1, 2, 3, 4]
    early = record.until(2)
    assert early.sizes.tolist() == [1.0, 2.0] and early.deaths.tolist() == [3.0, 0.0]
    assert record.until(3).sizes.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_seasonal_factors_find_a_known_pattern_and_shrink_noise_to_none():
    rng = np.random.default_rng(11)
    truth = np.array([2.0, 2.0, 1.5, 1.0, 1.0, 0.7, 0.5, 0.5, 0.7, 1.0, 1.0, 1.5])
    truth = truth / np.exp(np.log(truth).mean())  # geometric mean 1, as the factors are
    calendar = np.tile(np.arange(1, 13), 10)
    seasonal = rng.poisson(40 * truth[calendar - 1])
    found = forecast.seasonal_factors(seasonal, calendar)
    assert np.allclose(found, truth, rtol=0.15)
    flat = forecast.seasonal_factors(rng.poisson(40, size=120), calendar)
    assert np.abs(np.log(flat)).max() < 0.05  # no pattern: shrunk to (almost) nothing
    assert np.exp(np.log(found).mean()) == pytest.approx(1.0)
    assert forecast.seasonal_factors(np.zeros(24), calendar[:24]).tolist() == [1.0] * 12


def test_the_compound_model_is_calibrated_on_a_known_compound_process():
    # events per month: negative binomial of mean 20 (size 5); deaths per event: geometric
    rng = np.random.default_rng(12)
    counts = rng.negative_binomial(5, 5 / (5 + 20.0), size=180)
    sizes = rng.geometric(0.15, size=counts.sum()).astype(float)
    series, events = made_up_events(counts, sizes)
    model = "event counts × past event sizes"
    results = forecast.backtest(series, {model: forecast.MODELS[model]}, 60, horizon=3, seed=3,
                                events=events)
    assert 0.74 <= results["in_80_interval"].mean() <= 0.86
    assert forecast.pit_histogram(results, model)["share"].between(0.04, 0.17).all()
    ensemble = forecast.outlook(series, model, 1, members=20_000, seed=1, events=events)
    assert ensemble.mean() == pytest.approx(20 / 0.15, rel=0.15)


def test_seasonality_pays_where_the_events_are_seasonal_and_costs_little_where_not():
    rng = np.random.default_rng(13)
    truth = np.array([2.5, 2.5, 2.0, 1.0, 1.0, 0.6, 0.4, 0.4, 0.6, 1.0, 1.0, 2.0])
    calendar = np.tile(np.arange(12), 12)
    scores = {}
    for name, mean in (("seasonal", 15 * truth[calendar]), ("flat", np.full(144, 15.0))):
        counts = rng.poisson(mean)
        series, events = made_up_events(counts, rng.geometric(0.2, size=counts.sum()))
        results = forecast.backtest(series, {m: forecast.MODELS[m] for m in (
            "event counts × past event sizes", "event counts × past event sizes, seasonal")},
            48, horizon=6, seed=2, events=events)
        scores[name] = results.groupby("model")["crps"].mean()
    plain, seasonal = "event counts × past event sizes", "event counts × past event sizes, seasonal"
    assert scores["seasonal"][seasonal] < 0.8 * scores["seasonal"][plain]
    assert scores["flat"][seasonal] < 1.05 * scores["flat"][plain]


def test_the_selection_rule_picks_the_sharpest_candidate_with_honest_intervals():
    summary = pd.DataFrame(
        {"mean_crps": [5.0, 8.0, 9.0, 10.0, 12.0],
         "coverage_80": [0.8, 0.95, 0.85, 0.8, np.nan]},
        index=pd.Index(["bootstrap of the last 24 months", "too wide", "honest", "worse",
                        "no change"], name="model"))
    # the benchmark is never picked; "too wide" is sharper but its intervals cover too much
    assert forecast.select_model(summary) == "honest"
    assert forecast.select_model(summary, coverage=(0.7, 0.96)) == "too wide"
    assert forecast.select_model(summary.drop(index=["honest", "worse"])) is None
