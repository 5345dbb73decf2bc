"""Transforms: functions that take the event table and return a smaller, tidy table."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis import study
from analysis.cells import partial_date, split_ids
from analysis.geography import REGION_ZONES

NON_VIOLENT_TYPES = ("Strategic developments", "Protests")


def in_period(events: pd.DataFrame, start: str | None = None, end: str | None = None
              ) -> pd.DataFrame:
    """Events whose first day falls between ``start`` and ``end`` (inclusive, ISO dates)."""
    keep = pd.Series(True, index=events.index)
    if start:
        keep &= events["date_start"] >= pd.Timestamp(start)
    if end:
        keep &= events["date_start"] <= pd.Timestamp(end)
    return events[keep]


def last_months(events: pd.DataFrame, end: str | pd.Timestamp, months: int) -> pd.DataFrame:
    """Events whose first day falls in the ``months`` months ending with ``end`` (inclusive)."""
    last = pd.Timestamp(end)
    first = last - pd.DateOffset(months=months) + pd.Timedelta(days=1)
    return events[(events["date_start"] >= first) & (events["date_start"] <= last)]


def violent(events: pd.DataFrame) -> pd.DataFrame:
    """Events of political violence: battles, remote violence, violence against civilians, riots."""
    return events[~events["event_type"].isin(NON_VIOLENT_TYPES)]


#: The inclusion threshold of rule 1 of the dataset (Data and methods): violent events with at
#: least this many reported deaths are sought in every year and region alike.
LETHAL_THRESHOLD = 10


def lethal(events: pd.DataFrame, minimum: int = LETHAL_THRESHOLD) -> pd.DataFrame:
    """Violent events with at least ``minimum`` reported deaths (``fatalities_best``): the
    subset recorded under one rule everywhere, for shares and trends."""
    violence = violent(events)
    return violence[violence["fatalities_best"].fillna(0) >= minimum]


def with_year(events: pd.DataFrame) -> pd.DataFrame:
    """The events with a ``year`` column taken from their first day."""
    return events.assign(year=events["date_start"].dt.year)


def ranked_counts(values: pd.Series, top: int) -> pd.Series:
    """The ``top`` most frequent values, ties broken alphabetically, so output is stable."""
    counts = values.value_counts()
    order = sorted(counts.index, key=lambda v: (-counts[v], str(v)))
    return counts[order].head(top)


def tally(events: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Events and best-estimate fatalities per group, largest first.

    ``fatalities`` sums the known tolls; ``events_without_toll`` says how many events have none.
    """
    grouped = events.groupby(list(by), observed=True, dropna=False)
    table = grouped.agg(
        events=("event_id", "size"),
        fatalities=("fatalities_best", lambda s: int(s.sum(min_count=0))),
        events_without_toll=("fatalities_best", lambda s: int(s.isna().sum())),
    ).reset_index()
    if "admin1" in by:  # events placed only in a wider area: a named group, never NaN
        table["admin1"] = table["admin1"].astype("string").fillna("no region (wider area)")
    return table.sort_values(["events", *by], ascending=[False, *[True] * len(by)],
                             ignore_index=True)


def yearly(events: pd.DataFrame, by: Sequence[str] = (), first: int | None = None,
           last: int | None = None) -> pd.DataFrame:
    """Events and fatalities per year (and group), with zero rows for years without events."""
    table = tally(with_year(events), ["year", *by])
    if table.empty:
        return table
    years = list(range(first or int(table["year"].min()), (last or int(table["year"].max())) + 1))
    if by:
        groups = [sorted(table[c].dropna().unique()) for c in by]
        full = pd.MultiIndex.from_product([years, *groups], names=["year", *by])
    else:
        full = pd.Index(years, name="year")
    table = table.set_index(["year", *by]).reindex(full, fill_value=0).reset_index()
    return table.sort_values(["year", *by], ignore_index=True)


