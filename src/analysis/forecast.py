"""Forecasting monthly fatalities: predictive distributions, baselines and a rolling backtest.

A forecast here is an ensemble: an array of simulated values per future month. Point
forecasts (the baselines) are ensembles of one member, whose CRPS is the absolute error.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import scoringrules
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.holtwinters import ExponentialSmoothing

Forecaster = Callable[[np.ndarray, int, np.random.Generator], np.ndarray]
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


MODELS: dict[str, Forecaster] = {
    "exponential smoothing (log scale)": exponential_smoothing,
    "bootstrap of the last 24 months": bootstrap,
    "no change": no_change,
    "moving average (12 months)": moving_average,
    "seasonal naive": seasonal_naive,
}


def outlook(series: pd.Series, model: str, horizon: int, members: int, seed: int
            ) -> np.ndarray:
    """The ensemble of ``MODELS[model]`` fitted on the whole ``series``: ``horizon`` rows of
    ``members`` simulated values (point forecasts, whatever ``members``, have one). A series
    shorter than ``MIN_HISTORY`` months gives no members at all: too little to fit a model."""
    forecaster = MODELS[model]
    if len(series) < MIN_HISTORY:
        return np.empty((horizon, 0))
    rng = np.random.default_rng(seed)
    history = series.to_numpy(dtype=float)
    if "members" in inspect.signature(forecaster).parameters:
        return forecaster(history, horizon, rng, members=members)
    return forecaster(history, horizon, rng)


def origin_index(series: pd.Series, first_origin: str | pd.Timestamp) -> int:
    """The position of the first forecast origin: the number of months before ``first_origin``."""
    return int((series.index < pd.Timestamp(first_origin)).sum())


def crps(observed: np.ndarray, ensemble: np.ndarray) -> np.ndarray:
    """CRPS of each observation against its ensemble (rows: observations, columns: members)."""
    return np.asarray(scoringrules.crps_ensemble(np.asarray(observed, dtype=float),
                                                 np.asarray(ensemble, dtype=float),
                                                 estimator="nrg"))


def covered(observed: np.ndarray, ensemble: np.ndarray, level: float = 0.8) -> np.ndarray:
    """Whether each observation lies in the central ``level`` interval of its ensemble."""
    low = np.quantile(ensemble, (1 - level) / 2, axis=1)
    high = np.quantile(ensemble, 1 - (1 - level) / 2, axis=1)
    return (observed >= low) & (observed <= high)


def backtest(series: pd.Series, models: dict[str, Forecaster], first_origin: int,
             horizon: int = 1, seed: int = 0) -> pd.DataFrame:
    """Rolling-origin evaluation: fit on months before each origin, forecast ``horizon`` months.

    Returns one row per model, origin and step: the observed value, the CRPS, and whether the
    observation fell in the 80% interval (always False for one-member point forecasts).
    """
    values = series.to_numpy(dtype=float)
    first_origin = max(first_origin, MIN_HISTORY)
    rows = []
    for name, model in models.items():
        rng = np.random.default_rng(seed)
        for origin in range(first_origin, len(values) - horizon + 1):
            ensemble = model(values[:origin], horizon, rng)
            observed = values[origin:origin + horizon]
            scores = crps(observed, ensemble)
            inside = covered(observed, ensemble) if ensemble.shape[1] > 1 else [False] * horizon
            for step in range(horizon):
                rows.append({"model": name, "origin": series.index[origin], "step": step + 1,
                             "observed": observed[step], "crps": float(scores[step]),
                             "in_80_interval": bool(inside[step])})
    return pd.DataFrame(rows)


def backtest_summary(results: pd.DataFrame) -> pd.DataFrame:
    """Mean CRPS per model (lower is better) and 80% interval coverage for ensemble models."""
    if results.empty:
        return pd.DataFrame(columns=["mean_crps", "forecasts", "coverage_80"],
                            index=pd.Index([], name="model"))
    summary = results.groupby("model").agg(mean_crps=("crps", "mean"),
                                           forecasts=("crps", "size"),
                                           coverage_80=("in_80_interval", "mean"))
    points = [name for name in summary.index
              if MODELS.get(name) in (no_change, moving_average, seasonal_naive)]
    summary.loc[points, "coverage_80"] = np.nan
    return summary.sort_values("mean_crps").round(2)


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
