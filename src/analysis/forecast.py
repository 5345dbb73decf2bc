"""Forecasting monthly fatalities: predictive distributions, baselines and a rolling backtest.

A forecast here is an ensemble: an array of simulated values per future month. Point
forecasts (the baselines) are ensembles of one member, whose CRPS is the absolute error.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import scoringrules
from scipy.signal import lfilter
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from analysis.schema import OUTLOOK_COLUMNS

#: A model: (history, horizon, rng) -> ensemble of ``horizon`` rows. The history is the array of
#: monthly deaths, or a ``Record`` for a model whose first parameter is named ``record``.
Forecaster = Callable[..., np.ndarray]
#: The fewest months a model is fitted on in the backtest.
MIN_HISTORY = 12


def no_change(history: np.ndarray, horizon: int, rng: np.random.Generator) -> np.ndarray:
    """Last month's value carried forward (one member per month)."""
    return np.full((horizon, 1), float(history[-1]))


def moving_average(history: np.ndarray, horizon: int, rng: np.random.Generator,
                   months: int = 12) -> np.ndarray:
    """The mean of the last ``months`` months, carried forward."""
    return np.full((horizon, 1), float(np.mean(history[-months:])))


def seasonal_naive(history: np.ndarray, horizon: int, rng: np.random.Generator) -> np.ndarray:
    """The value of the same calendar month a year earlier."""
    values = [history[-12 + (h % 12)] if len(history) >= 12 else history[-1]
              for h in range(horizon)]
    return np.asarray(values, dtype=float).reshape(horizon, 1)


def bootstrap(history: np.ndarray, horizon: int, rng: np.random.Generator,
              window: int = 24, members: int = 1000) -> np.ndarray:
    """Each future month drawn with replacement from the last ``window`` months."""
    recent = history[-window:]
    return rng.choice(recent, size=(horizon, members), replace=True).astype(float)


