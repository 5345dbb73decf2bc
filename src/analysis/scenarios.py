"""Scenario signposts and the scenario probabilities they update.

Each computed signpost names a measure below, taken over one calendar month;
``data/scenarios/signposts.csv`` sets its threshold, comparison and the written likelihood
ratios of the upside and downside cases against the base case (with their justification and
sources). Coded signposts carry their status, date and base-case chance in the file. The base
case's chance of a computed signpost is its rate in the months before the brief; Bayes' rule
then moves the brief's probabilities month by month.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from analysis.transforms import last_months as window
from analysis.transforms import monthly, state_force_deaths, violent

REGIONAL_CAPITALS = ("Bamako", "Kayes", "Koulikoro", "Sikasso", "Ségou", "Mopti", "Sévaré",
                     "Tombouctou", "Timbuktu", "Gao", "Kidal", "Ménaka", "Taoudénit")
SOUTH_WEST = ("Kayes", "Koulikoro", "Bamako")
COMPARISONS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


def capital_attacks(events: pd.DataFrame, end: pd.Timestamp, months: int) -> float:
    """Violent events in a regional capital or Bamako, located at the town itself."""
    recent = violent(window(events, end, months))
    at_town = recent["geo_precision"] == 1
    named = recent["location"].str.startswith(REGIONAL_CAPITALS)
    return float((at_town & named).sum())


def southwest_attacks(events: pd.DataFrame, end: pd.Timestamp, months: int) -> float:
    """Violent events in the Kayes and Koulikoro regions and Bamako."""
    recent = violent(window(events, end, months))
    return float(recent["admin1"].isin(SOUTH_WEST).sum())


def army_losses(events: pd.DataFrame, end: pd.Timestamp, months: int) -> float:
    """Soldiers of the Malian armed forces reported killed (``transforms.state_force_deaths``:
    the deaths on the army's side, not the attackers')."""
    return float(state_force_deaths(violent(window(events, end, months))).sum())


def strikes_on_civilians(events: pd.DataFrame, end: pd.Timestamp, months: int) -> float:
    """Air or drone strikes by the state's forces on civilians."""
    recent = window(events, end, months)
    strikes = recent["sub_event_type"] == "Air/drone strike"
    on_civilians = recent["civilian_targeting"].astype(bool) | (recent["actor2"] == "civilians")
    by_state = recent["actor1"].isin(["fama", "wagner", "africa_corps"])
    return float((strikes & on_civilians & by_state).sum())


def blockade_days(events: pd.DataFrame, end: pd.Timestamp, months: int) -> float:
    """Days of the window covered by a recorded siege or blockade."""
    first = end - pd.DateOffset(months=months) + pd.Timedelta(days=1)
    notes = events["notes"].fillna("").str.contains(r"blockade|siege|besieg", case=False)
    days: set[pd.Timestamp] = set()
    for row in events[notes].itertuples(index=False):
        start, stop = max(row.date_start, first), min(row.date_end, end)
        if start <= stop:
            days.update(pd.date_range(start, stop, freq="D"))
    return float(len(days))


def deaths_change_factor(events: pd.DataFrame, end: pd.Timestamp, months: int) -> float:
    """How far the reported deaths of the window are from the monthly mean of the twelve months
    before it, as a factor at least 1 (twice or half the mean are both 2)."""
    now = violent(window(events, end, months))["fatalities_best"].sum() / months
    before = violent(window(events, end - pd.DateOffset(months=months), 12))[
        "fatalities_best"].sum() / 12
    if not now and not before:
        return 1.0
    if not now or not before:
        return float("inf")
    return float(max(now / before, before / now))


STATE = ("mali_government", "fama")
NOT_ARMED_GROUPS = (*STATE, "aes", "ecowas", "minusma", "un_security_council", "g5_sahel")


def agreements(events: pd.DataFrame, end: pd.Timestamp, months: int) -> float:
    """Agreements recorded between the Malian state and an armed group."""
    recent = window(events, end, months)
    deals = recent[recent["sub_event_type"] == "Agreement"]
    with_state = deals["actor1"].isin(STATE) | deals["actor2"].isin(STATE)
    other = deals["actor2"].where(deals["actor1"].isin(STATE), deals["actor1"])
    return float((with_state & other.notna() & ~other.isin(NOT_ARMED_GROUPS)).sum())


