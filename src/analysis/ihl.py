"""Classification under international humanitarian law: parties, intensity, organization, rules.

Every rule the engine applies is written here once, in plain words in ``RULES`` and in code
in ``classify``. The legal tests are holistic; the engine makes each step explicit: which
indicators point to intensity, which groups of organization indicators are met, which
conditions of Additional Protocol II hold, and what ended a conflict. Its parameters
(``Thresholds``) have documented defaults; the IHL chapter shows how the result moves when they
or the coding of the evidence change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import pandas as pd

from analysis.cells import partial_date, split_ids
from analysis.transforms import opponents, violent

#: The state of Mali as a party, and the foreign forces that fought at its side with its
#: consent (each a party in its own right when it took part in hostilities: rule R2).
MALI = "mali"
STATE_SIDE = ("fama", "mali_government")
SUPPORTERS_WITH_CONSENT = ("france", "takuba", "eutm", "minusma", "afisma", "chad_army",
                           "wagner", "africa_corps", "g5_sahel", "niger_army", "burkina_army")
FOREIGN_STATES = ("algeria",)
NOT_PARTIES = ("civilians", "protesters", "unidentified_armed_group")
#: The forces whose presence is the Security Council's involvement (its missions in Mali).
COUNCIL_MISSIONS = ("afisma", "minusma")

#: ACLED sub-event types grouped into the weapon categories courts look at.
WEAPON_CATEGORIES = {
    "Air/drone strike": "air_or_drone_strikes",
    "Remote explosive/landmine/IED": "ieds",
    "Suicide bomb": "suicide_attacks",
    "Shelling/artillery/missile attack": "artillery",
}

INDICATOR_COLUMNS = ("clashes", "months_with_clashes", "first_clash", "last_clash",
                     "fatalities", "regions", "air_or_drone_strikes", "ieds", "suicide_attacks",
                     "artillery", "state_forces", "civilian_targeting_events",
                     "security_council")

#: Boškoski's five groups of organization indicators, and the conditions of Additional
#: Protocol II, Article 1(1), as coded in ``data/ihl/organization.csv``.
ORGANIZATION_GROUPS = {
    "command_structure": "command structure",
    "military_operations": "military operations",
    "logistics": "logistics",
    "discipline_ihl": "discipline and ability to implement IHL",
    "one_voice": "speaking with one voice",
}
CORE_GROUPS = ("command_structure", "military_operations")
AP2_CONDITIONS = {
    "ap2_responsible_command": "responsible command",
    "ap2_territorial_control": "control over part of the territory",
    "ap2_sustained_operations": "sustained and concerted military operations",
    "ap2_implement_protocol": "ability to implement the Protocol",
}
INDICATORS = (*ORGANIZATION_GROUPS, *AP2_CONDITIONS)

#: The kinds of agreement the agreements table codes; only a peace agreement can end a
#: conflict, and only if hostilities actually end (rule R9).
AGREEMENT_KINDS = ("peace agreement", "ceasefire", "cessation of hostilities", "roadmap",
                   "security arrangement", "initialling", "talks", "recommitment",
                   "prisoner exchange", "termination", "political agreement", "alliance",
                   "sanctions", "other")
SETTLEMENT = "peace agreement"

INTERNATIONAL = "international armed conflict"
NON_INTERNATIONAL = "non-international armed conflict"
BELOW_THRESHOLD = "below the threshold"
NOT_ESTABLISHED = "organization not established"
NO_CONFLICT = "not an armed conflict"
CONFLICT = (INTERNATIONAL, NON_INTERNATIONAL)

RULES = {
    "R1 international": "Any resort to armed force between two states is an international armed "
                        "conflict (Common Article 2): one violent event between them suffices. "
                        "It lasts until the general close of military operations: here, from "
                        "the first to the last exchange of a run of exchanges no more than the "
                        "settlement window apart.",
    "R2 parties": "Foreign forces fighting beside Mali with its consent (France, MINUSMA, "
                  "Wagner, Africa Corps...) do not make the conflict international; each "
                  "becomes a party to the non-international conflict in which it takes part "
                  "in hostilities (the support-based approach). Their events count for the "
                  "side of the state; the parties of each side are listed period by period.",
    "R3 parties to a clash": "Every actor an event names on a side, its associated actors "
                             "included, fights in it: each pair of opponents is a clash "
                             "between them. A group that merged into, was renamed or succeeded "
                             "by another is counted as that group from the date of the change "
                             "until it left it (from the actor lineage); a faction joining "
                             "another group is not followed.",
    "R4 intensity": "Intensity is a holistic test over the indicators of the case law (Tadić, "
                    "Limaj, Haradinaj, Boškoski). The engine requires protracted "
                    "confrontations (repeated clashes in more than one month) and a majority "
                    "of the six other indicators pointing to intensity: casualties, heavy "
                    "weapons, geographic spread, the forces engaged, the targeting of "
                    "civilians, and the Security Council's involvement. Counts are evidence "
                    "for each indicator, not the test; the casualty level is a convention "
                    "borrowed from UCDP, not a legal threshold.",
    "R5 organization": "A non-state party is organized when the evidence shows its command "
                       "structure and its ability to carry out military operations ('yes'), "
                       "and at least two of Boškoski's three other groups (logistics, "
                       "discipline and ability to implement IHL, speaking with one voice) at "
                       "least in part.",
    "R6 non-international": "An organized non-state party and intense violence make a "
                            "non-international armed conflict (Common Article 3).",
    "R7 Protocol II": "Additional Protocol II applies when Mali's armed forces fight a group "
                      "under responsible command that controls part of the territory so as "
                      "to carry out sustained and concerted operations and to implement the "
                      "Protocol (Art. 1(1)): all four conditions 'yes'. If none is 'no' and "
                      "control is at least partial, its application is arguable. It binds "
                      "Mali and the group, not the foreign forces as such.",
    "R8 below threshold": "Organized parties whose fighting does not reach the intensity "
                          "threshold are below the threshold; unorganized ones, or a pair with "
                          "no clash, are not in an armed conflict.",
    "R9 end": "Once established, a conflict continues until a peace agreement between the "
              "parties actually ends hostilities (no clash in the settlement window after it) "
              "or until a general close of military operations (no clash for the closing "
              "window). Ceasefires, prisoner exchanges, roadmaps and the termination of an "
              "agreement end nothing (Tadić; ICRC commentary of 2016).",
}


@dataclass(frozen=True)
class Thresholds:
    """The engine's parameters over one period (a calendar year or a window).

    ``min_clashes`` and ``min_months`` make confrontations protracted; ``min_indicators`` of
    the six other intensity indicators must point to intensity; ``min_fatalities`` and
    ``min_regions`` are the levels at which casualties and spread do. ``min_other_groups`` of
    the three non-core organization groups must be met at least in part. A settlement ends a
    conflict when no clash follows within ``settlement_months``; with no settlement,
    ``closing_months`` without a clash close it.
    """

    min_clashes: int = 3
    min_months: int = 2
    min_fatalities: int = 25
    min_indicators: int = 3
    min_regions: int = 2
    min_other_groups: int = 2
    settlement_months: int = 12
    closing_months: int = 24


PARAMETER_WORDS = {
    "min_clashes": "clashes needed for protracted confrontations",
    "min_months": "distinct months with clashes needed",
    "min_fatalities": "reported deaths at which casualties point to intensity",
    "min_indicators": "supporting indicators (of six) that must point to intensity",
    "min_regions": "regions at which the spread points to intensity",
    "min_other_groups": "organization groups besides the core met at least in part (of three)",
    "settlement_months": "months without a clash after a peace agreement for it to end a "
                         "conflict",
    "closing_months": "months without a clash that close a conflict",
}


def thresholds_table(limits: Thresholds) -> pd.DataFrame:
    """The engine's parameters in words, with their values, for readers."""
    return pd.DataFrame({"value": [getattr(limits, name) for name in PARAMETER_WORDS]},
                        index=pd.Index(list(PARAMETER_WORDS.values()), name="parameter"))


