"""Did violence follow the withdrawals? Before-and-after windows, and a stacked event study
around each base a force left, with placebos."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.genmod.families import Binomial
from statsmodels.genmod.generalized_linear_model import GLM

from analysis.geography import distance_km
from analysis.transforms import NON_VIOLENT_TYPES, names_any, violent


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


# --- A stacked event study around each departure -------------------------------------------
#
# Each base a force handed over or left is its own event, with its own date. For each one a
# "stack" compares, month by month from ``months`` before to ``months`` after, the events within
# a radius of the base with the events in comparison areas: around the bases not yet left by
# then, and far from every base. Stacks are pooled with a Poisson model with stack-by-area and
# stack-by-month effects, estimated in its exact conditional form: given the month's total, the
# base's share is binomial, so the log rate ratio after versus before is a logit coefficient
# (calendar months, seasons and nationwide shifts cancel within each month). Standard errors are
# clustered by place; overdispersion is absorbed by the robust errors.

#: The withdrawals the chapter studies, by the operator who left.
FAMILIES = {"france": "France (Barkhane, Takuba), 2021-2022",
            "takuba": "France (Barkhane, Takuba), 2021-2022",
            "minusma": "MINUSMA, 2023-2024",
            "fama": "Malian army, 2023-2025"}
#: The actors whose own events leave the outcomes when that operator leaves (their events
#: vanish with them, which alone would lower the counts after).
OWN_FORCES = {"france": ("france", "takuba"), "takuba": ("france", "takuba"),
              "minusma": ("minusma",), "fama": ()}
DEPARTURES = ("handover", "withdrawal", "closure")
#: The seat of government hosts headquarters, not a base whose area can be emptied.
NOT_LOCAL = ("Bamako",)

OUTCOMES = ("violent events", "reported deaths", "events by jihadist groups",
            "territory taken by non-state actors", "attacks on civilians",
            "events initiated by the army")


def departures(bases: pd.DataFrame) -> pd.DataFrame:
    """The departures the event study treats (``data/vacuums/bases.csv``): handovers,
    withdrawals and closures by the operators of ``FAMILIES``, not the temporary losses of a
    few hours, not the seat of government; with ``family`` and typed dates and coordinates."""
    chosen = bases[bases["event"].isin(DEPARTURES) & bases["operator"].isin(FAMILIES)
                   & (bases["temporary"].astype(str) != "true")
                   & ~bases["location"].isin(NOT_LOCAL)].copy()
    chosen["date"] = pd.to_datetime(chosen["date"])
    for column in ("latitude", "longitude"):
        chosen[column] = pd.to_numeric(chosen[column])
    chosen["family"] = chosen["operator"].map(FAMILIES)
    return chosen.sort_values("date").reset_index(drop=True)


def outcome_values(events: pd.DataFrame, outcome: str, jihadists: Sequence[str]) -> pd.Series:
    """What each event adds to ``outcome`` (one of ``OUTCOMES``): 1 or 0, or its reported
    deaths. Reads ``event_type``, ``sub_event_type``, ``actor1``, ``actor2``,
    ``civilian_targeting``, ``fatalities_best``."""
    is_violent = ~events["event_type"].isin(NON_VIOLENT_TYPES)
    if outcome == "violent events":
        hit = is_violent
    elif outcome == "reported deaths":
        return events["fatalities_best"].fillna(0).where(is_violent, 0).astype(float)
    elif outcome == "events by jihadist groups":
        hit = is_violent & (events["actor1"].isin(jihadists) | events["actor2"].isin(jihadists))
    elif outcome == "territory taken by non-state actors":
        hit = events["sub_event_type"] == "Non-state actor overtakes territory"
    elif outcome == "attacks on civilians":
        hit = is_violent & events["civilian_targeting"].astype(bool)
    elif outcome == "events initiated by the army":
        hit = is_violent & (events["actor1"] == "fama")
    else:
        raise ValueError(f"unknown outcome {outcome!r}; choose one of {OUTCOMES}")
    return hit.astype(float)


def stacked_panel(events: pd.DataFrame, chosen: pd.DataFrame, places: pd.DataFrame,
                  values: pd.Series, radius_km: float, months: int, data_end: str,
                  far_km: float = 200.0, ring: tuple[float, float] | None = None,
                  exclude_own: bool = True) -> pd.DataFrame:
    """One row per departure (``chosen``, from ``departures``) and month from ``months`` before
    to ``months - 1`` after: ``treated``, the outcome (``values``, per event) within
    ``radius_km`` of the base (or within ``ring`` = (inner, outer) km), and ``control``, the
    outcome around the places of ``places`` not yet left by the window's end and farther than
    ``far_km`` from every place of ``places``. The departing force's own events are left out
    (unless ``exclude_own`` is False).
    Reads ``date_start``, ``latitude``, ``longitude`` of the events; months after ``data_end``
    are dropped."""
    located = events["latitude"].notna() & events["longitude"].notna()
    events, values = events[located], values[located]
    month = events["date_start"].dt.to_period("M")
    last = pd.Timestamp(data_end).to_period("M")
    spots = places.drop_duplicates("location")
    distance = {row.location: distance_km(events["latitude"], events["longitude"],
                                          row.latitude, row.longitude)
                for row in spots.itertuples(index=False)}
    far = np.min(np.vstack(list(distance.values())), axis=0) > far_km if distance else \
        np.ones(len(events), dtype=bool)
    left = places[places["event"].isin(DEPARTURES)].groupby("location")["date"].min()
    rows = []
    for stack in chosen.itertuples(index=False):
        first = stack.date.to_period("M") - months
        stop = min(stack.date.to_period("M") + months - 1, last)
        own = names_any(events, OWN_FORCES.get(stack.operator, ()) if exclude_own else ()
                        ).to_numpy()
        here = distance.get(stack.location)
        if here is None:
            here = distance_km(events["latitude"], events["longitude"], stack.latitude,
                               stack.longitude)
        inner, outer = ring if ring else (0.0, radius_km)
        treated = (here >= inner) & (here < outer) if ring else here <= radius_km
        later = [loc for loc, day in left.items()
                 if loc != stack.location and day.to_period("M") > stop]
        control = far.copy()
        for loc in later:
            control |= distance[loc] <= radius_km
        control &= here > max(outer, radius_km)
        in_window = ((month >= first) & (month <= stop)).to_numpy()
        for name, mask, counted in (("treated", treated, values),
                                    ("treated_events", treated, (values > 0).astype(float)),
                                    ("control", control, values)):
            keep = mask & in_window & ~own
            sums = counted[keep].groupby(month[keep]).sum()
            rows.append(pd.DataFrame({"base_id": stack.base_id, "family": stack.family,
                                      "location": stack.location, "area": name,
                                      "month": sums.index, "value": sums.to_numpy()}))
        rows.append(pd.DataFrame({"base_id": stack.base_id, "family": stack.family,
                                  "location": stack.location, "area": "window",
                                  "month": pd.period_range(first, stop, freq="M"),
                                  "value": 0.0}))
    if not rows:
        return pd.DataFrame(columns=["base_id", "family", "location", "month", "relative_month",
                                     "treated", "treated_events", "control"])
    long = pd.concat(rows, ignore_index=True)
    wide = long.pivot_table(index=["base_id", "family", "location", "month"], columns="area",
                            values="value", aggfunc="sum", fill_value=0.0).reset_index()
    for column in ("treated", "treated_events", "control"):
        if column not in wide:
            wide[column] = 0.0
    dates = chosen.set_index("base_id")["date"].dt.to_period("M")
    relative = [(m - dates[b]).n for m, b in zip(wide["month"], wide["base_id"], strict=True)]
    return wide.assign(relative_month=relative)[
        ["base_id", "family", "location", "month", "relative_month", "treated",
         "treated_events", "control"]]


#: The least information an estimate needs: places (clusters) and events near the bases.
MIN_PLACES = 3
MIN_TREATED_EVENTS = 10


def _fit(panel: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """The conditional (binomial) form of the stacked Poisson model, with stack effects and
    ``terms`` (one column per estimated effect): rate ratios with 95% intervals. The standard
    error is the larger of the overdispersed (quasi-binomial) and the clustered-by-place one,
    with Student's t on places - 1 degrees of freedom: with few places, clustered errors alone
    are too small. Estimates resting on fewer than ``MIN_PLACES`` places or
    ``MIN_TREATED_EVENTS`` events near the bases are left missing."""
    cells = panel.assign(total=panel["treated"] + panel["control"])
    informative = cells.groupby("base_id").filter(
        lambda s: s["treated"].sum() > 0 and s["control"].sum() > 0)
    cells = cells.loc[informative.index[informative["total"] > 0]]
    places = cells["location"].nunique()
    summary = {"stacks": cells["base_id"].nunique(), "places": places,
               "treated": float(cells["treated"].sum()),
               "treated_events": float(cells["treated_events"].sum())}
    rows = {term: {"rate_ratio": np.nan, "low": np.nan, "high": np.nan, "p_value": np.nan}
            for term in terms.columns}
    if places < MIN_PLACES or summary["treated_events"] < MIN_TREATED_EVENTS:
        return pd.DataFrame.from_dict(rows, orient="index").assign(**summary)
    effects = pd.get_dummies(cells["base_id"], dtype=float)
    design = pd.concat([effects, terms.loc[cells.index]], axis=1)
    design = design.loc[:, design.abs().sum() > 0]
    y = np.column_stack([cells["treated"], cells["total"] - cells["treated"]])
    groups = pd.factorize(cells["location"])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model = GLM(y, design.to_numpy(), family=Binomial())
            quasi = model.fit(scale="X2")
            clustered = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        except (np.linalg.LinAlgError, ValueError):
            return pd.DataFrame.from_dict(rows, orient="index").assign(**summary)
    params = pd.Series(quasi.params, index=design.columns)
    errors = pd.Series(np.maximum(quasi.bse, clustered.bse), index=design.columns)
    critical = stats.t.ppf(0.975, places - 1)
    for term in terms.columns:
        if term in params and np.isfinite(params[term]) and np.isfinite(errors[term]) and abs(
                params[term]) < 10:
            estimate, error = params[term], errors[term]
            rows[term] = {"rate_ratio": float(np.exp(estimate)),
                          "low": float(np.exp(estimate - critical * error)),
                          "high": float(np.exp(estimate + critical * error)),
                          "p_value": float(2 * stats.t.sf(abs(estimate / error), places - 1))}
    return pd.DataFrame.from_dict(rows, orient="index").assign(**summary)


def pooled_effect(panel: pd.DataFrame) -> dict[str, float]:
    """The rate ratio of the outcome near the bases after their departure against before,
    relative to the comparison areas in the same months (``stacked_panel``), with its 95%
    interval, the number of stacks and places that inform it, and the treated outcome total."""
    if panel.empty:
        return {"rate_ratio": np.nan, "low": np.nan, "high": np.nan, "p_value": np.nan,
                "stacks": 0, "places": 0, "treated": 0.0, "treated_events": 0.0}
    after = pd.DataFrame({"after": (panel["relative_month"] >= 0).astype(float)},
                         index=panel.index)
    return _fit(panel, after).iloc[0].to_dict()


def dynamic_effects(panel: pd.DataFrame, width: int = 3) -> pd.DataFrame:
    """The event study: a rate ratio for each block of ``width`` months relative to the
    departure, against the block just before it (months -width to -1), with 95% intervals."""
    if panel.empty:
        return pd.DataFrame(columns=["block", "first_month", "rate_ratio", "low", "high"])
    block = np.floor_divide(panel["relative_month"], width)
    terms = pd.get_dummies(block.where(block != -1).astype("Int64"), prefix="",
                           prefix_sep="", dtype=float)
    terms.columns = [int(c) for c in terms.columns]
    table = _fit(panel, terms).reset_index(names="block")
    reference = pd.DataFrame({"block": [-1], "rate_ratio": [1.0], "low": [1.0], "high": [1.0]})
    table = pd.concat([table, reference], ignore_index=True).sort_values("block")
    return table.assign(first_month=table["block"] * width)[
        ["block", "first_month", "rate_ratio", "low", "high"]].reset_index(drop=True)


class Design(NamedTuple):
    """What every estimate of the event study shares."""

    events: pd.DataFrame
    places: pd.DataFrame  # every base of data/vacuums/bases.csv, dates typed
    jihadists: tuple[str, ...]
    data_end: str
    radius_km: float = 50.0
    months: int = 12


def _panel(design: Design, chosen: pd.DataFrame, outcome: str, radius_km: float | None = None,
           months: int | None = None, ring: tuple[float, float] | None = None) -> pd.DataFrame:
    values = outcome_values(design.events, outcome, design.jihadists)
    return stacked_panel(design.events, chosen, design.places, values,
                         radius_km or design.radius_km, months or design.months,
                         design.data_end, ring=ring)


def _by_family(panel: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The panel's stacks of each withdrawal family, then all of them (stacks are built one
    departure at a time, so a family's panel is a slice of the whole)."""
    return [*panel.groupby("family", sort=False), ("all departures", panel)]


