"""Classification under international humanitarian law: parties, intensity, organization, rules.

Every rule the engine applies is written here once, in plain words in ``RULES`` and in code
in ``classify``. Thresholds are parameters (``Thresholds``) with documented defaults; the IHL
chapter shows how the result moves when they change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from analysis.cells import partial_date
from analysis.transforms import violent

#: The state of Mali as a party, and the forces that fought at its side with its consent.
MALI = "mali"
STATE_SIDE = ("fama", "mali_government")
SUPPORTERS_WITH_CONSENT = ("france", "takuba", "eutm", "minusma", "afisma", "chad_army",
                           "wagner", "africa_corps", "g5_sahel", "niger_army", "burkina_army")
FOREIGN_STATES = ("algeria",)
NOT_PARTIES = ("civilians", "protesters", "unidentified_armed_group")

#: ACLED sub-event types grouped into the weapon categories courts look at.
WEAPON_CATEGORIES = {
    "Air/drone strike": "air_or_drone_strikes",
    "Remote explosive/landmine/IED": "ieds",
    "Suicide bomb": "suicide_attacks",
    "Shelling/artillery/missile attack": "artillery",
}

INDICATOR_COLUMNS = ("clashes", "months_with_clashes", "fatalities", "regions",
                     "air_or_drone_strikes", "ieds", "suicide_attacks", "artillery",
                     "civilian_targeting_events")

INTERNATIONAL = "international armed conflict"
NON_INTERNATIONAL = "non-international armed conflict"
BELOW_THRESHOLD = "below the threshold"
NOT_ESTABLISHED = "organization not established"
NO_CONFLICT = "not an armed conflict"

RULES = {
    "R1 international": "Any resort to armed force between two states is an international armed "
                        "conflict (Common Article 2): one violent event between them suffices.",
    "R2 parties": "Foreign forces fighting beside Mali with its consent (France, MINUSMA, "
                  "Wagner, Africa Corps...) join the Malian side; they do not make the conflict "
                  "international.",
    "R3 continuity": "A group that merged into, was renamed or succeeded by another is counted "
                     "as that group from the date of the change until it left it (from the "
                     "actor lineage); a faction joining another group is not followed.",
    "R4 intensity": "Violence is intense enough when, over the period, the pair fought at least "
                    "the minimum number of clashes, in at least the minimum number of distinct "
                    "months, with at least the minimum reported deaths.",
    "R5 organization": "A non-state party is organized when the evidence codes both its command "
                       "structure and its operational capacity as 'yes' or 'partial'.",
    "R6 non-international": "An organized non-state party and intense violence make a "
                            "non-international armed conflict (Common Article 3).",
    "R7 Protocol II": "Additional Protocol II also applies when the state is a party and the "
                      "group has responsible command and control of territory enabling "
                      "sustained operations ('yes'); 'partial' control makes it arguable.",
    "R8 below threshold": "Organized parties whose fighting does not reach the intensity "
                          "threshold are below the threshold; unorganized ones, or a pair with "
                          "no clash, are not in an armed conflict.",
    "R9 continuity": "Once established, a conflict continues in later periods in which the "
                     "same parties (or their successors) still fight, until a peace agreement "
                     "between them is recorded (Tadić: the law applies until a peaceful "
                     "settlement is reached).",
}


@dataclass(frozen=True)
class Thresholds:
    """Intensity thresholds over one period (a calendar year or a rolling 12 months).

    The defaults are deliberately modest because the book's dataset records major events only:
    25 reported deaths echoes the UCDP's threshold for an armed conflict-year.
    """

    min_clashes: int = 3
    min_months: int = 2
    min_fatalities: int = 25


def party_resolver(lineage: pd.DataFrame):
    """A function mapping (actor id, date) to the party it counts for (rules R2 and R3)."""
    follows = lineage[lineage["relation"].isin(["merged_into", "renamed_to", "succeeded_by"])]
    left = {(r.from_id, r.to_id): partial_date(r.date)
            for r in lineage[lineage["relation"] == "left"].itertuples(index=False)}
    successors: dict[str, list[tuple[pd.Timestamp, pd.Timestamp, str]]] = {}
    for row in follows.itertuples(index=False):
        until = left.get((row.from_id, row.to_id), pd.Timestamp.max)
        successors.setdefault(row.from_id, []).append((partial_date(row.date), until, row.to_id))

    def resolve(actor: str, date: pd.Timestamp) -> str:
        seen = {actor}
        while actor not in STATE_SIDE and actor not in SUPPORTERS_WITH_CONSENT:
            current = [(start, to) for start, until, to in successors.get(actor, [])
                       if start <= date < until]
            if not current:
                return actor
            actor = max(current)[1]
            if actor in seen:
                return actor
            seen.add(actor)
        return MALI

    return resolve


LATEST = pd.Timestamp("2100-01-01")


def party_events(events: pd.DataFrame, lineage: pd.DataFrame,
                 as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Violent events between two parties: ``party_a``/``party_b`` as the parties had become by
    ``as_of`` (each event's own date if None), and ``line_a``/``line_b``, their latest successors,
    which identify a conflict across renamings."""
    resolve = party_resolver(lineage)
    fights = violent(events)
    fights = fights[fights["actor2"].notna()
                    & ~fights["actor1"].isin(NOT_PARTIES) & ~fights["actor2"].isin(NOT_PARTIES)]
    dates = fights["date_start"] if as_of is None else pd.Series(as_of, index=fights.index)
    a = [resolve(x, d) for x, d in zip(fights["actor1"], dates, strict=True)]
    b = [resolve(x, d) for x, d in zip(fights["actor2"], dates, strict=True)]
    swap = [x > y for x, y in zip(a, b, strict=True)]
    first = [y if s else x for x, y, s in zip(a, b, swap, strict=True)]
    second = [x if s else y for x, y, s in zip(a, b, swap, strict=True)]
    fights = fights.assign(party_a=first, party_b=second,
                           line_a=[resolve(x, LATEST) for x in first],
                           line_b=[resolve(x, LATEST) for x in second])
    return fights[fights["party_a"] != fights["party_b"]]