@dataclass(frozen=True)
class Record:
    """What the engine reads besides the events: the actor lineage, the organization evidence,
    the coded agreements and the years in which the Security Council was seized of Mali."""

    lineage: pd.DataFrame
    organization: pd.DataFrame
    agreements: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["event_id", "kind"]))
    council_years: frozenset[int] = frozenset()


def security_council_years(actors: pd.DataFrame) -> frozenset[int]:
    """The years in which a mission the Security Council authorised was active in Mali
    (``actor_id``, ``active_from``, ``active_to`` of the registry)."""
    missions = actors[actors["actor_id"].isin(COUNCIL_MISSIONS)]
    years: set[int] = set()
    for row in missions.itertuples(index=False):
        first, last = partial_date(row.active_from), partial_date(row.active_to)
        if pd.notna(first):
            years |= set(range(first.year, (last if pd.notna(last) else first).year + 1))
    return frozenset(years)


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


def _state_forces(row) -> str:
    """The forces of Mali's side named in an event (actors and associated actors)."""
    named = [row.actor1, row.actor2, *split_ids(getattr(row, "assoc_actors", None))]
    return ";".join(sorted({a for a in named if isinstance(a, str)
                            and (a in STATE_SIDE or a in SUPPORTERS_WITH_CONSENT)}))