def effects(design: Design, chosen: pd.DataFrame, outcomes: Sequence[str] = OUTCOMES
            ) -> pd.DataFrame:
    """The pooled rate ratio for each outcome and withdrawal family, and for all departures."""
    rows = [{"outcome": outcome, "withdrawal": family, **pooled_effect(part)}
            for outcome in outcomes
            for family, part in _by_family(_panel(design, chosen, outcome))]
    return pd.DataFrame(rows)


def event_study(design: Design, chosen: pd.DataFrame, outcome: str = "violent events",
                width: int = 3) -> pd.DataFrame:
    """``dynamic_effects`` for each withdrawal family and for all departures."""
    return pd.concat([dynamic_effects(part, width).assign(withdrawal=family)
                      for family, part in _by_family(_panel(design, chosen, outcome))],
                     ignore_index=True)


def placebo_dates(chosen: pd.DataFrame, shift_months: int) -> pd.DataFrame:
    """The departures moved ``shift_months`` earlier: their windows then end at the real date,
    so a method that finds an effect there finds one where there was none."""
    return chosen.assign(date=chosen["date"] - pd.DateOffset(months=shift_months))


def placebo_places(places: pd.DataFrame, chosen: pd.DataFrame, months: int) -> pd.DataFrame:
    """Placebo bases: each departure's date given to another base of the table that no force
    left within ``months`` of it (taking the eligible bases in turn), so that the same dates
    are tested where nothing was handed over. Reads ``location``, ``latitude``, ``longitude``,
    ``event``, ``date`` of ``places``."""
    spots = places.drop_duplicates("location").set_index("location")
    left = places[places["event"].isin(DEPARTURES)]
    rows = []
    for i, stack in enumerate(chosen.sort_values("date").itertuples(index=False)):
        gap = (left["date"] - stack.date).abs()
        busy = set(left.loc[gap <= pd.Timedelta(days=30.4375 * months), "location"])
        eligible = [loc for loc in spots.index
                    if loc not in busy and loc not in NOT_LOCAL and loc != stack.location]
        if not eligible:
            continue
        town = eligible[i % len(eligible)]
        rows.append({"base_id": f"placebo_{i}_{stack.base_id}", "operator": "placebo",
                     "family": "placebo bases", "location": town,
                     "latitude": spots.loc[town, "latitude"],
                     "longitude": spots.loc[town, "longitude"], "date": stack.date})
    return pd.DataFrame(rows, columns=["base_id", "operator", "family", "location", "latitude",
                                       "longitude", "date"])