def _indicators(fights: pd.DataFrame, civilian_events: pd.DataFrame) -> dict[str, int]:
    weapons = fights["sub_event_type"].map(WEAPON_CATEGORIES).value_counts()
    return {
        "clashes": len(fights),
        "months_with_clashes": fights["date_start"].dt.to_period("M").nunique(),
        "fatalities": int(fights["fatalities_best"].sum(min_count=0)),
        "regions": fights["admin1"].nunique(),
        **{c: int(weapons.get(c, 0)) for c in WEAPON_CATEGORIES.values()},
        "civilian_targeting_events": len(civilian_events),
    }


def _civilian_events_by(events: pd.DataFrame, lineage: pd.DataFrame,
                        as_of: pd.Timestamp) -> pd.DataFrame:
    resolve = party_resolver(lineage)
    harm = events[events["civilian_targeting"].astype(bool)]
    return harm.assign(party=[resolve(x, as_of) for x in harm["actor1"]])


COLUMNS = ("party_a", "party_b", "period", "line_a", "line_b", *INDICATOR_COLUMNS)


def intensity_by_year(events: pd.DataFrame, lineage: pd.DataFrame) -> pd.DataFrame:
    """Intensity indicators for every pair of parties and calendar year (parties as they had
    become by the end of the year)."""
    rows = []
    for year, in_year in events.groupby(events["date_start"].dt.year):
        as_of = pd.Timestamp(f"{year}-12-31")
        fights = party_events(in_year, lineage, as_of)
        harm = _civilian_events_by(in_year, lineage, as_of)
        for (a, b), group in fights.groupby(["party_a", "party_b"]):
            rows.append({"party_a": a, "party_b": b, "period": str(year),
                         "line_a": group["line_a"].iloc[0], "line_b": group["line_b"].iloc[0],
                         **_indicators(group, harm[harm["party"].isin([a, b])])})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def intensity_window(events: pd.DataFrame, lineage: pd.DataFrame, start: str, end: str
                     ) -> pd.DataFrame:
    """Intensity indicators for every pair over one window of dates (inclusive)."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    window = events[(events["date_start"] >= first) & (events["date_start"] <= last)]
    fights = party_events(window, lineage, last)
    harm = _civilian_events_by(window, lineage, last)
    rows = []
    for (a, b), group in fights.groupby(["party_a", "party_b"]):
        rows.append({"party_a": a, "party_b": b, "period": f"{first.date()} to {last.date()}",
                     "line_a": group["line_a"].iloc[0], "line_b": group["line_b"].iloc[0],
                     **_indicators(group, harm[harm["party"].isin([a, b])])})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def intensity_rolling(events: pd.DataFrame, lineage: pd.DataFrame, end: str,
                      months: int = 12) -> pd.DataFrame:
    """Intensity indicators for every pair over the ``months`` months ending with ``end``."""
    first = (pd.Timestamp(end).to_period("M") - (months - 1)).to_timestamp()
    return intensity_window(events, lineage, str(first.date()), end)


def _coded_periods(evidence: pd.DataFrame) -> dict[str, list[tuple[int, int, str, str]]]:
    """The evidence as (first year, last year, indicator, value) per group."""
    periods: dict[str, list[tuple[int, int, str, str]]] = {}
    for row in evidence.itertuples(index=False):
        periods.setdefault(row.group_id, []).append(
            (int(row.period_start[:4]), int(row.period_end[:4]), row.indicator, row.value))
    return periods


def evidence_window_end(evidence: pd.DataFrame, end: str) -> str:
    """``end``, or the last day of the latest year the organization evidence covers if that
    comes first: a window is classified only as far as its organization is coded."""
    covered = f"{max(int(str(p)[:4]) for p in evidence['period_end'])}-12-31"
    return min(str(pd.Timestamp(end).date()), covered)


def organization_status(evidence: pd.DataFrame, group: str, year: int,
                        lineage: pd.DataFrame | None = None,
                        periods: dict[str, list[tuple[int, int, str, str]]] | None = None
                        ) -> dict[str, str]:
    """The coded value of each organization indicator for ``group`` in ``year``.

    Without evidence for the group itself, the evidence for a group that merged into it or was
    renamed as it, in the same year, is used; otherwise the indicators are unknown.
    ``periods`` is the evidence as ``_coded_periods`` gives it, when the caller has it already.
    """
    periods = _coded_periods(evidence) if periods is None else periods

    def coded(name: str) -> dict[str, str]:
        return {indicator: value for first, last, indicator, value in periods.get(name, [])
                if first <= year <= last}

    status = coded(group)
    if status or lineage is None:
        return status
    into = lineage[(lineage["to_id"] == group)
                   & lineage["relation"].isin(["merged_into", "renamed_to", "succeeded_by"])]
    for predecessor in sorted(into["from_id"]):
        status = coded(predecessor)
        if status:
            return status
    return {}


def _is_state(party: str) -> bool:
    return party == MALI or party in FOREIGN_STATES


def settlements(events: pd.DataFrame, lineage: pd.DataFrame) -> dict[tuple[str, str],
                                                                       pd.Timestamp]:
    """The last peace agreement recorded between each pair of conflict lines (rule R9)."""
    resolve = party_resolver(lineage)
    deals = events[(events["sub_event_type"] == "Agreement") & events["actor2"].notna()]
    found: dict[tuple[str, str], pd.Timestamp] = {}
    for row in deals.itertuples(index=False):
        pair = tuple(sorted((resolve(row.actor1, LATEST), resolve(row.actor2, LATEST))))
        if pair[0] != pair[1]:
            found[pair] = max(found.get(pair, row.date_start), row.date_start)
    return found


def classify(indicators: pd.DataFrame, evidence: pd.DataFrame,
             thresholds: Thresholds | None = None,
             settled: dict[tuple[str, str], pd.Timestamp] | None = None,
             established: Iterable[tuple[str, str, int]] = (),
             lineage: pd.DataFrame | None = None) -> pd.DataFrame:
    """A classification, the Protocol II status and the reasons, for every pair and period.

    Periods are taken in order so that a conflict, once established, continues (rule R9);
    ``established`` adds conflicts known from earlier periods as (line_a, line_b, year).
    """
    limits = thresholds or Thresholds()
    settled = settled or {}
    ongoing: dict[tuple[str, str], int] = {}
    for line_a, line_b, year in established:
        ongoing[tuple(sorted((line_a, line_b)))] = year
    periods = _coded_periods(evidence)
    rows = []
    ordered = indicators.assign(end_year=indicators["period"].astype(str).str[-10:].str[:4])
    for row in ordered.sort_values(["end_year", "party_a", "party_b"]).itertuples(index=False):
        year = int(row.end_year)
        states = [p for p in (row.party_a, row.party_b) if _is_state(p)]
        groups = [p for p in (row.party_a, row.party_b) if p not in states]
        reasons = []
        if len(states) == 2:
            reasons.append(f"R1: {row.clashes} violent event(s) between two states")
            rows.append(_result(row, INTERNATIONAL, "not applicable", reasons))
            continue
        intense = (row.clashes >= limits.min_clashes
                   and row.months_with_clashes >= limits.min_months
                   and row.fatalities >= limits.min_fatalities)
        reasons.append(
            f"R4: {row.clashes} clashes (min {limits.min_clashes}), {row.months_with_clashes} "
            f"months (min {limits.min_months}), {row.fatalities} deaths "
            f"(min {limits.min_fatalities}): intensity {'met' if intense else 'not met'}")
        organized, unknown = True, []
        for group in groups:
            status = organization_status(evidence, group, year, lineage, periods)
            command = status.get("command_structure", "unknown")
            capacity = status.get("operational_capacity", "unknown")
            if "unknown" in (command, capacity):
                unknown.append(group)
            ok = command in ("yes", "partial") and capacity in ("yes", "partial")
            organized &= ok
            reasons.append(f"R5: {group} command structure {command}, operational capacity "
                           f"{capacity}: {'organized' if ok else 'not shown to be organized'}")
        if not organized:
            label = NOT_ESTABLISHED if unknown else NO_CONFLICT
            rows.append(_result(row, label if intense else NO_CONFLICT, "no", reasons))
            continue
        line = tuple(sorted((row.line_a, row.line_b)))
        since = ongoing.get(line)
        deal = settled.get(line)
        if since is not None and deal is not None and deal.year >= since and deal.year < year:
            reasons.append(f"R9: the conflict established in {since} ended with the agreement "
                           f"of {deal.date()}")
            since = None
            ongoing.pop(line, None)
        if not intense and since is None:
            reasons.append("R8: organized parties, violence below the intensity threshold")
            rows.append(_result(row, BELOW_THRESHOLD, "no", reasons))
            continue
        if intense:
            reasons.append("R6: organized non-state party and intense violence")
            ongoing.setdefault(line, year)
        else:
            reasons.append(f"R9: the conflict established in {since} continues while the "
                           "parties still fight and no peace agreement has ended it")
        ap2 = "no"
        if MALI in states and len(groups) == 1:
            status = organization_status(evidence, groups[0], year, lineage, periods)
            control = status.get("ap2_territorial_control", "unknown")
            ap2 = {"yes": "yes", "partial": "arguable"}.get(control, "no")
            reasons.append(f"R7: territorial control {control}: Protocol II {ap2}")
        rows.append(_result(row, NON_INTERNATIONAL, ap2, reasons))
    return pd.DataFrame(rows, columns=["party_a", "party_b", "period", "classification", "ap2",
                                       "reasons"])


def _result(row, classification: str, ap2: str, reasons: Iterable[str]) -> dict[str, str]:
    return {"party_a": row.party_a, "party_b": row.party_b, "period": row.period,
            "classification": classification, "ap2": ap2, "reasons": "; ".join(reasons)}


def rules_table() -> pd.DataFrame:
    """The engine's rules, in words, for readers."""
    return pd.DataFrame({"rule": list(RULES.values())}, index=pd.Index(list(RULES), name="id"))