def monthly(events: pd.DataFrame, start: str | None = None, end: str | None = None
            ) -> pd.DataFrame:
    """Events and fatalities per calendar month, months without events included as zeros."""
    month = events["date_start"].dt.to_period("M")
    table = events.assign(month=month).groupby("month").agg(
        events=("event_id", "size"),
        fatalities=("fatalities_best", lambda s: int(s.sum(min_count=0))),
    )
    first = pd.Period(start, "M") if start else (month.min() if len(month) else None)
    last = pd.Period(end, "M") if end else (month.max() if len(month) else None)
    if first is None or last is None:
        return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"),
                             "events": pd.Series(dtype="int64"),
                             "fatalities": pd.Series(dtype="int64")})
    table = table.reindex(pd.period_range(first, last, freq="M"), fill_value=0)
    table.index = table.index.to_timestamp()
    return table.rename_axis("month").reset_index()


#: The state's camp: Mali's forces and the forces that fought beside them. An associated actor
#: of this camp is on the side of the state actor of its event; any other associated actor is on
#: the side of the event's non-state armed actor.
STATE_CAMP = ("fama", "mali_government", "wagner", "africa_corps", "france", "takuba", "eutm",
              "minusma", "afisma", "chad_army", "niger_army", "burkina_army", "g5_sahel", "aes")


def names_any(events: pd.DataFrame, actors: Sequence[str]) -> pd.Series:
    """Whether each event names one of ``actors`` as ``actor1``, ``actor2`` or among its
    ``assoc_actors`` (when the table has them)."""
    wanted = set(actors)
    named = events["actor1"].isin(wanted) | events["actor2"].isin(wanted)
    if "assoc_actors" not in events or not wanted:
        return named
    return named | events["assoc_actors"].map(lambda cell: bool(set(split_ids(cell)) & wanted))