MEASURES: dict[str, Callable[[pd.DataFrame, pd.Timestamp, int], float]] = {
    "capital_attacks": capital_attacks,
    "southwest_attacks": southwest_attacks,
    "army_losses": army_losses,
    "strikes_on_civilians": strikes_on_civilians,
    "blockade_days": blockade_days,
    "deaths_change_factor": deaths_change_factor,
    "agreements": agreements,
}


#: How far back a measure of one month looks: the month itself and the twelve before it
#: (``deaths_change_factor`` compares the month with the year before).
LOOKBACK_MONTHS = 13

#: The columns the measures read: a month's events are handed to them with these alone.
MEASURE_COLUMNS = ("date_start", "date_end", "event_type", "sub_event_type", "geo_precision",
                   "location", "admin1", "actor1", "actor2", "civilian_targeting",
                   "fatalities_best", "deaths_side_a", "deaths_side_b", "notes")

SCENARIOS = ("base", "upside", "downside")
#: Likelihoods are kept away from 0 and 1, so that no single month can rule a scenario out.
FLOOR, CEILING = 0.02, 0.98
#: Months of data before the prior's date from which the base case's rates are measured.
BASE_MONTHS = 36


def month_ends(start: str | pd.Timestamp, end: str | pd.Timestamp) -> list[pd.Timestamp]:
    """The last day of every calendar month from ``start``'s month to ``end``'s month."""
    months = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="M")
    return [m.to_timestamp(how="end").normalize() for m in months]


def monthly_evidence(events: pd.DataFrame, signposts: pd.DataFrame, start: str | pd.Timestamp,
                     end: str | pd.Timestamp) -> pd.DataFrame:
    """Every signpost in every month from ``start`` to ``end``: ``value`` (computed signposts,
    over that month) and ``met`` (True, False, or missing when nothing was observed that month:
    a coded signpost counts only in the month of its ``as_of`` date)."""
    rows = []
    narrow = events[list(MEASURE_COLUMNS)]
    for last in month_ends(start, end):
        # the measures of one month look back at most LOOKBACK_MONTHS and read MEASURE_COLUMNS:
        # only those events and columns are handed to them (the same values, less work)
        nearby = narrow[(narrow["date_start"] <= last) & (
            narrow["date_end"] >= last - pd.DateOffset(months=LOOKBACK_MONTHS))]
        for post in signposts.itertuples(index=False):
            if post.kind == "coded":
                observed = (pd.notna(post.as_of)
                            and pd.Timestamp(post.as_of).to_period("M") == last.to_period("M"))
                value, met = float("nan"), (post.status == "met") if observed else pd.NA
            else:
                value = MEASURES[post.measure](nearby, last, 1)
                met = bool(COMPARISONS[post.comparison](value, float(post.threshold)))
            rows.append({"month": last.to_period("M").to_timestamp(), "signpost_id":
                         post.signpost_id, "scenario": post.scenario, "label": post.label,
                         "kind": post.kind, "value": value, "met": met})
    columns = ["month", "signpost_id", "scenario", "label", "kind", "value", "met"]
    return pd.DataFrame(rows, columns=columns).astype({"met": "boolean",
                                                      "month": "datetime64[ns]"})