def robustness(design: Design, chosen: pd.DataFrame, outcome: str = "violent events",
               shift_months: int = 12) -> pd.DataFrame:
    """The pooled estimate for all departures beside its placebos: the same departures
    ``shift_months`` earlier, and the same dates at bases no force left then (both should be
    null), then leaving out each place in turn."""
    fake = placebo_places(design.places, chosen, design.months)
    panel = _panel(design, chosen, outcome)
    rows = [{"check": "all departures (the estimate)", **pooled_effect(panel)},
            {"check": f"placebo: dates {shift_months} months earlier",
             **pooled_effect(_panel(design, placebo_dates(chosen, shift_months), outcome))},
            {"check": "placebo: the same dates at bases not left then",
             **pooled_effect(_panel(design, fake, outcome))}]
    for place in sorted(chosen["location"].unique()):
        rows.append({"check": f"without {place}",
                     **pooled_effect(panel[panel["location"] != place])})
    return pd.DataFrame(rows)


def sensitivity(design: Design, chosen: pd.DataFrame, radii: Sequence[float],
                windows: Sequence[int], outcome: str = "violent events") -> pd.DataFrame:
    """The pooled estimate for each withdrawal family and all departures, for each radius and
    window (months on each side)."""
    rows = [{"radius_km": radius, "months": months, "withdrawal": family,
             **pooled_effect(part)}
            for radius in radii for months in windows
            for family, part in _by_family(_panel(design, chosen, outcome, radius, months))]
    return pd.DataFrame(rows)