def sides(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event, actor and side ('a' with ``actor1``, 'b' with ``actor2``), with the
    actor's ``role``: 'primary' for actor1 and actor2, 'associated' for ``assoc_actors``, each
    placed on its camp's side (``STATE_CAMP``)."""
    rows = []
    for event in events.itertuples(index=False):
        a, b = event.actor1, event.actor2 if isinstance(event.actor2, str) else ""
        rows.append((event.event_id, a, "a", "primary"))
        if b:
            rows.append((event.event_id, b, "b", "primary"))
        state_side = "a" if a in STATE_CAMP else "b" if b in STATE_CAMP else None
        other_side = "b" if state_side == "a" else "a"
        for actor in split_ids(event.assoc_actors):
            if actor in (a, b):
                continue
            side = state_side if actor in STATE_CAMP and state_side else other_side
            rows.append((event.event_id, actor, side, "associated"))
    return pd.DataFrame(rows, columns=["event_id", "actor_id", "side", "role"])


def opponents(events: pd.DataFrame) -> pd.DataFrame:
    """Per violent event, every pair of actors on opposite sides (``sides``): ``actor_id`` and
    ``opponent``, associated actors included."""
    placed = sides(violent(events))
    pairs = placed.merge(placed, on="event_id", suffixes=("", "_other"))
    pairs = pairs[pairs["side"] != pairs["side_other"]]
    return pairs.rename(columns={"actor_id_other": "opponent"})[
        ["event_id", "actor_id", "opponent", "role"]].reset_index(drop=True)


def roles_by_actor(events: pd.DataFrame, ids: Sequence[str]) -> pd.DataFrame:
    """For each actor of ``ids``: the events it takes part in as a primary actor (actor1 or
    actor2) and as an associated actor."""
    placed = sides(events)
    table = placed[placed["actor_id"].isin(ids)].pivot_table(
        index="actor_id", columns="role", values="event_id", aggfunc="nunique", fill_value=0)
    table = table.reindex(index=list(ids), columns=["primary", "associated"], fill_value=0)
    return table.rename(columns={"primary": "events as actor1 or actor2",
                                 "associated": "events as associated actor"}).rename_axis(
        index="actor_id", columns=None)


#: The column that counts the deaths reported in the events an actor took part in.
DEATHS_IN_EVENTS = "deaths in events involving the actor"


def actor_involvement(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event and actor taking part (as actor1, actor2 or associated actor: the
    ``role``), from ``sides``, with the event's columns."""
    placed = sides(events).drop_duplicates(["event_id", "actor_id"])
    role = placed["side"].map({"a": "actor1", "b": "actor2"}).where(
        placed["role"] == "primary", "associated")
    involvement = placed.assign(role=role)[["event_id", "actor_id", "role"]]
    return involvement.reset_index(drop=True).merge(events, on="event_id", how="left")


def actor_summary(events: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Per actor: events taken part in (as actor1, actor2 or associated actor), first and last
    year seen, and the deaths reported in those events, all sides together (not deaths the
    actor caused)."""
    involved = actor_involvement(events)
    table = involved.groupby("actor_id").agg(
        events=("event_id", "nunique"),
        fatalities=("fatalities_best", lambda s: int(s.sum(min_count=0))),
        first_year=("date_start", lambda s: int(s.dt.year.min())),
        last_year=("date_start", lambda s: int(s.dt.year.max())),
    ).reset_index()
    names = actors[["actor_id", "name_en", "actor_type"]]
    table = table.merge(names, on="actor_id", how="left")
    table["name_en"] = table["name_en"].fillna(table["actor_id"])
    table["actor_type"] = table["actor_type"].fillna("not in registry")
    columns = ["actor_id", "name_en", "actor_type", "events", "fatalities", "first_year",
               "last_year"]
    table = table[columns].rename(columns={"fatalities": DEATHS_IN_EVENTS})
    return table.sort_values(["events", "actor_id"], ascending=[False, True], ignore_index=True)


def dyads(events: pd.DataFrame) -> pd.DataFrame:
    """The events with an unordered pair of parties (``party_a`` sorts before ``party_b``)."""
    with_pair = events[events["actor2"].notna()]
    a, b = with_pair["actor1"].astype(str), with_pair["actor2"].astype(str)
    first = a.where(a <= b, b)
    second = b.where(a <= b, a)
    return with_pair.assign(party_a=first, party_b=second)


def dyad_years(events: pd.DataFrame, party: str) -> pd.DataFrame:
    """Per year, the pairs in which ``party`` fought: battles, violent events and fatalities."""
    pairs = dyads(violent(events))
    pairs = pairs[(pairs["party_a"] == party) | (pairs["party_b"] == party)]
    opponent = pairs["party_b"].where(pairs["party_a"] == party, pairs["party_a"])
    pairs = with_year(pairs.assign(opponent=opponent))
    table = pairs.groupby(["opponent", "year"]).agg(
        battles=("event_type", lambda s: int((s == "Battles").sum())),
        violent_events=("event_id", "size"),
        fatalities=("fatalities_best", lambda s: int(s.sum(min_count=0))),
    ).reset_index()
    return table.sort_values(["year", "violent_events", "opponent"],
                             ascending=[True, False, True], ignore_index=True)


def coverage(events: pd.DataFrame) -> pd.DataFrame:
    """A one-column summary of what the table covers."""
    facts = {
        "events": len(events),
        "first event": events["date_start"].min().date().isoformat() if len(events) else "",
        "last event": events["date_start"].max().date().isoformat() if len(events) else "",
        "years with events": events["date_start"].dt.year.nunique(),
        "regions with events": events["admin1"].nunique(),
        "events with a reported toll": int(events["fatalities_best"].notna().sum()),
        "fatalities (sum of best estimates)": int(events["fatalities_best"].sum(min_count=0)),
        "events targeting civilians": int(events["civilian_targeting"].sum()),
        "distinct sources cited": len({k for v in events["source_ids"] for k in split_ids(v)}),
    }
    return pd.DataFrame({"value": [str(v) for v in facts.values()]},
                        index=pd.Index(list(facts), name="measure"))


def assign_phase(events: pd.DataFrame, phases: pd.DataFrame) -> pd.DataFrame:
    """The events with the ``phase`` (name) their first day falls in; outside every phase: NA."""
    phase = pd.Series(pd.NA, index=events.index, dtype="string")
    phase_id = pd.Series(pd.NA, index=events.index, dtype="string")
    for row in phases.itertuples(index=False):
        inside = (events["date_start"] >= row.start) & (events["date_start"] <= row.end)
        phase[inside] = row.name
        phase_id[inside] = row.phase_id
    order = pd.CategoricalDtype(list(phases["name"]), ordered=True)
    return events.assign(phase=phase.astype(order), phase_id=phase_id)


def phase_summary(phased: pd.DataFrame, phase_id: str) -> pd.DataFrame:
    """Key numbers of one phase (events from ``assign_phase``), as a table for readers."""
    events = phased[phased["phase_id"] == phase_id]
    violence = violent(events)
    involved = actor_involvement(violence)
    armed = involved[~involved["actor_id"].isin(["civilians", "unidentified_armed_group"])]
    most_active = ranked_counts(armed["actor_id"], 3)
    deadliest = violence.dropna(subset=["fatalities_best"]).nlargest(1, "fatalities_best")
    facts = {
        "events": len(events),
        "violent events": len(violence),
        "reported deaths (sum of best estimates)": int(violence["fatalities_best"].sum()),
        "violent events targeting civilians": int(violence["civilian_targeting"].sum()),
        "armed actors in most violent events": ", ".join(
            f"{actor} ({count})" for actor, count in most_active.items()) or "none",
        "deadliest event": "; ".join(
            f"{r.location}, {r.date_start.date()}, {int(r.fatalities_best)} reported deaths"
            for r in deadliest.itertuples()) or "none with a reported toll",
    }
    return pd.DataFrame({"value": [str(v) for v in facts.values()]},
                        index=pd.Index(list(facts), name=str(phase_id)))


def timeline(events: pd.DataFrame, selection: pd.DataFrame, deadliest: int = 10) -> pd.DataFrame:
    """Named milestones plus the ``deadliest`` events, one row each, in date order.

    Milestones absent from ``events`` (another dataset, another period) are left out.
    """
    named = events.merge(selection, on="event_id", how="inner").assign(kind="milestone")
    violent_events = violent(events).dropna(subset=["fatalities_best"])
    top = violent_events.nlargest(deadliest, "fatalities_best", keep="first")
    top = top[~top["event_id"].isin(named["event_id"])]
    top = top.assign(label=top["location"] + ": " + top["sub_event_type"].str.lower(),
                     kind="deadliest event")
    table = pd.concat([named, top], ignore_index=True)
    columns = ["event_id", "date_start", "label", "kind", "event_type", "location",
               "fatalities_best", "source_ids"]
    table = table.assign(source_ids=table["source_ids"].str.replace(";", "; "))
    return table[columns].sort_values("date_start", ignore_index=True)


def monthly_by(events: pd.DataFrame, by: str, start: str | None = None,
               end: str | None = None) -> pd.DataFrame:
    """Events and fatalities per month and group, every month and group present."""
    frames = [monthly(group, start or str(events["date_start"].min().date()),
                      end or str(events["date_start"].max().date())).assign(**{by: key})
              for key, group in events.groupby(by, observed=True)]
    if not frames:
        return pd.DataFrame(columns=["month", "events", "fatalities", by])
    return pd.concat(frames, ignore_index=True)


def region_shares(events: pd.DataFrame) -> pd.DataFrame:
    """Per year, each region's share of the year's events (0 to 1), all regions present."""
    table = yearly(events, by=["admin1"])
    totals = table.groupby("year")["events"].transform("sum")
    return table.assign(share=(table["events"] / totals.where(totals > 0)).fillna(0.0))


def regional_shift(events: pd.DataFrame, north: Sequence[str] = REGION_ZONES["north"],
                   south: Sequence[str] = REGION_ZONES["south and west"]) -> pd.DataFrame:
    """Per year, the share of events (``admin1``, ``date_start``) in the ``north``, the ``south``
    and the centre (the rest); the zones default to ``geography.REGION_ZONES``. Events
    located only to a wider area than a region (no ``admin1``) are in no zone: left out
    (``geography.wide_area`` counts them)."""
    events = events[events["admin1"].notna()]
    zone = pd.Series("centre", index=events.index)
    zone[events["admin1"].isin(north)] = "north"
    zone[events["admin1"].isin(south)] = "south and west"
    table = yearly(events.assign(zone=zone), by=["zone"])
    table = table.pivot_table(index="year", columns="zone", values="events", fill_value=0)
    shares = table.div(table.sum(axis=1).where(lambda t: t > 0), axis=0).fillna(0.0)
    return shares.round(2).rename_axis(columns=None)


def actor_profiles(events: pd.DataFrame, actors: pd.DataFrame, ids: Sequence[str]
                   ) -> pd.DataFrame:
    """Registry facts and the record's numbers for the given actors, with their main opponents."""
    summary = actor_summary(events, actors).set_index("actor_id")
    facing = opponents(events).drop_duplicates(["event_id", "actor_id", "opponent"])
    rows = []
    for actor in ids:
        registry = actors.set_index("actor_id").loc[actor]
        other = facing.loc[facing["actor_id"] == actor, "opponent"]
        top = ranked_counts(other[other != "civilians"], 3)
        row = summary.loc[actor] if actor in summary.index else None
        rows.append({
            "actor_id": actor,
            "name": registry["name_en"],
            "type": registry["actor_type"],
            "active": f"{registry['active_from'] if pd.notna(registry['active_from']) else '…'}"
                      f" to {registry['active_to'] if pd.notna(registry['active_to']) else '…'}",
            "events": int(row["events"]) if row is not None else 0,
            "reported deaths in those events": int(row[DEATHS_IN_EVENTS]) if row is not None
            else 0,
            "main opponents (violent events)": ", ".join(
                f"{name} ({count})" for name, count in top.items()) or "none recorded",
        })
    return pd.DataFrame(rows).set_index("actor_id")


def lineage_layout(actors: pd.DataFrame, lineage: pd.DataFrame, end: str
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bars (one per actor in a lineage) and links (one per relation) for the lineage diagram;
    an actor still active is drawn to ``end`` (the study period's last day).

    Actors are grouped by family (actors linked by any relation) and ordered by start date.
    """
    ids = sorted(set(lineage["from_id"]) | set(lineage["to_id"]))
    family = {actor: actor for actor in ids}

    def root(actor: str) -> str:
        while family[actor] != actor:
            actor = family[actor]
        return actor

    for link in lineage.itertuples(index=False):
        family[root(link.from_id)] = root(link.to_id)
    registry = actors.set_index("actor_id")
    bars = pd.DataFrame({
        "actor_id": ids,
        "name": [str(registry.loc[i, "acronym"]).split(";")[0]
                 if pd.notna(registry.loc[i, "acronym"]) else registry.loc[i, "name_en"]
                 for i in ids],
        "family": [root(i) for i in ids],
        "start": [partial_date(registry.loc[i, "active_from"]) for i in ids],
        "end": [partial_date(registry.loc[i, "active_to"]) for i in ids],
    })
    bars["start"] = bars["start"].fillna(pd.Timestamp(study.START))
    bars["end"] = bars["end"].fillna(pd.Timestamp(end))
    first = bars.groupby("family")["start"].transform("min")
    bars = bars.assign(first=first).sort_values(["first", "family", "start", "name"],
                                                ignore_index=True)
    bars["row"] = range(len(bars))
    links = lineage.assign(date=lineage["date"].map(partial_date))
    row_of = dict(zip(bars["actor_id"], bars["row"], strict=True))
    links = links.assign(from_row=links["from_id"].map(row_of), to_row=links["to_id"].map(row_of),
                         from_name=links["from_id"].map(dict(zip(bars["actor_id"], bars["name"],
                                                                 strict=True))),
                         to_name=links["to_id"].map(dict(zip(bars["actor_id"], bars["name"],
                                                             strict=True))))
    return bars.drop(columns="first"), links


def dyad_table(events: pd.DataFrame, by: str, top: int = 15) -> pd.DataFrame:
    """Violent events and deaths per pair of actors on opposite sides (associated actors
    included, ``opponents``) and group (e.g. phase), for the top pairs."""
    facing = opponents(events)
    first = facing["actor_id"].where(facing["actor_id"] <= facing["opponent"], facing["opponent"])
    second = facing["opponent"].where(facing["actor_id"] <= facing["opponent"],
                                      facing["actor_id"])
    pairs = facing.assign(pair=first + " – " + second).drop_duplicates(["event_id", "pair"])
    pairs = pairs[["event_id", "pair"]].merge(events, on="event_id")
    keep = ranked_counts(pairs["pair"], top).index
    table = pairs[pairs["pair"].isin(keep)].groupby(["pair", by], observed=True).agg(
        events=("event_id", "size"),
        fatalities=("fatalities_best", lambda s: int(s.sum(min_count=0))),
    ).reset_index()
    return table


def activity_by_year(events: pd.DataFrame, actor_ids: Sequence[str]) -> pd.DataFrame:
    """Events per actor and year, for the given actors (zeros included)."""
    involved = with_year(actor_involvement(events))
    involved = involved[involved["actor_id"].isin(actor_ids)]
    table = involved.groupby(["actor_id", "year"]).size().rename("events").reset_index()
    years = range(int(events["date_start"].dt.year.min()), int(events["date_start"].dt.year.max())
                  + 1)
    full = pd.MultiIndex.from_product([list(actor_ids), list(years)], names=["actor_id", "year"])
    return table.set_index(["actor_id", "year"]).reindex(full, fill_value=0).reset_index()


def civilian_harm(events: pd.DataFrame, perpetrators: dict[str, str]) -> pd.DataFrame:
    """Events targeting civilians per year and alleged perpetrator group (``actor1`` mapped by
    ``perpetrators``; others are 'other or unidentified'), with the civilians the sources
    report killed (``deaths_civilians``) and, apart, the deaths they do not assign
    (``deaths_unknown``): never added to the civilian count."""
    harm = events[events["civilian_targeting"].astype(bool)]
    group = harm["actor1"].map(perpetrators).fillna("other or unidentified")
    table = yearly(harm.assign(perpetrator=group), by=["perpetrator"])
    parts = (harm.assign(perpetrator=group, year=harm["date_start"].dt.year)
             .groupby(["year", "perpetrator"])[["deaths_civilians", "deaths_unknown"]]
             .sum(min_count=0).reset_index())
    table = table.merge(parts, on=["year", "perpetrator"], how="left")
    table[["deaths_civilians", "deaths_unknown"]] = table[
        ["deaths_civilians", "deaths_unknown"]].fillna(0).astype(int)
    return table.rename(columns={"deaths_civilians": "civilians killed",
                                 "deaths_unknown": "deaths not assigned"})


def civilian_harm_by_perpetrator(harm: pd.DataFrame) -> pd.DataFrame:
    """The ``civilian_harm`` table summed over the years, most civilians killed first."""
    columns = ["events", "civilians killed", "deaths not assigned"]
    return harm.groupby("perpetrator")[columns].sum().sort_values("civilians killed",
                                                                  ascending=False)


def state_force_deaths(events: pd.DataFrame, state: Sequence[str] = ("fama",)) -> pd.Series:
    """Per event, the deaths on the side of the state's forces (``deaths_side_a`` where
    ``actor1`` is one of ``state``, ``deaths_side_b`` where ``actor2`` is): attackers killed
    in an attack on the army are not counted."""
    side_a = events["deaths_side_a"].fillna(0).where(events["actor1"].isin(state), 0)
    side_b = events["deaths_side_b"].fillna(0).where(events["actor2"].isin(state), 0)
    return (side_a + side_b).astype(int)


def deadliest(events: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` events with the highest reported toll, with their range and sources."""
    known = events.dropna(subset=["fatalities_best"]).nlargest(n, "fatalities_best")
    table = known.assign(date=known["date_start"].dt.date,
                         sources=known["source_ids"].str.replace(";", "; "))
    return table[["event_id", "date", "location", "admin1", "actor1", "fatalities_best",
                  "fatalities_low", "fatalities_high", "sources"]].set_index("event_id")


#: The actors the Actors chapter profiles, by family, in the order they are shown.
PROFILED_ACTORS: dict[str, tuple[str, ...]] = {
    "state and foreign forces": ("fama", "france", "takuba", "eutm", "minusma", "wagner",
                                 "africa_corps"),
    "regional organisations and neighbours": ("ecowas", "g5_sahel", "aes", "algeria"),
    "jihadist groups": ("jnim", "katiba_macina", "ansar_dine", "aqim", "mujao", "isgs", "issp"),
    "northern armed movements": ("mnla", "hcua", "cma", "plateforme", "gatia", "msa", "csp_psd",
                                 "csp_dpa", "fla"),
    "community militias": ("dan_na_ambassagou", "dozo_militia", "fulani_militia"),
}

#: The main armed actors whose yearly activity the Actors chapter compares.
MAIN_ARMED_ACTORS = ("fama", "france", "minusma", "wagner", "jnim", "katiba_macina", "isgs",
                     "issp", "mnla", "cma", "csp_psd", "fla", "gatia", "msa", "dan_na_ambassagou")

#: Perpetrators of violence against civilians, grouped for the Actors chapter.
PERPETRATOR_GROUPS = {
    **dict.fromkeys(["fama", "mali_government", "mutinous_soldiers"], "Malian state forces"),
    **dict.fromkeys(["wagner", "africa_corps"], "Wagner / Africa Corps"),
    **dict.fromkeys(["jnim", "katiba_macina", "ansar_dine", "aqim", "mujao", "al_mourabitoun",
                     "ansarul_islam"], "JNIM and al-Qaeda-aligned groups"),
    **dict.fromkeys(["isgs", "issp"], "Islamic State (ISGS / ISSP)"),
    **dict.fromkeys(["dan_na_ambassagou", "dozo_militia", "dogon_militia", "fulani_militia",
                     "communal_militia"], "community militias"),
    **dict.fromkeys(["mnla", "cma", "hcua", "maa", "gatia", "msa", "plateforme", "csp_psd",
                     "csp_dpa", "fla", "cja", "ansiprj"], "northern armed movements"),
}


def process_roles(processes: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per actor and process: its roles in date order (e.g. 'signatory, withdrew')."""
    names = actors.set_index("actor_id")
    label = processes["actor_id"].map(
        lambda a: str(names.loc[a, "acronym"]).split(";")[0]
        if pd.notna(names.loc[a, "acronym"]) else names.loc[a, "name_en"])
    ordered = processes.assign(actor=label).sort_values(["process_id", "actor", "date"])
    table = ordered.groupby(["process_id", "process_label", "actor"], sort=False).agg(
        roles=("role", lambda r: ", ".join(dict.fromkeys(r))),
        first_role=("role", "first"),
        sources=("source_ids", lambda s: "; ".join(dict.fromkeys(
            k for cell in s for k in str(cell).split(";")))),
        since=("date", "min"),
    ).reset_index()
    return table


def top_categories(values: pd.Series, keep: int, other: str = "others") -> pd.Series:
    """``values`` with all but the ``keep`` most frequent categories replaced by ``other``,
    so that a chart needs at most ``keep + 1`` colours."""
    top = values.value_counts().index[:keep]
    return values.where(values.isin(top) | values.isna(), other)
