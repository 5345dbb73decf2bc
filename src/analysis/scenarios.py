"""Scenario signposts: indicators measured from the events, compared with thresholds.

Each computed signpost names a measure below; ``data/scenarios/signposts.csv`` sets its
scenario, threshold and comparison. Coded signposts carry their status and sources in the file.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

import pandas as pd

from analysis.transforms import last_months as window
from analysis.transforms import state_force_deaths, violent

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


def fatality_ratio(events: pd.DataFrame, end: pd.Timestamp, months: int) -> float:
    """Reported deaths in the window divided by those in the window before it."""
    now = violent(window(events, end, months))["fatalities_best"].sum()
    before = violent(window(events, end - pd.DateOffset(months=months), months))[
        "fatalities_best"].sum()
    return float(now / before) if before else float("inf") if now else 1.0


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
    "fatality_ratio_steady": fatality_ratio,
    "fatality_ratio_falling": fatality_ratio,
    "agreements": agreements,
}


def signpost_status(events: pd.DataFrame, signposts: pd.DataFrame, end: str,
                    windows: Sequence[int] = (3, 6, 12)) -> pd.DataFrame:
    """Every signpost's value and status ('met' or 'not met') for each window ending at ``end``.

    Coded signposts keep the status their sources give, whatever the window.
    """
    last = pd.Timestamp(end)
    rows = []
    for post in signposts.itertuples(index=False):
        for months in windows:
            if post.kind == "coded":
                value, status = float("nan"), post.status
            else:
                value = MEASURES[post.measure](events, last, months)
                met = COMPARISONS[post.comparison](value, float(post.threshold))
                status = "met" if met else "not met"
            rows.append({"signpost_id": post.signpost_id, "scenario": post.scenario,
                         "label": post.label, "kind": post.kind, "window_months": months,
                         "value": value, "status": status})
    return pd.DataFrame(rows)


def tracked_scenario(status: pd.DataFrame, window_months: int = 6) -> pd.DataFrame:
    """Share of each scenario's signposts met over one window; the scenario tracked is the one
    with the highest share, ties going to the base case, then to the downside."""
    current = status[status["window_months"] == window_months]
    shares = current.assign(met=current["status"] == "met").groupby("scenario").agg(
        signposts=("met", "size"), met=("met", "sum"))
    shares["share_met"] = (shares["met"] / shares["signposts"]).round(2)
    order = {"base": 0, "downside": 1, "upside": 2}
    ranked = sorted(shares.index, key=lambda s: (-shares.loc[s, "share_met"], order.get(s, 9)))
    shares["tracked"] = [s == ranked[0] for s in shares.index]
    return shares.loc[ranked]