def exponential_smoothing(history: np.ndarray, horizon: int, rng: np.random.Generator,
                          members: int = 1000) -> np.ndarray:
    """Damped-trend exponential smoothing of log(1 + deaths), simulated (statsmodels)."""
    logged = np.log1p(np.asarray(history, dtype=float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        model = ExponentialSmoothing(logged, trend="add", damped_trend=True,
                                     initialization_method="estimated").fit()
        paths = model.simulate(horizon, repetitions=members, error="add",
                               rng=np.random.default_rng(rng.integers(2**31)))
    return np.clip(np.expm1(np.asarray(paths).reshape(horizon, members)), 0, None)


def zero(history: np.ndarray, horizon: int, rng: np.random.Generator) -> np.ndarray:
    """No deaths at all: the benchmark every model must beat."""
    return np.zeros((horizon, 1))


def recent_mean(history: np.ndarray, horizon: int, rng: np.random.Generator) -> np.ndarray:
    """The mean of the last 3 months, carried forward."""
    return moving_average(history, horizon, rng, months=3)


def log_normal(history: np.ndarray, horizon: int, rng: np.random.Generator,
               members: int = 1000, level_months: int = 12, spread_months: int = 36
               ) -> np.ndarray:
    """log(1 + deaths) drawn from a normal centred on the mean of the last ``level_months``
    and as wide as the last ``spread_months`` vary: a heavy-tailed distribution on the
    original scale, with a level that follows the recent past."""
    logged = np.log1p(np.asarray(history, dtype=float))
    centre = logged[-level_months:].mean()
    spread = logged[-spread_months:].std(ddof=1) if len(logged) > 2 else 1.0
    return np.clip(np.expm1(rng.normal(centre, spread, size=(horizon, members))), 0, None)


def bootstrap_and_log_normal(history: np.ndarray, horizon: int, rng: np.random.Generator,
                             members: int = 1000) -> np.ndarray:
    """An equal mixture of the 24-month bootstrap and the log-normal model."""
    half = max(members // 2, 1)
    return np.hstack([bootstrap(history, horizon, rng, members=half),
                      log_normal(history, horizon, rng, members=members - half)])


def weighted_levels(history: np.ndarray, half_life: float) -> np.ndarray:
    """The exponentially weighted mean of ``history`` after each month: element ``s`` weighs
    month ``i < s`` by 0.5 ** ((s - 1 - i) / half_life), so it uses months before ``s`` only
    (element 0, with no month before it, is 0). Length ``len(history) + 1``; the last element is
    the level at the end of the history."""
    values = np.asarray(history, dtype=float)
    decay = 0.5 ** (1 / half_life)
    weighted = lfilter([1.0], [1.0, -decay], values)
    weights = lfilter([1.0], [1.0, -decay], np.ones_like(values))
    return np.concatenate([[0.0], weighted / weights])


def negative_binomial_size(observed: np.ndarray, means: np.ndarray) -> float:
    """The size (shape) of a negative binomial for counts ``observed`` around ``means``,
    estimated by moments (variance = mean + mean**2 / size); 1e3, nearly Poisson, when the
    counts vary no more than a Poisson count."""
    observed, means = np.asarray(observed, dtype=float), np.asarray(means, dtype=float)
    excess = float(np.mean((observed - means) ** 2 - means)) if len(observed) else 0.0
    size = float(np.mean(means ** 2)) / excess if excess > 0 else 1e3
    return max(size, 1e-3)


def negative_binomial(history: np.ndarray, horizon: int, rng: np.random.Generator,
                      members: int = 1000, half_life: float = 3, dispersion_months: int = 24
                      ) -> np.ndarray:
    """A negative binomial count model, as conflict forecasters use for deaths: the mean is the
    exponentially weighted mean of past months (half-life ``half_life`` months), the same for
    every horizon; the dispersion is estimated by moments from the errors of that mean one
    month ahead over the last ``dispersion_months`` months (``negative_binomial_size``). Drawn
    as a gamma-Poisson mixture."""
    values = np.asarray(history, dtype=float)
    levels = weighted_levels(values, half_life)
    months = np.arange(max(1, len(values) - dispersion_months), len(values))
    size = negative_binomial_size(values[months], levels[months])
    mean = max(float(levels[-1]), 1e-9)
    return rng.poisson(rng.gamma(size, mean / size, size=(horizon, members))).astype(float)


@dataclass(frozen=True)
class Record:
    """What a model may know at a forecast origin beyond the monthly deaths: the number of
    events of each month, its calendar month (1-12), and the deaths of every past event with
    the position of its month."""

    deaths: np.ndarray
    events: np.ndarray
    calendar: np.ndarray
    sizes: np.ndarray
    size_month: np.ndarray

    def until(self, origin: int) -> Record:
        """The record of the months before position ``origin`` only."""
        kept = self.size_month < origin
        return Record(self.deaths[:origin], self.events[:origin], self.calendar[:origin],
                      self.sizes[kept], self.size_month[kept])


def event_record(series: pd.Series, events: pd.DataFrame) -> Record:
    """The ``Record`` of the monthly deaths ``series`` (indexed by month start) and of the
    events it sums (``date_start``, ``fatalities_best``; events outside the series' months are
    not part of it). A ValueError names the first month whose deaths differ from the events'."""
    months = pd.DatetimeIndex(series.index)
    position = pd.Series(np.arange(len(months)), index=months.to_period("M"))
    where = events["date_start"].dt.to_period("M").map(position)
    inside = where.notna().to_numpy()
    order = np.argsort(where[inside].to_numpy(dtype=int), kind="stable")
    size_month = where[inside].to_numpy(dtype=int)[order]
    sizes = events.loc[inside, "fatalities_best"].astype(float).fillna(0.0).to_numpy()[order]
    deaths = series.to_numpy(dtype=float)
    summed = np.bincount(size_month, weights=sizes, minlength=len(months))
    differing = np.flatnonzero(~np.isclose(summed, deaths))
    if differing.size:
        first = int(differing[0])
        raise ValueError(f"the monthly deaths of {months[first]:%B %Y} ({deaths[first]:g}) are "
                         f"not the sum of that month's events ({summed[first]:g}): the series "
                         "and the events must be the same selection")
    counts = np.bincount(size_month, minlength=len(months)).astype(float)
    return Record(deaths, counts, months.month.to_numpy(), sizes, size_month)


def seasonal_factors(counts: np.ndarray, calendar: np.ndarray) -> np.ndarray:
    """Twelve multiplicative factors of the calendar months (January first, geometric mean 1)
    for monthly ``counts``: each month's log(1 + count) less the centred mean of the twelve
    months around it; per calendar month the mean of these deviations, shrunk towards no
    effect by the empirical-Bayes (random-effects) weight between / (between + within / n),
    where ``within`` is the variance of deviations inside a calendar month, ``between`` the
    variance of the twelve means beyond what ``within`` explains and n the month's years. Few
    years or no pattern give factors near 1."""
    logged = np.log1p(np.asarray(counts, dtype=float))
    baseline = pd.Series(logged).rolling(12, center=True, min_periods=6).mean().to_numpy()
    deviation = pd.Series(logged - baseline).dropna()
    month = pd.Series(np.asarray(calendar), index=range(len(logged)))[deviation.index]
    grouped = deviation.groupby(month)
    means = grouped.mean().reindex(range(1, 13))
    years = grouped.size().reindex(range(1, 13), fill_value=0).to_numpy()
    if years.sum() <= (years > 0).sum() or means.count() < 2:
        return np.ones(12)
    within = float(((deviation - grouped.transform("mean")) ** 2).sum()
                   / (years.sum() - (years > 0).sum()))
    between = max(float(np.nanvar(means, ddof=1)) - within / float(years[years > 0].mean()), 0.0)
    weight = between / (between + within / np.clip(years, 1, None)) if between > 0 else 0.0
    effects = np.where(years > 0, means.fillna(0.0).to_numpy() * weight, 0.0)
    return np.exp(effects - effects.mean())


def compound(record: Record, horizon: int, rng: np.random.Generator, members: int = 1000,
             half_life: float = 3, dispersion_months: int = 24, seasonal: bool = False
             ) -> np.ndarray:
    """A compound (marked count) model of monthly deaths: the number of events of each future
    month is negative binomial around the exponentially weighted mean of past months' events
    (half-life ``half_life``; with ``seasonal``, of the counts divided by their calendar
    month's ``seasonal_factors`` and multiplied back by the factor of the month forecast), its
    dispersion estimated as ``negative_binomial``'s; each event's deaths are drawn from the
    deaths of all past events. Counts of events are steadier than deaths, and the sizes of past
    events carry the heavy tail of massacres and large battles."""
    if record.sizes.size == 0:  # no past event: no size to draw, no deaths
        return np.zeros((horizon, members))
    counts = record.events
    factors = seasonal_factors(counts, record.calendar) if seasonal else np.ones(12)
    past_factor = factors[record.calendar - 1]
    levels = weighted_levels(counts / past_factor, half_life)
    months = np.arange(max(1, len(counts) - dispersion_months), len(counts))
    size = negative_binomial_size(counts[months], levels[months] * past_factor[months])
    coming = (record.calendar[-1] + np.arange(horizon)) % 12
    means = np.clip(levels[-1] * factors[coming], 1e-9, None)[:, None]
    drawn = rng.poisson(rng.gamma(size, means / size, size=(horizon, members)))
    sizes = rng.choice(record.sizes, size=int(drawn.sum()))
    member = np.repeat(np.arange(horizon * members), drawn.ravel())
    return np.bincount(member, weights=sizes, minlength=horizon * members).reshape(
        horizon, members)


def seasonal_compound(record: Record, horizon: int, rng: np.random.Generator,
                      members: int = 1000) -> np.ndarray:
    """``compound`` with seasonal counts of events."""
    return compound(record, horizon, rng, members=members, seasonal=True)


MODELS: dict[str, Forecaster] = {
    "event counts × past event sizes, seasonal": seasonal_compound,
    "event counts × past event sizes": compound,
    "exponential smoothing (log scale)": exponential_smoothing,
    "log-normal around the last 12 months": log_normal,
    "mixture of bootstrap and log-normal": bootstrap_and_log_normal,
    "negative binomial around a 3-month weighted mean": negative_binomial,
    "bootstrap of the last 24 months": bootstrap,
    "no change": no_change,
    "moving average (12 months)": moving_average,
    "mean of the last 3 months": recent_mean,
    "seasonal naive": seasonal_naive,
    "zero": zero,
}
#: The benchmarks of the backtest (ViEWS's: zero, no change, recent means, bootstrap,
#: seasonal naive); the other models are candidates.
#: The model of the book's outlook (chosen as the Scenarios chapter explains).
CHOSEN_MODEL = "event counts × past event sizes, seasonal"
BENCHMARKS = ("zero", "no change", "mean of the last 3 months", "moving average (12 months)",
              "bootstrap of the last 24 months", "seasonal naive")
#: Bins of monthly deaths for the ignorance score, as ViEWS bins fatalities.
BINS = (0, 1, 3, 6, 11, 26, 51, 101, 251, 501, 1001, np.inf)


def needs_record(model: Forecaster) -> bool:
    """Whether ``model`` reads a ``Record`` (its first parameter is named ``record``) rather
    than the array of monthly deaths."""
    return next(iter(inspect.signature(model).parameters)) == "record"


def histories(series: pd.Series, models: dict[str, Forecaster],
              events: pd.DataFrame | None) -> tuple[np.ndarray, Record | None]:
    """The monthly deaths of ``series`` and, when a model needs it, its ``event_record`` (a
    ValueError names the model when ``events`` are missing)."""
    wanting = [name for name, model in models.items() if needs_record(model)]
    if wanting and events is None:
        raise ValueError(f"the model {wanting[0]!r} draws on the events themselves: pass the "
                         "events the monthly series sums (events=...)")
    record = event_record(series, events) if wanting and events is not None else None
    return series.to_numpy(dtype=float), record


def outlook(series: pd.Series, model: str, horizon: int, members: int, seed: int,
            events: pd.DataFrame | None = None) -> np.ndarray:
    """The ensemble of ``MODELS[model]`` fitted on the whole ``series``: ``horizon`` rows of
    ``members`` simulated values (point forecasts, whatever ``members``, have one). A series
    shorter than ``MIN_HISTORY`` months gives no members at all: too little to fit a model.
    ``events`` (those the series sums) are needed by the models that read a ``Record``."""
    forecaster = MODELS[model]
    history, record = histories(series, {model: forecaster}, events)
    if len(series) < MIN_HISTORY:
        return np.empty((horizon, 0))
    rng = np.random.default_rng(seed)
    past = record if needs_record(forecaster) else history
    if "members" in inspect.signature(forecaster).parameters:
        return forecaster(past, horizon, rng, members=members)
    return forecaster(past, horizon, rng)


def origin_index(series: pd.Series, first_origin: str | pd.Timestamp) -> int:
    """The position of the first forecast origin: the number of months before ``first_origin``."""
    return int((series.index < pd.Timestamp(first_origin)).sum())


def crps(observed: np.ndarray, ensemble: np.ndarray) -> np.ndarray:
    """CRPS of each observation against its ensemble (rows: observations, columns: members)."""
    return np.asarray(scoringrules.crps_ensemble(np.asarray(observed, dtype=float),
                                                 np.asarray(ensemble, dtype=float),
                                                 estimator="qd"))


def covered(observed: np.ndarray, ensemble: np.ndarray, level: float = 0.8) -> np.ndarray:
    """Whether each observation lies in the central ``level`` interval of its ensemble."""
    low = np.quantile(ensemble, (1 - level) / 2, axis=1)
    high = np.quantile(ensemble, 1 - (1 - level) / 2, axis=1)
    return (observed >= low) & (observed <= high)


def ignorance(observed: np.ndarray, ensemble: np.ndarray) -> np.ndarray:
    """The ignorance (log 2) score of each observation on the ``BINS`` of monthly deaths: the
    bin probabilities are the ensemble's shares, smoothed by half a member per bin so that an
    empty bin costs a finite score."""
    bins = np.asarray(BINS)
    members = np.asarray(ensemble, dtype=float)
    counts = np.stack([((members >= lo) & (members < hi)).sum(axis=1)
                       for lo, hi in pairwise(bins)], axis=1)
    probability = (counts + 0.5) / (members.shape[1] + 0.5 * counts.shape[1])
    where = np.searchsorted(bins, np.asarray(observed, dtype=float), side="right") - 1
    return -np.log2(probability[np.arange(len(where)), where])


def forecast_scores(observed: np.ndarray, ensemble: np.ndarray) -> pd.DataFrame:
    """Per observation: CRPS, ignorance, the 50% and 90% interval scores (scoringrules),
    whether it lies in the 50%, 80% and 90% central intervals, and its PIT (the share of
    members below it, ties split)."""
    observed = np.asarray(observed, dtype=float)
    members = np.asarray(ensemble, dtype=float)
    table = {"crps": crps(observed, members), "ignorance": ignorance(observed, members)}
    for level in (0.5, 0.9):
        alpha = 1 - level
        low = np.quantile(members, alpha / 2, axis=1)
        high = np.quantile(members, 1 - alpha / 2, axis=1)
        table[f"interval_score_{int(level * 100)}"] = np.asarray(
            scoringrules.interval_score(observed, low, high, alpha))
    for level in (0.5, 0.8, 0.9):
        table[f"in_{int(level * 100)}_interval"] = covered(observed, members, level)
    below = (members < observed[:, None]).mean(axis=1)
    ties = (members == observed[:, None]).mean(axis=1)
    table["pit"] = below + ties / 2
    return pd.DataFrame(table)


def backtest(series: pd.Series, models: dict[str, Forecaster], first_origin: int,
             horizon: int = 1, seed: int = 0, last_origin: int | None = None,
             events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rolling-origin evaluation: fit on months before each origin (from ``first_origin`` to
    ``last_origin``, positions), forecast ``horizon`` months, score each month that has been
    observed (``forecast_scores``). One row per model, origin and step (1 to ``horizon``).
    ``events`` (those the series sums) are needed by the models that read a ``Record``; each
    sees only the events of the months before its origin."""
    values, record = histories(series, models, events)
    first_origin = max(first_origin, MIN_HISTORY)
    last = len(values) - 1 if last_origin is None else min(last_origin, len(values) - 1)
    frames = []
    for name, model in models.items():
        rng = np.random.default_rng(seed)
        wants_record = needs_record(model)
        for origin in range(first_origin, last + 1):
            observed = values[origin:origin + horizon]
            past = record.until(origin) if wants_record and record is not None else values[:origin]
            ensemble = model(past, horizon, rng)[:len(observed)]
            frames.append(forecast_scores(observed, ensemble).assign(
                model=name, origin=series.index[origin], step=np.arange(1, len(observed) + 1),
                observed=observed))
    columns = ["model", "origin", "step", "observed", "crps", "ignorance",
               "interval_score_50", "interval_score_90", "in_50_interval", "in_80_interval",
               "in_90_interval", "pit"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


POINT_MODELS = ("no change", "moving average (12 months)", "mean of the last 3 months",
                "seasonal naive", "zero")


def backtest_summary(results: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Mean scores per model (and ``by``, e.g. step): CRPS, ignorance, interval scores (lower is
    better) and the coverage of the 80% interval (missing for point forecasts, which have no
    interval)."""
    keys = ["model", *by]
    if results.empty:
        return pd.DataFrame(columns=["mean_crps", "forecasts", "coverage_80"],
                            index=pd.Index([], name="model"))
    summary = results.groupby(keys).agg(
        mean_crps=("crps", "mean"), ignorance=("ignorance", "mean"),
        interval_score_50=("interval_score_50", "mean"),
        interval_score_90=("interval_score_90", "mean"), forecasts=("crps", "size"),
        coverage_80=("in_80_interval", "mean"))
    points = summary.index.get_level_values("model").isin(POINT_MODELS)
    summary.loc[points, "coverage_80"] = np.nan
    return summary.sort_values(keys if by else "mean_crps").round(2)


def skill_interval(results: pd.DataFrame, model: str, reference: str, block: int = 12,
                   draws: int = 500, seed: int = 0) -> dict[str, float]:
    """The ratio of ``model``'s mean CRPS to ``reference``'s over the same forecasts, with a
    95% interval from a moving-block bootstrap over origins (blocks of ``block`` consecutive
    origins keep the dependence between neighbouring forecasts)."""
    pair = results[results["model"].isin([model, reference])].pivot_table(
        index="origin", columns="model", values="crps", aggfunc="mean").dropna()
    if pair.empty or model not in pair or reference not in pair:
        return {"ratio": np.nan, "low": np.nan, "high": np.nan}
    a, b = pair[model].to_numpy(), pair[reference].to_numpy()
    rng = np.random.default_rng(seed)
    starts = np.arange(max(len(a) - block + 1, 1))
    ratios = []
    for _ in range(draws):
        chosen = rng.choice(starts, size=int(np.ceil(len(a) / block)))
        rows = np.concatenate([np.arange(s, min(s + block, len(a))) for s in chosen])
        ratios.append(a[rows].mean() / b[rows].mean())
    low, high = np.quantile(ratios, [0.025, 0.975])
    return {"ratio": float(a.mean() / b.mean()), "low": float(low), "high": float(high)}


def best_benchmark(summary: pd.DataFrame) -> str | None:
    """The benchmark with the lowest mean CRPS in a ``backtest_summary`` (None if none was
    scored)."""
    scored = [m for m in BENCHMARKS if m in summary.index]
    return str(summary.loc[scored, "mean_crps"].idxmin()) if scored else None


#: The selection rule's band of 80% coverage: a candidate outside it is not chosen.
SELECTION_COVERAGE = (0.7, 0.9)


def select_model(summary: pd.DataFrame,
                 coverage: tuple[float, float] = SELECTION_COVERAGE) -> str | None:
    """The rule that picks a model on a selection window (a ``backtest_summary`` of origins
    before the test window, with ``mean_crps`` and ``coverage_80`` per model): the candidate
    (not a benchmark, not a point forecast) with the lowest mean CRPS among those whose 80%
    coverage lies within ``coverage``; None if none does."""
    candidates = summary[~summary.index.isin([*BENCHMARKS, *POINT_MODELS])]
    low, high = coverage
    eligible = candidates[candidates["coverage_80"].between(low, high)]
    return str(eligible["mean_crps"].idxmin()) if not eligible.empty else None


def skill_table(results: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """``backtest_summary`` with each model's mean CRPS relative to the best benchmark's and its
    block-bootstrap 95% interval (``skill``, ``skill_low``, ``skill_high``)."""
    summary = backtest_summary(results)
    best = best_benchmark(summary)
    missing = {"ratio": np.nan, "low": np.nan, "high": np.nan}
    skill = {m: skill_interval(results, m, best, seed=seed) if best else missing
             for m in summary.index}
    return summary.assign(skill=[skill[m]["ratio"] for m in summary.index],
                          skill_low=[skill[m]["low"] for m in summary.index],
                          skill_high=[skill[m]["high"] for m in summary.index])


def pit_histogram(results: pd.DataFrame, model: str, bins: int = 10) -> pd.DataFrame:
    """The share of a model's forecasts whose PIT falls in each of ``bins`` equal bins: flat
    (each 1/bins) when the model is calibrated."""
    values = results.loc[results["model"] == model, "pit"].to_numpy(dtype=float)
    counts, edges = np.histogram(values, bins=bins, range=(0, 1))
    share = counts / max(counts.sum(), 1)
    return pd.DataFrame({"from": edges[:-1].round(2), "to": edges[1:].round(2),
                         "share": share.round(3)})


def fan(series: pd.Series, ensemble: np.ndarray,
        quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Quantiles of the ensemble for each future month (the data of a fan chart)."""
    columns = [f"q{int(q * 100):02d}" for q in quantiles]
    if ensemble.size == 0:  # no forecast: an empty fan
        return pd.DataFrame(columns=[*columns, "month"])
    months = pd.date_range(series.index[-1] + pd.offsets.MonthBegin(1), periods=len(ensemble),
                           freq="MS")
    table = pd.DataFrame(np.quantile(ensemble, quantiles, axis=1).T, columns=columns)
    return table.assign(month=months)


def exceedance(ensemble: np.ndarray, thresholds: dict[str, float]) -> pd.DataFrame:
    """Probability that the 12-month total of the ensemble exceeds each threshold."""
    totals = ensemble.sum(axis=0)
    return pd.DataFrame({"threshold": list(thresholds.values()),
                         "probability": [float((totals > t).mean()) for t in thresholds.values()]},
                        index=pd.Index(list(thresholds), name="event"))


def scenario_probabilities(ensemble: np.ndarray, last_year_total: float,
                           upside_below: float = 0.8, downside_above: float = 1.5
                           ) -> pd.DataFrame:
    """Share of simulated 12-month totals in each scenario's band, relative to the last 12
    months: upside below ``upside_below`` times it, downside above ``downside_above`` times it,
    base in between."""
    totals = ensemble.sum(axis=0)
    low, high = upside_below * last_year_total, downside_above * last_year_total
    if totals.size == 0:  # no forecast, no probabilities
        shares = {"upside": float("nan"), "downside": float("nan")}
    else:
        shares = {"upside": float((totals < low).mean()),
                  "downside": float((totals > high).mean())}
    shares["base"] = 1.0 - shares["upside"] - shares["downside"]
    bands = {"upside": f"fewer than {low:.0f}", "base": f"{low:.0f} to {high:.0f}",
             "downside": f"more than {high:.0f}"}
    return pd.DataFrame({"deaths in the next 12 months": [bands[s] for s in shares],
                         "outlook probability": [round(v, 2) for v in shares.values()]},
                        index=pd.Index(list(shares), name="scenario"))


#: The quantiles an archived outlook keeps for each month.
ARCHIVE_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
ARCHIVE_COLUMNS = OUTLOOK_COLUMNS


def archived_outlook(series: pd.Series, model: str, issued: str, data_version: str,
                     horizon: int = 12, members: int = 1000, seed: int = 2025,
                     events: pd.DataFrame | None = None) -> pd.DataFrame:
    """The outlook of ``model`` from the monthly ``series`` (and the ``events`` it sums) as the
    archive stores it: one row per future month with its quantiles, the issue date, the last
    month of data and the data version."""
    fan_table = fan(series, outlook(series, model, horizon, members, seed, events),
                    ARCHIVE_QUANTILES)
    return fan_table.assign(issued=issued, data_through=series.index[-1].strftime("%Y-%m"),
                            data_version=data_version, model=model,
                            month=fan_table["month"].dt.strftime("%Y-%m")).round(1)[
        list(ARCHIVE_COLUMNS)]


def archive_file(folder: Path, table: pd.DataFrame) -> Path:
    """Where an archived outlook is kept: named by its last month of data and its model."""
    slug = "".join(c if c.isalnum() else "-" for c in str(table["model"].iloc[0]).lower())
    return folder / f"outlook-{table['data_through'].iloc[0]}-{slug}.csv"


def score_archive(archive: pd.DataFrame, observed: pd.Series) -> pd.DataFrame:
    """Each archived month that has since been observed (``observed``: monthly values indexed by
    month start): the outcome, whether it fell in the 50% and 90% bands, and the quantile score
    of the median (the absolute error)."""
    months = pd.to_datetime(archive["month"])
    seen = observed.reindex(months.to_numpy())
    table = archive.assign(observed=seen.to_numpy()).dropna(subset=["observed"])
    return table.assign(
        in_50_band=(table["observed"] >= table["q25"]) & (table["observed"] <= table["q75"]),
        in_90_band=(table["observed"] >= table["q05"]) & (table["observed"] <= table["q95"]),
        median_error=(table["observed"] - table["q50"]).abs())


def archive_summary(scored: pd.DataFrame) -> pd.DataFrame:
    """Per archived outlook (``score_archive`` rows): the months observed so far, the shares
    inside its 50% and 90% bands (near 0.5 and 0.9 for a calibrated outlook) and the mean
    error of its median."""
    return scored.groupby(["data_through", "model", "issued"]).agg(
        months_observed=("month", "size"), in_50_band=("in_50_band", "mean"),
        in_90_band=("in_90_band", "mean"), median_error=("median_error", "mean")).round(2)