def party_events(events: pd.DataFrame, lineage: pd.DataFrame,
                 as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Violent events between two parties, one row per event and pair of opposing parties:
    the primary actors and the associated actors the event names on each side (co-belligerents,
    rule R3) form the pairs. ``party_a``/``party_b`` are the parties as they had become by
    ``as_of`` (each event's own date if None), ``line_a``/``line_b`` their latest successors,
    which identify a conflict across renamings, and ``state_forces`` the forces of Mali's side
    named in the event."""
    resolve = party_resolver(lineage)
    fights = violent(events)
    fights = fights[fights["actor2"].notna()]
    if "assoc_actors" not in fights:
        fights = fights.assign(assoc_actors=None)
    pairs = opponents(fights)
    pairs = pairs[~pairs["actor_id"].isin(NOT_PARTIES) & ~pairs["opponent"].isin(NOT_PARTIES)]
    joined = pairs[["event_id", "actor_id", "opponent"]].merge(fights, on="event_id")
    dates = joined["date_start"] if as_of is None else pd.Series(as_of, index=joined.index)
    a = [resolve(x, d) for x, d in zip(joined["actor_id"], dates, strict=True)]
    b = [resolve(x, d) for x, d in zip(joined["opponent"], dates, strict=True)]
    joined = joined.assign(party_a=[min(x, y) for x, y in zip(a, b, strict=True)],
                           party_b=[max(x, y) for x, y in zip(a, b, strict=True)])
    joined = joined[joined["party_a"] != joined["party_b"]].drop_duplicates(
        ["event_id", "party_a", "party_b"]).drop(columns=["actor_id", "opponent"])
    return joined.assign(line_a=[resolve(x, LATEST) for x in joined["party_a"]],
                         line_b=[resolve(x, LATEST) for x in joined["party_b"]],
                         state_forces=[_state_forces(r) for r in joined.itertuples()]
                         ).reset_index(drop=True)


def _is_state(party: str) -> bool:
    return party == MALI or party in FOREIGN_STATES


def _indicators(fights: pd.DataFrame, civilian_events: pd.DataFrame,
                council_years: frozenset[int]) -> dict[str, object]:
    weapons = fights["sub_event_type"].map(WEAPON_CATEGORIES).value_counts()
    forces = sorted({f for cell in fights["state_forces"] for f in split_ids(cell)})
    return {
        "clashes": len(fights),
        "months_with_clashes": fights["date_start"].dt.to_period("M").nunique(),
        "first_clash": fights["date_start"].min(),
        "last_clash": fights["date_start"].max(),
        "fatalities": int(fights["fatalities_best"].sum(min_count=0)),
        "regions": fights["admin1"].nunique(),
        **{c: int(weapons.get(c, 0)) for c in WEAPON_CATEGORIES.values()},
        "state_forces": ";".join(forces),
        "civilian_targeting_events": len(civilian_events),
        "security_council": bool(set(fights["date_start"].dt.year) & council_years),
    }


def _civilian_events_by(events: pd.DataFrame, lineage: pd.DataFrame,
                        as_of: pd.Timestamp) -> pd.DataFrame:
    resolve = party_resolver(lineage)
    harm = events[events["civilian_targeting"].astype(bool)]
    return harm.assign(party=[resolve(x, as_of) for x in harm["actor1"]])


COLUMNS = ("party_a", "party_b", "period", "line_a", "line_b", *INDICATOR_COLUMNS)


def _pair_rows(events: pd.DataFrame, lineage: pd.DataFrame, as_of: pd.Timestamp, period: str,
               council_years: frozenset[int]) -> list[dict[str, object]]:
    """Indicator rows for every pair fighting in ``events``. Civilian targeting counts for a
    pair only when its non-state party is the perpetrator: the state's harm to civilians cannot
    be assigned to one of its conflicts."""
    fights = party_events(events, lineage, as_of)
    harm = _civilian_events_by(events, lineage, as_of)
    rows = []
    for (a, b), group in fights.groupby(["party_a", "party_b"]):
        groups = [p for p in (a, b) if not _is_state(p)]
        rows.append({"party_a": a, "party_b": b, "period": period,
                     "line_a": group["line_a"].iloc[0], "line_b": group["line_b"].iloc[0],
                     **_indicators(group, harm[harm["party"].isin(groups)], council_years)})
    return rows


def intensity_by_year(events: pd.DataFrame, lineage: pd.DataFrame,
                      council_years: frozenset[int] = frozenset()) -> pd.DataFrame:
    """Intensity indicators for every pair of parties and calendar year (parties as they had
    become by the end of the year)."""
    rows = []
    for year, in_year in events.groupby(events["date_start"].dt.year):
        rows += _pair_rows(in_year, lineage, pd.Timestamp(f"{year}-12-31"), str(year),
                           council_years)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def intensity_window(events: pd.DataFrame, lineage: pd.DataFrame, start: str, end: str,
                     council_years: frozenset[int] = frozenset()) -> pd.DataFrame:
    """Intensity indicators for every pair over one window of dates (inclusive)."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    window = events[(events["date_start"] >= first) & (events["date_start"] <= last)]
    rows = _pair_rows(window, lineage, last, f"{first.date()} to {last.date()}", council_years)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def intensity_rolling(events: pd.DataFrame, lineage: pd.DataFrame, end: str,
                      months: int = 12, council_years: frozenset[int] = frozenset()
                      ) -> pd.DataFrame:
    """Intensity indicators for every pair over the ``months`` months ending with ``end``."""
    first = (pd.Timestamp(end).to_period("M") - (months - 1)).to_timestamp()
    return intensity_window(events, lineage, str(first.date()), end, council_years)


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


def _predecessors(lineage: pd.DataFrame) -> dict[str, list[str]]:
    """For each actor, the actors that merged into it, were renamed as it or were succeeded by
    it, sorted."""
    follows = lineage[lineage["relation"].isin(["merged_into", "renamed_to", "succeeded_by"])]
    found: dict[str, list[str]] = {}
    for row in follows.itertuples(index=False):
        found.setdefault(row.to_id, []).append(row.from_id)
    return {actor: sorted(names) for actor, names in found.items()}


def ancestors(lineage: pd.DataFrame) -> dict[str, list[str]]:
    """For each actor, every group that became part of it through the lineage (``from_id``,
    ``to_id``, ``relation``): its predecessors (as ``_predecessors`` gives them), theirs, and so
    on, leaving out a group the lineage says later left it (relation 'left'), with what came
    through that group only; sorted. JNIM's include Ansar Dine, AQIM, al-Mourabitoun, Katiba
    Macina and, through al-Mourabitoun, MUJAO."""
    left = set(zip(lineage.loc[lineage["relation"] == "left", "from_id"],
                   lineage.loc[lineage["relation"] == "left", "to_id"], strict=True))
    direct = {actor: [p for p in found if (p, actor) not in left]
              for actor, found in _predecessors(lineage).items()}
    closure: dict[str, list[str]] = {}
    for actor in direct:
        seen: set[str] = set()
        waiting = list(direct[actor])
        while waiting:
            group = waiting.pop()
            if group not in seen and group != actor:
                seen.add(group)
                waiting += direct.get(group, [])
        if seen:
            closure[actor] = sorted(seen)
    return closure


def organization_status(evidence: pd.DataFrame, group: str, year: int,
                        lineage: pd.DataFrame | None = None,
                        periods: dict[str, list[tuple[int, int, str, str]]] | None = None,
                        predecessors: dict[str, list[str]] | None = None) -> dict[str, str]:
    """The coded value of each organization indicator for ``group`` in ``year``.

    Without evidence for the group itself, the evidence for a group that merged into it or was
    renamed as it, in the same year, is used; otherwise the indicators are unknown.
    ``periods`` is the evidence as ``_coded_periods`` gives it and ``predecessors`` the
    lineage as ``_predecessors`` gives it, when the caller has them already.
    """
    periods = _coded_periods(evidence) if periods is None else periods

    def coded(name: str) -> dict[str, str]:
        return {indicator: value for first, last, indicator, value in periods.get(name, [])
                if first <= year <= last}

    status = coded(group)
    if status or lineage is None:
        return status
    known = _predecessors(lineage) if predecessors is None else predecessors
    for predecessor in known.get(group, []):
        status = coded(predecessor)
        if status:
            return status
    return {}


def settlements(events: pd.DataFrame, record: Record) -> dict[tuple[str, str],
                                                              list[pd.Timestamp]]:
    """The dates of the peace agreements between each pair of conflict lines (rule R9): the
    agreement events the agreements table codes as a peace agreement, all of them, in order.
    Ceasefires, prisoner exchanges, terminations and uncoded agreements are not settlements."""
    resolve = party_resolver(record.lineage)
    kinds = dict(zip(record.agreements["event_id"], record.agreements["kind"], strict=True))
    deals = events[events["event_id"].map(kinds).eq(SETTLEMENT) & events["actor2"].notna()]
    found: dict[tuple[str, str], list[pd.Timestamp]] = {}
    for row in deals.itertuples(index=False):
        pair = tuple(sorted((resolve(row.actor1, LATEST), resolve(row.actor2, LATEST))))
        if pair[0] != pair[1]:
            found.setdefault(pair, []).append(row.date_start)
    return {pair: sorted(dates) for pair, dates in found.items()}


def clash_dates(events: pd.DataFrame, lineage: pd.DataFrame) -> dict[tuple[str, str],
                                                                      list[pd.Timestamp]]:
    """The dates of the violent events between each pair of conflict lines, in order."""
    fights = party_events(events, lineage)
    found: dict[tuple[str, str], list[pd.Timestamp]] = {}
    for (a, b), group in fights.groupby(["line_a", "line_b"]):
        found.setdefault(tuple(sorted((a, b))), []).extend(group["date_start"])
    return {pair: sorted(dates) for pair, dates in found.items()}


def _months_between(first: pd.Timestamp, last: pd.Timestamp) -> float:
    return (last - first).days / 30.4375


def intensity_test(row, limits: Thresholds) -> tuple[bool, str]:
    """Rule R4 on one pair and period (a row of the intensity tables): whether the violence is
    intense, and the indicator-by-indicator reasoning."""
    protracted = (row.clashes >= limits.min_clashes
                  and row.months_with_clashes >= limits.min_months)
    heavy = sum(int(getattr(row, c)) for c in WEAPON_CATEGORIES.values())
    forces = split_ids(row.state_forces)
    pointers = {
        "casualties": (row.fatalities >= limits.min_fatalities,
                       f"{row.fatalities} reported deaths, level {limits.min_fatalities}"),
        "heavy weapons": (heavy > 0, f"{heavy} events with air or drone strikes or IEDs or "
                                     "suicide bombs or artillery"),
        "spread": (row.regions >= limits.min_regions,
                   f"{row.regions} regions, level {limits.min_regions}"),
        "forces engaged": (len(forces) >= 2, "state-side forces: " + (" + ".join(forces)
                                                                     or "none named")),
        "civilians targeted": (row.civilian_targeting_events > 0,
                               f"{row.civilian_targeting_events} events in which the "
                               "non-state party targeted civilians"),
        "Security Council": (bool(row.security_council),
                             "seized of Mali" if row.security_council else "no mission"),
    }
    points = sum(met for met, _ in pointers.values())
    intense = protracted and points >= limits.min_indicators
    listed = ", ".join(f"{name} {'yes' if met else 'no'} ({text})"
                       for name, (met, text) in pointers.items())
    return intense, (
        f"R4: confrontations {'protracted' if protracted else 'not protracted'} "
        f"({row.clashes} clashes in {row.months_with_clashes} months, needs "
        f"{limits.min_clashes} in {limits.min_months}), and {points} of 6 other indicators "
        f"point to intensity (needs {limits.min_indicators}): {listed}: intensity "
        f"{'met' if intense else 'not met'}")


def organization_test(group: str, status: dict[str, str], limits: Thresholds
                      ) -> tuple[str, str]:
    """Rule R5 on one group's coded evidence: 'organized', 'not organized' or 'unknown', and the
    reasoning group by group."""
    value = {g: status.get(g, "unknown") for g in ORGANIZATION_GROUPS}
    others = [g for g in ORGANIZATION_GROUPS if g not in CORE_GROUPS]
    met = sum(value[g] in ("yes", "partial") for g in others)
    open_ = sum(value[g] == "unknown" for g in others)
    core = [value[g] for g in CORE_GROUPS]
    if all(v == "yes" for v in core) and met >= limits.min_other_groups:
        verdict = "organized"
    elif ("unknown" in core and not {"no", "partial"} & set(core)) or (
            all(v == "yes" for v in core) and met + open_ >= limits.min_other_groups):
        verdict = "unknown"
    else:
        verdict = "not organized"
    listed = ", ".join(f"{label} {value[g]}" for g, label in ORGANIZATION_GROUPS.items())
    return verdict, (f"R5: {group}: {listed} (core groups must be yes, and "
                     f"{limits.min_other_groups} of the other three at least partial): {verdict}")


def protocol_ii_test(group: str, status: dict[str, str]) -> tuple[str, str]:
    """Rule R7 on one group fighting Mali: 'yes', 'arguable' or 'no', and the reasoning."""
    value = {c: status.get(c, "unknown") for c in AP2_CONDITIONS}
    if all(v == "yes" for v in value.values()):
        ap2 = "yes"
    elif "no" in value.values():
        ap2 = "no"
    elif value["ap2_territorial_control"] in ("yes", "partial"):
        ap2 = "arguable"
    else:
        ap2 = "no"
    listed = ", ".join(f"{label} {value[c]}" for c, label in AP2_CONDITIONS.items())
    return ap2, f"R7: Mali against {group}: {listed}: Protocol II {ap2}"


class _Spell(NamedTuple):
    line: tuple[str, str]
    kind: str
    start: pd.Timestamp
    end: pd.Timestamp | None
    ended_by: str


def _end_of(line: tuple[str, str], since: pd.Timestamp, until: pd.Timestamp,
            settled: dict[tuple[str, str], list[pd.Timestamp]],
            clashes: dict[tuple[str, str], list[pd.Timestamp]], limits: Thresholds
            ) -> tuple[pd.Timestamp, str] | None:
    """When and how a conflict on ``line`` established on ``since`` ended before ``until``
    (rule R9): the first peace agreement after which no clash followed within the settlement
    window, or the last clash before a lull of the closing window; None if it had not ended."""
    dates = [d for d in clashes.get(line, []) if d < until]
    for deal in settled.get(line, []):
        if since <= deal < until:
            later = [d for d in dates if d > deal]
            gap_end = later[0] if later else until
            if _months_between(deal, gap_end) > limits.settlement_months:
                return deal, f"the peace agreement of {deal.date()} ended hostilities"
    for before, after in zip(dates, [*dates[1:], until][:len(dates)], strict=True):
        if before >= since and _months_between(before, after) > limits.closing_months:
            return before, (f"general close of military operations: no clash for "
                            f"{limits.closing_months} months after {before.date()}")
    return None


def _classify_rows(indicators: pd.DataFrame, record: Record, limits: Thresholds,
                   settled: dict[tuple[str, str], list[pd.Timestamp]],
                   clashes: dict[tuple[str, str], list[pd.Timestamp]],
                   established: Iterable[tuple[str, str, pd.Timestamp]],
                   until: pd.Timestamp | None) -> tuple[pd.DataFrame, list[_Spell]]:
    periods = _coded_periods(record.organization)
    predecessors = _predecessors(record.lineage)
    ongoing: dict[tuple[str, str], pd.Timestamp] = {
        tuple(sorted((a, b))): pd.Timestamp(since) for a, b, since in established}
    spells: list[_Spell] = []
    rows = []
    ordered = indicators.assign(end_year=indicators["period"].astype(str).str[-10:].str[:4])
    for row in ordered.sort_values(["end_year", "first_clash", "party_a", "party_b"]
                                   ).itertuples(index=False):
        year = int(row.end_year)
        line = tuple(sorted((row.line_a, row.line_b)))
        states = [p for p in (row.party_a, row.party_b) if _is_state(p)]
        groups = [p for p in (row.party_a, row.party_b) if p not in states]
        if len(states) == 2:
            reasons = [f"R1: {row.clashes} violent events between two states, from "
                       f"{row.first_clash.date()} to {row.last_clash.date()}"]
            rows.append(_result(row, INTERNATIONAL, "not applicable", reasons,
                                row.first_clash))
            continue
        since = ongoing.get(line)
        reasons = []
        if since is not None:
            ended = _end_of(line, since, row.first_clash, settled, clashes, limits)
            if ended is not None:
                spells.append(_Spell(line, NON_INTERNATIONAL, since, ended[0], ended[1]))
                reasons.append(f"R9: the conflict established on {since.date()} ended: "
                               f"{ended[1]}")
                ongoing.pop(line)
                since = None
        intense, why = intensity_test(row, limits)
        reasons.append(why)
        verdicts = []
        for group in groups:
            status = organization_status(record.organization, group, year, record.lineage,
                                         periods, predecessors)
            verdict, why = organization_test(group, status, limits)
            verdicts.append(verdict)
            reasons.append(why)
        if "organized" not in verdicts or len(set(verdicts)) > 1:
            label = NOT_ESTABLISHED if "unknown" in verdicts else NO_CONFLICT
            rows.append(_result(row, label if intense else NO_CONFLICT, "no", reasons, since))
            continue
        if since is None and not intense:
            reasons.append("R8: organized parties, violence below the intensity threshold")
            rows.append(_result(row, BELOW_THRESHOLD, "no", reasons, None))
            continue
        if since is None:
            since = row.first_clash
            ongoing[line] = since
            reasons.append(f"R6: organized non-state party and intense violence: the conflict "
                           f"begins on {since.date()}")
        else:
            reasons.append(f"R9: the conflict established on {since.date()} continues: no "
                           "settlement has ended hostilities and no lull has closed them")
        ap2 = "no"
        if MALI in states and len(groups) == 1:
            status = organization_status(record.organization, groups[0], year, record.lineage,
                                         periods, predecessors)
            ap2, why = protocol_ii_test(groups[0], status)
            reasons.append(why)
        rows.append(_result(row, NON_INTERNATIONAL, ap2, reasons, since))
    if until is not None:
        for line, since in ongoing.items():
            ended = _end_of(line, since, until, settled, clashes, limits)
            spells.append(_Spell(line, NON_INTERNATIONAL, since,
                                 *(ended if ended else (None, "ongoing"))))
    result = pd.DataFrame(rows, columns=["party_a", "party_b", "period", "classification",
                                         "ap2", "conflict_start", "state_forces", "reasons"])
    return result, spells


def _result(row, classification: str, ap2: str, reasons: Iterable[str],
            since: pd.Timestamp | None) -> dict[str, object]:
    return {"party_a": row.party_a, "party_b": row.party_b, "period": row.period,
            "classification": classification, "ap2": ap2,
            "conflict_start": str(since.date()) if since is not None else None,
            "state_forces": row.state_forces, "reasons": "; ".join(reasons)}


def classify(indicators: pd.DataFrame, record: Record, thresholds: Thresholds | None = None,
             settled: dict[tuple[str, str], list[pd.Timestamp]] | None = None,
             established: Iterable[tuple[str, str, pd.Timestamp]] = (),
             clashes: dict[tuple[str, str], list[pd.Timestamp]] | None = None
             ) -> pd.DataFrame:
    """A classification, the Protocol II status and the reasons, for every pair and period of
    ``indicators`` (the intensity tables' columns).

    Periods are taken in order so that a conflict, once established, continues until it ends
    (rule R9); ``established`` adds conflicts known from earlier periods as (line_a, line_b,
    start date); ``settled`` gives the peace agreements and ``clashes`` the clash dates per
    line (both from the events: ``settlements``, ``clash_dates``).
    """
    result, _ = _classify_rows(indicators, record, thresholds or Thresholds(), settled or {},
                               clashes or {}, established, None)
    return result


def _classified(indicators: pd.DataFrame, record: Record, limits: Thresholds,
                settled: dict[tuple[str, str], list[pd.Timestamp]],
                clashes: dict[tuple[str, str], list[pd.Timestamp]],
                established: Iterable[tuple[str, str, pd.Timestamp]] = (),
                until: pd.Timestamp | None = None) -> tuple[pd.DataFrame, list[_Spell]]:
    """``_classify_rows`` with the indicators it was given alongside each result."""
    result, spells = _classify_rows(indicators, record, limits, settled, clashes, established,
                                    until)
    merged = result.merge(indicators.drop(columns=["state_forces"]),
                          on=["party_a", "party_b", "period"], how="left")
    for column in ("first_clash", "last_clash"):
        merged[column] = pd.to_datetime(merged[column]).dt.strftime("%Y-%m-%d")
    return merged, spells


#: The event columns the classification reads (a narrow copy makes its many filters cheap).
EVENT_COLUMNS_USED = ("event_id", "date_start", "event_type", "sub_event_type", "actor1",
                      "actor2", "assoc_actors", "admin1", "fatalities_best",
                      "civilian_targeting", "deaths_civilians")


def _narrow(events: pd.DataFrame) -> pd.DataFrame:
    return events[[c for c in EVENT_COLUMNS_USED if c in events.columns]]


def classify_years(events: pd.DataFrame, record: Record,
                   thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The classification of every pair of parties in every calendar year of the events."""
    events = _narrow(events)
    result, _ = _classified(intensity_by_year(events, record.lineage, record.council_years),
                            record, thresholds or Thresholds(), settlements(events, record),
                            clash_dates(events, record.lineage))
    return result


def conflicts(events: pd.DataFrame, record: Record, thresholds: Thresholds | None = None,
              until: str | None = None) -> pd.DataFrame:
    """Every armed conflict the engine finds, with its parties (conflict lines), kind, first
    and last day and what ended it (``end`` missing while it is ongoing on ``until``, by
    default the last event's date)."""
    events = _narrow(events)
    limits = thresholds or Thresholds()
    last = pd.Timestamp(until) if until else events["date_start"].max()
    clashes = clash_dates(events, record.lineage)
    _, spells = _classified(intensity_by_year(events, record.lineage, record.council_years),
                            record, limits, settlements(events, record), clashes,
                            until=last + pd.Timedelta(days=1))
    for line, dates in clashes.items():
        if all(_is_state(p) for p in line):
            start = dates[0]
            for before, after in zip(dates, [*dates[1:], None], strict=True):
                if after is None or _months_between(before, after) > limits.settlement_months:
                    spells.append(_Spell(line, INTERNATIONAL, start, before,
                                         "general close of military operations: no further "
                                         "exchange between the states"))
                    start = after
    table = pd.DataFrame([{"party_a": s.line[0], "party_b": s.line[1], "kind": s.kind,
                           "start": str(s.start.date()), "end": str(s.end.date())
                           if s.end is not None else None, "ended_by": s.ended_by}
                          for s in spells],
                         columns=["party_a", "party_b", "kind", "start", "end", "ended_by"])
    return table.sort_values(["start", "party_a", "party_b"], ignore_index=True)


class WindowInputs(NamedTuple):
    """What classifying a window needs whatever the thresholds."""

    yearly: pd.DataFrame  # indicators per calendar year before the window
    window: pd.DataFrame  # indicators over the window
    settled: dict[tuple[str, str], list[pd.Timestamp]]  # peace agreements up to the window's end
    clashes: dict[tuple[str, str], list[pd.Timestamp]]  # clash dates up to the window's end
    start: pd.Timestamp


def _window_inputs(events: pd.DataFrame, record: Record, start: str, end: str
                   ) -> WindowInputs:
    events = _narrow(events)
    events = events[events["date_start"] <= pd.Timestamp(end)]
    before = events[events["date_start"] < pd.Timestamp(start)]
    return WindowInputs(intensity_by_year(before, record.lineage, record.council_years),
                        intensity_window(events, record.lineage, start, end,
                                         record.council_years),
                        settlements(events, record), clash_dates(events, record.lineage),
                        pd.Timestamp(start))


def _classify_window(inputs: WindowInputs, record: Record, limits: Thresholds) -> pd.DataFrame:
    settled_before = {line: [d for d in dates if d < inputs.start]
                      for line, dates in inputs.settled.items()}
    clashes_before = {line: [d for d in dates if d < inputs.start]
                      for line, dates in inputs.clashes.items()}
    _, spells = _classified(inputs.yearly, record, limits, settled_before, clashes_before,
                            until=inputs.start)
    established = [(*s.line, s.start) for s in spells if s.end is None]
    result, _ = _classified(inputs.window, record, limits, inputs.settled, inputs.clashes,
                            established)
    return result


def classify_window(events: pd.DataFrame, record: Record, start: str, end: str,
                    thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The classification of every pair over one window, with conflicts established in the
    calendar years before it, and not ended by its start, carried forward (rule R9)."""
    return _classify_window(_window_inputs(events, record, start, end), record,
                            thresholds or Thresholds())


def threshold_label(limits: Thresholds) -> str:
    """The intensity parameters in words, e.g. '3 clashes in 2 months, 3 of 6 indicators,
    25 deaths'."""
    return (f"{limits.min_clashes} clashes in {limits.min_months} months, "
            f"{limits.min_indicators} of 6 indicators, {limits.min_fatalities} deaths")


def sensitivity(events: pd.DataFrame, record: Record, start: str, end: str,
                grid: Sequence[Thresholds]) -> pd.DataFrame:
    """The classification of every pair over one window under each set of thresholds
    (``thresholds`` names the set, as ``threshold_label`` writes it)."""
    inputs = _window_inputs(events, record, start, end)
    return pd.concat([_classify_window(inputs, record, limits).assign(
        thresholds=threshold_label(limits)) for limits in grid], ignore_index=True)


STEP_DOWN = {"yes": "partial", "partial": "no", "unknown": "no"}
STEP_UP = {"no": "partial", "partial": "yes", "unknown": "yes"}


def organization_sensitivity(events: pd.DataFrame, record: Record, start: str, end: str,
                             thresholds: Thresholds | None = None) -> pd.DataFrame:
    """How the window's classification moves when one group's coding of one organization group
    or Protocol II condition moves one step (down: yes to partial, partial or unknown to no; up:
    the reverse): one row per pair and variant whose result differs from the baseline, with
    ``variant`` naming the change. Only the coding of the window's parties and of the groups
    that became them is varied: the other groups' coding cannot change the window's result."""
    limits = thresholds or Thresholds()
    inputs = _window_inputs(events, record, start, end)
    base = _classify_window(inputs, record, limits).set_index(["party_a", "party_b"])
    first, last = int(start[:4]), int(end[:4])
    evidence = record.organization
    fighting = set(inputs.window[["party_a", "party_b"]].stack())
    lineage = record.lineage
    while True:  # the window's parties and everything that became them
        grown = fighting | set(lineage.loc[lineage["to_id"].isin(fighting), "from_id"])
        if grown == fighting:
            break
        fighting = grown
    in_window = (evidence["period_start"].str[:4].astype(int) <= last) & (
        evidence["period_end"].str[:4].astype(int) >= first) & evidence["group_id"].isin(
        fighting)
    rows = []
    for index in evidence.index[in_window]:
        coded = evidence.loc[index]
        for direction, step in (("down", STEP_DOWN), ("up", STEP_UP)):
            if coded["value"] not in step:
                continue
            changed = evidence.copy()
            changed.loc[index, "value"] = step[coded["value"]]
            result = _classify_window(inputs, replace(record, organization=changed), limits)
            for row in result.itertuples(index=False):
                was = base.loc[(row.party_a, row.party_b)]
                if (row.classification, row.ap2) != (was["classification"], was["ap2"]):
                    rows.append({"group_id": coded["group_id"], "indicator": coded["indicator"],
                                 "direction": direction,
                                 "variant": f"{coded['group_id']}: {coded['indicator']} "
                                            f"{coded['value']} → {step[coded['value']]}",
                                 "party_a": row.party_a, "party_b": row.party_b,
                                 "baseline": f"{was['classification']} (AP II {was['ap2']})",
                                 "result": f"{row.classification} (AP II {row.ap2})"})
    return pd.DataFrame(rows, columns=["group_id", "indicator", "direction", "variant",
                                       "party_a", "party_b", "baseline", "result"])


def explain(events: pd.DataFrame, record: Record, party_a: str, party_b: str, start: str,
            end: str, thresholds: Thresholds | None = None) -> str:
    """The engine's indicator-by-indicator reasoning for one pair over one window, as text."""
    result = classify_window(events, record, start, end, thresholds)
    wanted = frozenset((party_a, party_b))
    pair = result[[frozenset(p) == wanted
                   for p in zip(result["party_a"], result["party_b"], strict=True)]]
    if pair.empty:
        return f"{party_a} – {party_b}, {start} to {end}: no violent event between them."
    row = pair.iloc[0]
    lines = [f"{row.party_a} – {row.party_b}, {row.period}: {row.classification}; "
             f"Protocol II {row.ap2}"]
    lines += [f"  {part}" for part in str(row.reasons).split("; ")]
    return "\n".join(lines)


def supporters(actors: pd.DataFrame) -> pd.DataFrame:
    """Foreign forces that fought beside Mali with its consent, with their dates (rule R2)."""
    table = actors[actors["actor_id"].isin(SUPPORTERS_WITH_CONSENT)]
    return table[["actor_id", "name_en", "actor_type", "active_from", "active_to",
                  "source_ids"]].set_index("actor_id")


def parties_by_year(by_year: pd.DataFrame) -> pd.DataFrame:
    """For each conflict the engine finds in a year (``classify_years``), the forces of Mali's
    side that took part in the fighting that year: each a party under rule R2."""
    found = by_year[by_year["classification"].isin(CONFLICT)]
    rows = []
    for row in found.itertuples(index=False):
        for force in split_ids(row.state_forces):
            rows.append({"year": int(str(row.period)[:4]), "opponent":
                         row.party_b if row.party_a == MALI else row.party_a, "force": force})
    return pd.DataFrame(rows, columns=["year", "opponent", "force"])


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


NEGATIVE = ("intensity not met", ": unknown", ": not organized", "R8:", "ended:")


def deciding_reason(reasons: str) -> str:
    """The step of the engine's reasoning that kept a pair out of an armed conflict: the first
    part of ``reasons`` whose verdict is negative (the first part if none is)."""
    parts = str(reasons).split("; ")
    return next((p for p in parts if any(n in p for n in NEGATIVE)), parts[0])


def rules_table() -> pd.DataFrame:
    """The engine's rules, in words, for readers."""
    return pd.DataFrame({"rule": list(RULES.values())}, index=pd.Index(list(RULES), name="id"))


NO_CLASH = "no clash recorded"
NOT_A_CONFLICT = {BELOW_THRESHOLD, NOT_ESTABLISHED, NO_CONFLICT, NO_CLASH}


def agreement_with_published(result: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The engine's result next to a published classification, pair by pair, and whether the
    two agree on the classification and on Protocol II."""
    merged = published.merge(result[["party_a", "party_b", "classification", "ap2", "reasons"]],
                             on=["party_a", "party_b"], how="left", suffixes=("_published", ""))
    merged["classification"] = merged["classification"].fillna(NO_CLASH)
    merged["ap2"] = merged["ap2"].fillna("no")
    same = merged["classification"] == merged["classification_published"]
    # 'Not an armed conflict' in a publication covers every result in which no conflict exists.
    both_none = (merged["classification_published"] == NO_CONFLICT) & merged[
        "classification"].isin(NOT_A_CONFLICT)
    merged["agrees"] = same | both_none
    assessed = merged["ap2_published"] != "not assessed"
    merged["ap2_agrees"] = (merged["ap2"] == merged["ap2_published"]).where(assessed)
    return merged


def against_independent(independent: pd.DataFrame, by_year: pd.DataFrame,
                        lineage: pd.DataFrame) -> pd.DataFrame:
    """Each independent classification (``classifier``, ``party_a``, ``party_b``,
    ``period_start``, ``period_end``, ``classification``) next to the engine's yearly results
    (``classify_years``) for the same pair, its parties resolved as the engine resolves them in
    each year (rules R2 and R3: France fights on Mali's side, the HCUA within the CMA): the
    engine agrees if it finds a conflict of the same kind in at least one year of the period,
    or, where the source finds none, in none of them. Findings not assessed are left out."""
    resolve = party_resolver(lineage)
    engine: dict[tuple[frozenset[str], int], tuple[str, str]] = {
        (frozenset((r.party_a, r.party_b)), int(str(r.period)[:4])): (r.classification,
                                                                      r.reasons)
        for r in by_year.itertuples(index=False)}
    assessed = independent[independent["classification"] != "not assessed"]
    rows = []
    for row in assessed.itertuples(index=False):
        first = int(str(row.period_start)[:4])
        last = int(str(row.period_end)[:4]) if pd.notna(row.period_end) and str(
            row.period_end) else first
        found = {}
        for year in range(first, last + 1):
            day = pd.Timestamp(f"{year}-12-31")
            key = (frozenset((resolve(row.party_a, day), resolve(row.party_b, day))), year)
            if key in engine:
                found[year] = engine[key]
        kinds = [c for c, _ in found.values()]
        if row.classification in CONFLICT:
            agrees = row.classification in kinds
            engine_says = row.classification if agrees else (
                max(set(kinds), key=kinds.count) if kinds else NO_CLASH)
        else:
            agrees = not set(kinds) & set(CONFLICT)
            engine_says = NO_CONFLICT if agrees else next(k for k in kinds if k in CONFLICT)
        deciding = "" if agrees or not found else deciding_reason(next(
            r for c, r in found.values() if c == engine_says))
        rows.append({"classifier": row.classifier, "party_a": row.party_a,
                     "party_b": row.party_b, "years": f"{first}-{last}" if last > first
                     else str(first), "source_finds": row.classification,
                     "engine_finds": engine_says, "agrees": agrees,
                     "engine_years_in_conflict": sum(k in CONFLICT for k in kinds),
                     "deciding_reason": deciding})
    return pd.DataFrame(rows, columns=["classifier", "party_a", "party_b", "years",
                                       "source_finds", "engine_finds", "agrees",
                                       "engine_years_in_conflict", "deciding_reason"])


def agreement_by_classifier(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per independent classifier, how many of its findings the engine shares."""
    table = comparison.groupby("classifier").agg(findings=("agrees", "size"),
                                                 engine_agrees=("agrees", "sum"))
    return table.assign(share=(table["engine_agrees"] / table["findings"]).round(2))


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
