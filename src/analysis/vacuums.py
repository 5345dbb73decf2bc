"""Did violence follow the withdrawals? Windows, distances and an interrupted time series."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.genmod.families import Poisson
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from analysis.geography import distance_km
from analysis.transforms import monthly, violent


def handovers(events: pd.DataFrame, operators: Sequence[str] = ("minusma", "france")
              ) -> pd.DataFrame:
    """Bases handed over or left by foreign forces, from the events that record it."""
    rows = events[(events["sub_event_type"] == "Non-violent transfer of territory")
                  & events["actor1"].isin(operators) & events["actor2"].notna()]
    table = rows.assign(base=rows["location"].str.replace(r"\s*\(.*\)", "", regex=True),
                        operator=rows["actor1"], date=rows["date_start"])
    return table[["base", "operator", "date", "latitude", "longitude", "event_id",
                  "source_ids"]].reset_index(drop=True)


def split_window(events: pd.DataFrame, date: pd.Timestamp, months: int) -> pd.DataFrame:
    """Events in the ``months`` before ``date`` ('before') or from it on ('after')."""
    date = pd.Timestamp(date)
    start, stop = date - pd.DateOffset(months=months), date + pd.DateOffset(months=months)
    inside = events[(events["date_start"] >= start) & (events["date_start"] < stop)]
    side = np.where(inside["date_start"] < date, "before", "after")
    return inside.assign(window=pd.Categorical(side, categories=["before", "after"]))


def before_after(events: pd.DataFrame, date: pd.Timestamp, months: int,
                 by: Sequence[str] = ()) -> pd.DataFrame:
    """Violent events, reported deaths and events targeting civilians before and after."""
    split = split_window(violent(events), date, months)
    table = split.groupby([*by, "window"], observed=False).agg(
        events=("event_id", "size"),
        fatalities=("fatalities_best", lambda s: int(s.sum(min_count=0))),
        civilian_targeting=("civilian_targeting", lambda s: int(s.astype(bool).sum())),
    ).reset_index()
    return table


def before_after_each(events: pd.DataFrame, withdrawals: pd.DataFrame, months: int,
                      by: Sequence[str] = ()) -> pd.DataFrame:
    """``before_after`` for each withdrawal (``name``, ``date``), stacked, with a
    ``withdrawal`` column naming it."""
    return pd.concat([before_after(events, w.date, months, by=by).assign(withdrawal=w.name)
                      for w in withdrawals.itertuples()], ignore_index=True)


def before_after_summary(events: pd.DataFrame, withdrawals: pd.DataFrame, months: int
                         ) -> pd.DataFrame:
    """One row per withdrawal: events, deaths and events targeting civilians, before and after."""
    return before_after_each(events, withdrawals, months).pivot_table(
        index="withdrawal", columns="window",
        values=["events", "fatalities", "civilian_targeting"], observed=False)


def near(events: pd.DataFrame, latitude: float, longitude: float, radius_km: float
         ) -> pd.DataFrame:
    """Events within ``radius_km`` of a point, with their distance."""
    distance = distance_km(events["latitude"], events["longitude"], latitude, longitude)
    return events.assign(distance_km=distance)[distance <= radius_km]


def near_bases(events: pd.DataFrame, bases: pd.DataFrame, radius_km: float, months: int
               ) -> pd.DataFrame:
    """Per base: violent events and deaths within the radius before and after its handover."""
    columns = ["base", "operator", "handover", "events_before", "fatalities_before",
               "events_after", "fatalities_after"]
    rows = []
    for base in bases.itertuples(index=False):
        around = near(violent(events), base.latitude, base.longitude, radius_km)
        counts = before_after(around, base.date, months)
        row = {"base": base.base, "operator": base.operator, "handover": base.date.date()}
        for side in ("before", "after"):
            values = counts[counts["window"] == side].iloc[0]
            row[f"events_{side}"] = int(values["events"])
            row[f"fatalities_{side}"] = int(values["fatalities"])
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def distance_profile(events: pd.DataFrame, bases: pd.DataFrame, months: int,
                     bands: Sequence[float] = (0, 25, 50, 100, 200, 400)) -> pd.DataFrame:
    """Violent events by distance band from the handed-over bases, before and after, summed
    over the bases (an event near two bases counts for each)."""
    frames = []
    for base in bases.itertuples(index=False):
        split = split_window(violent(events), base.date, months)
        distance = distance_km(split["latitude"], split["longitude"], base.latitude,
                               base.longitude)
        band = pd.cut(distance, bins=[*bands, np.inf], right=False,
                      labels=[f"{lo:g}-{hi:g} km" for lo, hi in zip(bands, [*bands[1:], np.inf],
                                                                    strict=True)])
        frames.append(split.assign(band=band))
    if not frames:
        labels = [f"{lo:g}-{hi:g} km" for lo, hi in zip(bands, [*bands[1:], np.inf], strict=True)]
        return pd.DataFrame([(b, w, 0) for b in labels for w in ("before", "after")],
                            columns=["band", "window", "events"])
    combined = pd.concat(frames, ignore_index=True)
    return combined.groupby(["band", "window"], observed=False).size().rename(
        "events").reset_index()


#: The fewest months before and after a date for an interrupted time series.
MIN_MONTHS_EACH_SIDE = 3


def interrupted_series(counts: pd.Series, date: pd.Timestamp) -> dict[str, float]:
    """Poisson regression of monthly counts on a trend, a level change and a slope change at
    ``date``, with robust standard errors; the level change as a rate ratio with its 95% CI."""
    months = np.arange(len(counts), dtype=float)
    after = (counts.index >= pd.Timestamp(date)).astype(float)
    none = {"rate_ratio": np.nan, "low": np.nan, "high": np.nan, "months": len(counts)}
    # a trend and a change in level and slope need a few months on each side
    if after.sum() < MIN_MONTHS_EACH_SIDE or len(after) - after.sum() < MIN_MONTHS_EACH_SIDE \
            or counts.sum() == 0:
        return none
    since = np.where(after > 0, months - months[after.argmax()], 0.0)
    design = np.column_stack([np.ones_like(months), months, after, since])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PerfectSeparationWarning)
        try:
            fit = GLM(counts.to_numpy(dtype=float), design, family=Poisson()).fit(cov_type="HC0")
        except (np.linalg.LinAlgError, ValueError):  # too few events to identify the model
            return none
    if any(issubclass(w.category, PerfectSeparationWarning) for w in caught) or not (
            np.isfinite(fit.params[2]) and np.isfinite(fit.bse[2])):
        return none  # the level change is not identified by these counts
    estimate, error = fit.params[2], fit.bse[2]
    return {"rate_ratio": float(np.exp(estimate)),
            "low": float(np.exp(estimate - 1.96 * error)),
            "high": float(np.exp(estimate + 1.96 * error)), "months": len(counts)}


def monthly_counts(events: pd.DataFrame, date: pd.Timestamp, months: int,
                   data_end: str | pd.Timestamp) -> pd.Series:
    """Violent events per month in the ``months`` before and after ``date``, stopping at the
    last complete month of the data (``data_end``)."""
    date = pd.Timestamp(date)
    start = (date - pd.DateOffset(months=months)).strftime("%Y-%m-01")
    stop = min(date + pd.DateOffset(months=months) - pd.Timedelta(days=1), pd.Timestamp(data_end))
    table = monthly(violent(events), start, stop.strftime("%Y-%m-%d"))
    return table.set_index("month")["events"]


def estimate_changes(events: pd.DataFrame, withdrawals: pd.DataFrame, bases: pd.DataFrame,
                     radius_km: float, months: int, data_end: str | pd.Timestamp
                     ) -> pd.DataFrame:
    """The level change at each withdrawal, in all of Mali, near the bases it left and away
    from them (the comparison that nets out the nationwide trend)."""
    rows = []
    for withdrawal in withdrawals.itertuples(index=False):
        own = bases[bases["operator"] == withdrawal.operator]
        if len(own):
            distance = np.min([distance_km(events["latitude"], events["longitude"], b.latitude,
                                           b.longitude) for b in own.itertuples()], axis=0)
        else:
            distance = np.full(len(events), np.inf)
        groups = {"all of Mali": events,
                  f"within {radius_km:g} km of its bases": events[distance <= radius_km],
                  "elsewhere": events[distance > radius_km]}
        for area, subset in groups.items():
            counts = monthly_counts(subset, withdrawal.date, months, data_end)
            result = interrupted_series(counts, withdrawal.date)
            rows.append({"withdrawal": withdrawal.name, "area": area, **result})
    return pd.DataFrame(rows)