def distance_rings(design: Design, chosen: pd.DataFrame,
                   rings: Sequence[tuple[float, float]], outcome: str = "violent events"
                   ) -> pd.DataFrame:
    """The pooled estimate for all departures in rings of distance from the bases: a local
    vacuum shows as an effect that fades with distance."""
    rows = [{"ring": f"{inner:g}-{outer:g} km", "inner_km": inner, "outer_km": outer,
             **pooled_effect(_panel(design, chosen, outcome, radius_km=outer,
                                    ring=(inner, outer)))}
            for inner, outer in rings]
    return pd.DataFrame(rows)


def own_events(design: Design, chosen: pd.DataFrame) -> pd.DataFrame:
    """Per withdrawal family, the departing forces' own violent events within the radius of
    their bases, before and after (left out of every outcome, shown here)."""
    rows = []
    for family, group in chosen.groupby("family", sort=False):
        forces = tuple({f for op in group["operator"] for f in OWN_FORCES.get(op, ())})
        mask = names_any(design.events, forces) & ~design.events["event_type"].isin(
            NON_VIOLENT_TYPES)
        values = mask.astype(float)
        panel = stacked_panel(design.events, group, design.places, values, design.radius_km,
                              design.months, design.data_end, exclude_own=False)
        after = panel["relative_month"] >= 0
        rows.append({"withdrawal": family, "forces": ", ".join(sorted(forces)) or "none",
                     "before": int(panel.loc[~after, "treated"].sum()),
                     "after": int(panel.loc[after, "treated"].sum())})
    return pd.DataFrame(rows)