#: How an event bears on a rule of IHL: (test on the event, rule concerned). Rule numbers are
#: those of the ICRC study of customary IHL (Henckaerts and Doswald-Beck, 2005).
SITES = {
    "displaced persons' site": r"\bIDP|displaced",
    "market": r"market",
    "convoy": r"convoy",
    "boat": r"\bboat|ferry|pinasse",
    "homes and villages": r"\bhomes?\b|houses|village",
}


def _matches(events: pd.DataFrame, pattern: str) -> pd.Series:
    return events["notes"].fillna("").str.contains(pattern, case=False, regex=True)


def violation_tags(events: pd.DataFrame) -> pd.DataFrame:
    """Events bearing on IHL, one row per event and rule concerned, with the alleged perpetrator.

    The tags are allegations drawn from the event's type and notes, not findings.
    """
    sub = events["sub_event_type"]
    targeted = events["civilian_targeting"].astype(bool)
    against_civilians = targeted | (events["actor2"] == "civilians")
    tests = {
        "attack directed against civilians (distinction, Rule 1)":
            (sub == "Attack") & against_civilians,
        "air or drone strike affecting civilians (distinction, proportionality, precautions, "
        "Rules 1, 14, 15)": (sub == "Air/drone strike") & against_civilians,
        "explosive device affecting civilians (indiscriminate attack, Rules 11, 12)":
            sub.isin(["Remote explosive/landmine/IED", "Suicide bomb",
                      "Shelling/artillery/missile attack"]) & against_civilians,
        "hostage-taking or enforced disappearance (Rules 96, 98)":
            sub == "Abduction/forced disappearance",
        "sexual violence (Rule 93)": sub == "Sexual violence",
        "killing of persons in enemy hands (murder, Rule 89)": _matches(
            events, r"execut|summar") & (events["event_type"] == "Violence against civilians"),
        "siege or blockade affecting civilians (starvation, objects indispensable to survival, "
        "Rules 53, 54)": _matches(events, r"blockade|siege|besieg") & against_civilians,
        "pillage or destruction of civilian property (Rules 50, 52)":
            (sub == "Looting/property destruction") & against_civilians,
    }
    frames = []
    for rule, hit in tests.items():
        tagged = events[hit]
        frames.append(tagged.assign(rule=rule))
    catalogue = pd.concat(frames, ignore_index=True)
    site = pd.Series("", index=catalogue.index)
    for name, pattern in SITES.items():
        site = site.where(~(_matches(catalogue, pattern) & (site == "")), name)
    catalogue = catalogue.assign(site=site, perpetrator=catalogue["actor1"],
                                 year=catalogue["date_start"].dt.year)
    columns = ["event_id", "date_start", "year", "location", "admin1", "perpetrator", "rule",
               "site", "fatalities_best", "deaths_civilians", "source_ids"]
    return catalogue[columns].sort_values(["date_start", "event_id", "rule"], ignore_index=True)