def evidence_between(events: pd.DataFrame, signposts: pd.DataFrame, start: str | pd.Timestamp,
                     end: str | pd.Timestamp, evidence: pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """``monthly_evidence`` from ``start``'s month to ``end``'s, taken from ``evidence`` (a
    ``monthly_evidence`` table over a longer span, for the same events) when it is given, else
    computed: replaying the method from many dates measures each month once."""
    if evidence is None:
        return monthly_evidence(events, signposts, start, end)
    first = pd.Timestamp(start).to_period("M").to_timestamp()
    last = pd.Timestamp(end).to_period("M").to_timestamp()
    return evidence[(evidence["month"] >= first) & (evidence["month"] <= last)
                    & evidence["signpost_id"].isin(signposts["signpost_id"])]


def base_rates(events: pd.DataFrame, signposts: pd.DataFrame, prior_date: str | pd.Timestamp,
               months: int = BASE_MONTHS, evidence: pd.DataFrame | None = None) -> pd.Series:
    """Each signpost's chance of being met in a month under the base case, indexed by
    ``signpost_id``: for a computed signpost, the share of the ``months`` months before the
    prior's date in which it was met, with one met and one not-met month added (so that no
    rate is 0 or 1); for a coded signpost, the ``p_base`` written in the signposts table
    (``evidence`` as in ``evidence_between``)."""
    last = pd.Timestamp(prior_date).to_period("M").to_timestamp(how="end").normalize()
    first = last - pd.DateOffset(months=months - 1)
    history = evidence_between(events, signposts[signposts["kind"] == "computed"], first, last,
                               evidence)
    counts = history.groupby("signpost_id", sort=False)["met"].agg(["sum", "count"])
    rates = (counts["sum"] + 1) / (counts["count"] + 2)
    coded = signposts[signposts["kind"] == "coded"].set_index("signpost_id")["p_base"]
    measured = rates.astype(float).reindex(
        signposts.loc[signposts["kind"] == "computed", "signpost_id"]).fillna(0.5)  # no month
    return pd.concat([measured, coded.astype(float)]).reindex(
        signposts["signpost_id"]).rename("p_base")


def likelihoods(signposts: pd.DataFrame, rates: pd.Series, strength: float = 1.0
                ) -> pd.DataFrame:
    """The chance of each signpost being met in a month under each scenario (columns
    ``SCENARIOS``), indexed by ``signpost_id``: the base case's rate times the written
    likelihood ratio (``lr_upside``, ``lr_downside``) raised to ``strength`` (1 as written;
    0.5 halves the weight of the evidence on the log scale), kept within ``FLOOR``-``CEILING``."""
    posts = signposts.set_index("signpost_id")
    table = pd.DataFrame({"base": rates.reindex(posts.index).astype(float)})
    for scenario in SCENARIOS[1:]:
        table[scenario] = table["base"] * posts[f"lr_{scenario}"].astype(float) ** strength
    return table.clip(FLOOR, CEILING)[list(SCENARIOS)]


def update(prior: pd.Series, chances: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """Bayes' rule month by month: the probability of each scenario (``prior`` indexed by
    scenario) after each month's evidence (``monthly_evidence``: ``month``, ``signpost_id``,
    ``met``), with ``chances`` from ``likelihoods``. Signposts are taken as independent given
    the scenario; a month without observations leaves the probabilities as they were. One row
    per month (the first row is the prior, at the month before the evidence starts) and
    scenario: ``probability`` and the month's ``log_likelihood``."""
    current = prior.reindex(list(SCENARIOS)).astype(float)
    current = current / current.sum()
    first = evidence["month"].min() if len(evidence) else pd.NaT
    rows = [{"month": first - pd.DateOffset(months=1) if len(evidence) else pd.NaT,
             "scenario": s, "probability": current[s], "log_likelihood": 0.0}
            for s in SCENARIOS]
    for month, seen in evidence.dropna(subset=["met"]).groupby("month", sort=True):
        p = chances.loc[seen["signpost_id"]].to_numpy()
        met = seen["met"].to_numpy(dtype=bool)[:, None]
        log_lik = pd.Series(np.log(np.where(met, p, 1 - p)).sum(axis=0), index=list(SCENARIOS))
        weights = np.log(current) + log_lik
        current = np.exp(weights - weights.max())
        current = current / current.sum()
        rows += [{"month": month, "scenario": s, "probability": current[s],
                  "log_likelihood": log_lik[s]} for s in SCENARIOS]
    return pd.DataFrame(rows)


def update_from(events: pd.DataFrame, signposts: pd.DataFrame, prior: pd.Series,
                origin: str | pd.Timestamp, end: str | pd.Timestamp, strength: float = 1.0,
                evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """``update`` of ``prior``, set at ``origin``, with the signposts of every month after it
    to ``end``; the base case's chances measured on the months before ``origin``
    (``base_rates``, ``likelihoods`` with ``strength``; ``evidence`` as in
    ``evidence_between``)."""
    chances = likelihoods(signposts, base_rates(events, signposts, origin, evidence=evidence),
                          strength)
    first = pd.Timestamp(origin) + pd.DateOffset(days=1)
    return update(prior, chances, evidence_between(events, signposts, first, end, evidence))


def posterior(path: pd.DataFrame) -> pd.Series:
    """The last probabilities of an ``update`` path, indexed by scenario (the prior when no
    month was observed)."""
    last = path.iloc[-len(SCENARIOS):]
    return last.set_index("scenario")["probability"].reindex(list(SCENARIOS))


def leading_changes(path: pd.DataFrame) -> int:
    """How many times the most probable scenario of an ``update`` path changes."""
    wide = path.dropna(subset=["month"]).pivot(index="month", columns="scenario",
                                               values="probability")
    leader = wide.idxmax(axis=1)
    return int((leader != leader.shift()).iloc[1:].sum())


def weight_of_evidence(chances: pd.DataFrame) -> pd.DataFrame:
    """For each signpost, the likelihood ratio of the upside and downside cases against the
    base case when it is met and when it is not (1: the signpost does not discriminate)."""
    table = {}
    for scenario in SCENARIOS[1:]:
        table[f"{scenario}: met"] = chances[scenario] / chances["base"]
        table[f"{scenario}: not met"] = (1 - chances[scenario]) / (1 - chances["base"])
    return pd.DataFrame(table)


def scenario_outcome(monthly_deaths: pd.Series, before_end: pd.Timestamp, upside_below: float,
                     downside_above: float) -> str | None:
    """The proxy outcome of the twelve months after ``before_end`` (a month start of
    ``monthly_deaths``, indexed by month): 'upside' when their deaths fall below
    ``upside_below`` times those of the twelve months to ``before_end``, 'downside' above
    ``downside_above`` times, else 'base'; None when a window is incomplete."""
    end = pd.Timestamp(before_end)
    before = monthly_deaths[(monthly_deaths.index > end - pd.DateOffset(months=12))
                            & (monthly_deaths.index <= end)]
    after = monthly_deaths[(monthly_deaths.index > end)
                           & (monthly_deaths.index <= end + pd.DateOffset(months=12))]
    if len(before) < 12 or len(after) < 12:
        return None
    ratio = after.sum() / before.sum() if before.sum() else float("inf")
    return "upside" if ratio < upside_below else "downside" if ratio > downside_above else "base"


def brier(probabilities: pd.Series, outcome: str) -> float:
    """The Brier score of probabilities over the scenarios for the one that occurred."""
    truth = pd.Series([float(s == outcome) for s in SCENARIOS], index=list(SCENARIOS))
    return float(((probabilities.reindex(list(SCENARIOS)) - truth) ** 2).sum())


def hindcast(events: pd.DataFrame, signposts: pd.DataFrame, prior: pd.Series,
             origins: Sequence[str], upside_below: float, downside_above: float,
             months: int = 12, strength: float = 1.0) -> pd.DataFrame:
    """The method replayed from past dates: at each origin (a month end), the base rates of
    the ``BASE_MONTHS`` before it, ``months`` months of computed signposts (coded ones carry
    the brief's dates and are left out), and the posterior compared with the proxy outcome of
    the next twelve months (``scenario_outcome``) by the Brier score, next to the prior's and equal
    probabilities' (``strength`` as in ``likelihoods``).
    Needs ``date_start``, ``fatalities_best`` and the columns of the measures."""
    computed = signposts[signposts["kind"] == "computed"]
    deaths = monthly(violent(events)).set_index("month")["fatalities"]
    starts = [pd.Timestamp(origin) for origin in origins]
    evidence = monthly_evidence(events, computed, min(starts) - pd.DateOffset(months=BASE_MONTHS),
                                max(starts) + pd.DateOffset(months=months)) if starts else None
    rows = []
    for origin in origins:
        start = pd.Timestamp(origin)
        last = (start + pd.DateOffset(days=1) + pd.DateOffset(months=months - 1)
                ).to_period("M").to_timestamp(how="end")
        path = update_from(events, computed, prior, start, last.normalize(), strength, evidence)
        outcome = scenario_outcome(deaths, last.to_period("M").to_timestamp(), upside_below,
                                   downside_above)
        if outcome is None:
            continue
        after = posterior(path)
        rows.append({"origin": start.to_period("M").to_timestamp(), "outcome": outcome,
                     **{f"p_{s}": after[s] for s in SCENARIOS},
                     "leading_changes": leading_changes(path),
                     "brier_update": brier(after, outcome),
                     "brier_prior": brier(prior, outcome),
                     "brier_equal": brier(pd.Series(1 / 3, index=list(SCENARIOS)), outcome)})
    return pd.DataFrame(rows, columns=["origin", "outcome", *[f"p_{s}" for s in SCENARIOS],
                                       "leading_changes", "brier_update", "brier_prior",
                                       "brier_equal"]).astype({"origin": "datetime64[ns]"})