def violations_by_rule(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Per rule of the ``violation_tags`` catalogue: events, the deaths reported in them (all
    sides) and, of those, the civilians the sources say were killed."""
    return catalogue.groupby("rule").agg(
        events=("event_id", "nunique"),
        **{"reported deaths in the events (all sides)": ("fatalities_best", "sum"),
           "of which civilians": ("deaths_civilians", "sum")},
    ).sort_values("events", ascending=False)


def _classified(indicators: pd.DataFrame, evidence: pd.DataFrame,
                thresholds: Thresholds | None, settled: dict[tuple[str, str], pd.Timestamp],
                lineage: pd.DataFrame, established: Iterable[tuple[str, str, int]] = ()
                ) -> pd.DataFrame:
    """``classify`` with the indicators it was given alongside each result."""
    result = classify(indicators, evidence, thresholds, settled, established, lineage)
    return result.merge(indicators, on=["party_a", "party_b", "period"], how="left")


def classify_years(events: pd.DataFrame, lineage: pd.DataFrame, evidence: pd.DataFrame,
                   thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The classification of every pair of parties in every calendar year of the events."""
    return _classified(intensity_by_year(events, lineage), evidence, thresholds,
                       settlements(events, lineage), lineage)


#: The event columns the classification reads (a narrow copy makes its many filters cheap).
EVENT_COLUMNS_USED = ("event_id", "date_start", "event_type", "sub_event_type", "actor1",
                      "actor2", "admin1", "fatalities_best", "civilian_targeting",
                      "deaths_civilians")


class WindowInputs(NamedTuple):
    """What classifying a window needs whatever the thresholds."""

    yearly: pd.DataFrame  # indicators per calendar year before the window
    settled_before: dict[tuple[str, str], pd.Timestamp]  # agreements before the window
    window: pd.DataFrame  # indicators over the window
    settled: dict[tuple[str, str], pd.Timestamp]  # agreements up to the window's end


def _window_inputs(events: pd.DataFrame, lineage: pd.DataFrame, start: str, end: str
                   ) -> WindowInputs:
    events = events[list(EVENT_COLUMNS_USED)]
    before = events[events["date_start"] < pd.Timestamp(start)]
    return WindowInputs(intensity_by_year(before, lineage), settlements(before, lineage),
                        intensity_window(events, lineage, start, end),
                        settlements(events, lineage))


def _classify_window(inputs: WindowInputs, evidence: pd.DataFrame,
                     thresholds: Thresholds | None, lineage: pd.DataFrame) -> pd.DataFrame:
    history = _classified(inputs.yearly, evidence, thresholds, inputs.settled_before, lineage)
    established = [(r.line_a, r.line_b, int(str(r.period)[:4]))
                   for r in history[history["classification"] == NON_INTERNATIONAL]
                   .itertuples(index=False)]
    return _classified(inputs.window, evidence, thresholds, inputs.settled, lineage,
                       established)


def classify_window(events: pd.DataFrame, lineage: pd.DataFrame, evidence: pd.DataFrame,
                    start: str, end: str, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The classification of every pair over one window, with conflicts established in the
    calendar years before it carried forward (rule R9)."""
    return _classify_window(_window_inputs(events, lineage, start, end), evidence, thresholds,
                            lineage)


def threshold_label(limits: Thresholds) -> str:
    """The thresholds in words, e.g. '3 clashes, 2 months, 25 deaths'."""
    return (f"{limits.min_clashes} clashes, {limits.min_months} months, "
            f"{limits.min_fatalities} deaths")


def sensitivity(events: pd.DataFrame, lineage: pd.DataFrame, evidence: pd.DataFrame,
                start: str, end: str, grid: Sequence[Thresholds]) -> pd.DataFrame:
    """The classification of every pair over one window under each set of thresholds
    (``thresholds`` names the set, as ``threshold_label`` writes it)."""
    inputs = _window_inputs(events, lineage, start, end)
    return pd.concat([_classify_window(inputs, evidence, limits, lineage).assign(
        thresholds=threshold_label(limits)) for limits in grid], ignore_index=True)


def supporters(actors: pd.DataFrame) -> pd.DataFrame:
    """Foreign forces that fought beside Mali with its consent, with their dates (rule R2)."""
    table = actors[actors["actor_id"].isin(SUPPORTERS_WITH_CONSENT)]
    return table[["actor_id", "name_en", "actor_type", "active_from", "active_to",
                  "source_ids"]].set_index("actor_id")


def agreement_with_published(result: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The engine's result next to a published classification, pair by pair, and whether the
    two agree on the classification and on Protocol II."""
    merged = published.merge(result[["party_a", "party_b", "classification", "ap2", "reasons"]],
                             on=["party_a", "party_b"], how="left", suffixes=("_published", ""))
    merged["classification"] = merged["classification"].fillna("no clash recorded")
    merged["ap2"] = merged["ap2"].fillna("no")
    no_conflict = {BELOW_THRESHOLD, NOT_ESTABLISHED, NO_CONFLICT, "no clash recorded"}
    same = merged["classification"] == merged["classification_published"]
    # 'Not an armed conflict' in a publication covers every result in which no conflict exists.
    both_none = (merged["classification_published"] == NO_CONFLICT) & merged[
        "classification"].isin(no_conflict)
    merged["agrees"] = same | both_none
    assessed = merged["ap2_published"] != "not assessed"
    merged["ap2_agrees"] = (merged["ap2"] == merged["ap2_published"]).where(assessed)
    return merged


def agreement_with_ucdp(dyads: pd.DataFrame) -> pd.DataFrame:
    """How often the engine finds an armed conflict in the dyad-years UCDP lists for Mali
    (``agrees_on_ucdp`` on UCDP's own events, ``agrees_on_curated`` on the book's)."""
    return pd.DataFrame({
        "UCDP dyad-years": [len(dyads), len(dyads)],
        "engine finds an armed conflict": [int(dyads["agrees_on_ucdp"].sum()),
                                           int(dyads["agrees_on_curated"].sum())],
        "share": [round(float(dyads["agrees_on_ucdp"].mean()), 2),
                  round(float(dyads["agrees_on_curated"].mean()), 2)],
    }, index=pd.Index(["on UCDP's events", "on the book's events"], name="engine run"))
