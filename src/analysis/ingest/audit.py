"""The audit: how many of a reference dataset's events the curated table holds (its recall),
by year and by toll band, with the events it misses.

Matching rule. A reference event is *found* when a curated violent event (not a strategic
development or a protest) overlaps its days widened by ``MATCH_DAYS`` on each side and lies in
the same region (``admin1``) or within ``MATCH_KM`` km of it. UCDP codes one incident as several
events when several pairs of actors fought in it; reference events with the same days within
``INCIDENT_KM`` km of each other are therefore one *incident*, and a curated event found for an
incident finds all of its events. Otherwise each curated event finds at most one incident, and
one incident one curated event: among the pairs the rule allows, the assignment is the one that
finds the most reference events of 10 or more deaths, then of 25 or more, then the nearest
pairs in days and kilometres (an optimal assignment, by SciPy's ``linear_sum_assignment``, where a
greedy pass could let one incident take the only curated event another could match).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from analysis import paths
from analysis.geography import distance_km
from analysis.transforms import violent

MATCH_DAYS = 3
MATCH_KM = 75.0
INCIDENT_KM = 25.0
#: In the assignment's last criterion, this many kilometres weigh as much as a day apart.
NEAR_KM = 25.0
BANDS = (10, 25)
RECALL = paths.DATA / "audit" / "recall_ucdp.csv"
WINDOWS_FILE = paths.DATA / "audit" / "recall_windows_ucdp.csv"


def incidents(reference: pd.DataFrame) -> pd.Series:
    """An incident number per reference event (``date_start``, ``date_end``, ``latitude``,
    ``longitude``): events of the same days within ``INCIDENT_KM`` km share one."""
    number = pd.Series(-1, index=reference.index)
    next_number = 0
    for _, same_days in reference.groupby(["date_start", "date_end"], sort=True):
        for index, event in same_days.iterrows():
            if number[index] >= 0:
                continue
            near = distance_km(same_days["latitude"], same_days["longitude"],
                               event["latitude"], event["longitude"]) <= INCIDENT_KM
            number[same_days.index[near & (number[same_days.index] < 0).to_numpy()]] = next_number
            next_number += 1
    return number


def _incident_table(reference: pd.DataFrame) -> pd.DataFrame:
    """One row per incident of the numbered reference events (``incident``): first and last
    day, the first event's place and region, its events of 10+ and 25+ deaths."""
    return reference.groupby("incident").agg(
        date_start=("date_start", "min"), date_end=("date_end", "max"),
        latitude=("latitude", "first"), longitude=("longitude", "first"),
        admin1=("admin1", "first"),
        n10=("fatalities_best", lambda deaths: int((deaths >= 10).sum())),
        n25=("fatalities_best", lambda deaths: int((deaths >= 25).sum())))


def match(curated: pd.DataFrame, reference: pd.DataFrame, days: int = MATCH_DAYS,
          km: float = MATCH_KM) -> pd.DataFrame:
    """The reference events (dates, place, ``admin1``, ``fatalities_best``) with the curated
    event that finds them (``matched_event_id``, empty when none does), by the module's rule
    with a window of ``days`` on each side and ``km`` kilometres."""
    candidates = violent(curated).reset_index(drop=True)
    table = reference.assign(incident=incidents(reference), matched_event_id="")
    if candidates.empty or table.empty:
        return table.drop(columns="incident")
    groups = _incident_table(table)
    widen = np.timedelta64(days, "D")
    starts = candidates["date_start"].to_numpy("datetime64[ns]")
    ends = candidates["date_end"].to_numpy("datetime64[ns]")
    regions = candidates["admin1"].to_numpy(dtype=object)
    score = np.zeros((len(groups), len(candidates)))
    for row, incident in enumerate(groups.itertuples()):
        allowed = ((starts <= np.datetime64(incident.date_end) + widen)
                   & (ends >= np.datetime64(incident.date_start) - widen))
        if not allowed.any():
            continue
        distance = np.nan_to_num(np.asarray(distance_km(
            candidates["latitude"], candidates["longitude"], incident.latitude,
            incident.longitude), dtype=float), nan=np.inf)
        allowed &= (distance <= km) | (regions == incident.admin1)
        gap = np.maximum(starts[allowed] - np.datetime64(incident.date_end),
                         np.datetime64(incident.date_start) - ends[allowed])
        days_apart = np.maximum(gap / np.timedelta64(1, "D"), 0)
        nearness = 1 / (1 + np.minimum(distance[allowed], 10_000) / NEAR_KM + days_apart)
        score[row, allowed] = incident.n10 * 1e6 + incident.n25 * 1e3 + nearness
    rows, columns = linear_sum_assignment(score, maximize=True)
    kept = score[rows, columns] > 0
    found = dict(zip(groups.index[rows[kept]], candidates["event_id"].to_numpy()[columns[kept]],
                     strict=True))
    table["matched_event_id"] = [found.get(incident, "") for incident in table["incident"]]
    return table.drop(columns="incident")


#: The windows of the sensitivity table: (days on each side, kilometres).
WINDOWS = ((1, 50.0), (MATCH_DAYS, MATCH_KM), (7, 100.0))


def window_sensitivity(curated: pd.DataFrame, reference: pd.DataFrame,
                       windows: tuple[tuple[int, float], ...] = WINDOWS,
                       bands: tuple[int, ...] = BANDS,
                       known: dict[tuple[int, float], pd.DataFrame] | None = None
                       ) -> pd.DataFrame:
    """The whole period's recall (``found``, ``recall`` per band) under each matching window,
    for reference events already limited to the period: how much the figure owes to the rule.
    ``known`` gives the matches already made for some windows (``match``'s result)."""
    rows = []
    for days, km in windows:
        matched = (known or {}).get((days, km))
        whole = recall_table(match(curated, reference, days, km) if matched is None
                             else matched, bands)
        for band in whole[whole["year"] == "all years"].itertuples():
            rows.append({"days": days, "km": km, "min_deaths": band.min_deaths,
                         "reference_events": band.reference_events, "found": band.found,
                         "recall": band.recall})
    return pd.DataFrame(rows)


def recall_table(matched: pd.DataFrame, bands: tuple[int, ...] = BANDS) -> pd.DataFrame:
    """Per year and for the whole period, for each toll band (reference best estimate at least
    the band): reference events, those found, and the recall (found / reference)."""
    rows = []
    years = matched["date_start"].dt.year
    for band in bands:
        in_band = matched[matched["fatalities_best"] >= band]
        groups = [(str(y), in_band[years[in_band.index] == y]) for y in sorted(years.unique())]
        groups.append(("all years", in_band))
        for label, group in groups:
            found = int((group["matched_event_id"] != "").sum())
            rows.append({"year": label, "min_deaths": band, "reference_events": len(group),
                         "found": found,
                         "recall": round(found / len(group), 3) if len(group) else np.nan})
    return pd.DataFrame(rows)


def audit(curated: pd.DataFrame, reference: pd.DataFrame, start: str, end: str,
          bands: tuple[int, ...] = BANDS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The recall table and the matched reference events (with ``matched_event_id``) for the
    reference events of ``start``-``end`` with at least the smallest band's deaths."""
    period = reference[(reference["date_start"] >= pd.Timestamp(start))
                       & (reference["date_start"] <= pd.Timestamp(end))
                       & (reference["fatalities_best"] >= min(bands))]
    matched = match(curated, period.reset_index(drop=True))
    return recall_table(matched, bands), matched


def write_recall(table: pd.DataFrame, reference_name: str, target: Path = RECALL) -> Path:
    """The recall table, naming the reference it was measured against, as the committed
    aggregate ``data/audit/recall_ucdp.csv`` (written atomically)."""
    paths.write_atomically(target, table.assign(reference=reference_name).to_csv(
        index=False, lineterminator="\n"))
    return target


DYADS = paths.DATA / "audit" / "ihl_ucdp_dyads.csv"
VACUUMS = paths.DATA / "audit" / "vacuums_ucdp.csv"
#: The rings of distance of the Vacuums chapter.
RINGS = ((0, 25), (25, 50), (50, 100), (100, 200))


CLAIMS = paths.DATA / "audit" / "claims_ucdp.csv"


def claims_on(reference: pd.DataFrame, label: str) -> pd.DataFrame:
    """The claims register's computed checks run on a reference dataset's events, as one long
    table of aggregates (``check``, ``row``, ``column``, ``value``): no event of it."""
    from analysis import claims
    from analysis.data import jihadist_groups, load_actors

    tables = {"militant_islamist_rise": claims.militant_islamist_rise(
        reference, jihadist_groups(load_actors())),
        **{name: check(reference) for name, check in claims.EVENT_CHECKS.items()}}
    frames = []
    for name, table in tables.items():
        long = table.rename_axis("row").reset_index().melt(id_vars="row", var_name="column")
        frames.append(long.assign(check=name, row=long["row"].astype(str)))
    return pd.concat(frames, ignore_index=True)[["check", "row", "column", "value"]].assign(
        reference=label)


def vacuums_on(reference: pd.DataFrame, data_end: str, label: str) -> pd.DataFrame:
    """The Vacuums chapter's event study run on a reference dataset's events (aggregates only:
    rate ratios, intervals and counts): the outcomes by withdrawal, the placebos and the
    distance rings, one row each, with ``analysis`` and ``row`` naming it."""
    from analysis import vacuums
    from analysis.data import jihadist_groups, load_actors, load_bases

    bases = load_bases()
    chosen = vacuums.departures(bases)
    design = vacuums.Design(reference, bases, jihadist_groups(load_actors()), data_end)
    outcomes = vacuums.effects(design, chosen).rename(columns={"outcome": "row"}).assign(
        analysis="outcome")
    checks = vacuums.robustness(design, chosen).head(3).rename(columns={"check": "row"}).assign(
        analysis="placebo", withdrawal="all departures")
    rings = vacuums.distance_rings(design, chosen, RINGS).rename(columns={"ring": "row"}).assign(
        analysis="distance", withdrawal="all departures")
    columns = ["analysis", "row", "withdrawal", "rate_ratio", "low", "high", "stacks", "places",
               "treated_events"]
    table = pd.concat([outcomes, checks, rings], ignore_index=True)[columns]
    return table.round({"rate_ratio": 3, "low": 3, "high": 3}).astype(
        {"stacks": int, "places": int, "treated_events": int}).assign(reference=label)


def ucdp_state_dyads(dyadic: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """The dyad-years UCDP's Dyadic Dataset lists for the Government of Mali (``side_a``)
    against a non-state side (``side_b``), with that side as a registry actor and as the
    IHL engine's party for the year (aliases resolved on 31 December of the year)."""
    from analysis import ihl
    from analysis.data import load_lineage
    from analysis.ingest.importers import actor_lookup, resolve_alias

    lookup = actor_lookup("ucdp_aliases")
    resolve = ihl.party_resolver(load_lineage())
    rows = []
    chosen = dyadic[(dyadic["side_a"] == "Government of Mali")
                    & dyadic["year"].between(start_year, end_year)]
    for row in chosen.itertuples(index=False):
        day = pd.Timestamp(f"{row.year}-12-31")
        actor = resolve_alias(lookup[row.side_b], day) if row.side_b in lookup else ""
        rows.append({"year": int(row.year), "actor_id": actor,
                     "party": resolve(actor, day) if actor else ""})
    return pd.DataFrame(rows, columns=["year", "actor_id", "party"])


def dyad_comparison(dyads: pd.DataFrame, on_ucdp: pd.DataFrame, on_curated: pd.DataFrame
                    ) -> pd.DataFrame:
    """For each UCDP dyad-year of Mali (``ucdp_state_dyads``), the engine's classification of
    the pair Mali-party in that year on UCDP's events and on the curated events (the
    ``classify_years`` tables), and whether each finds an armed conflict."""
    from analysis import ihl

    def lookup(table: pd.DataFrame) -> dict[tuple[frozenset[str], int], tuple[str, str]]:
        return {(frozenset((r.party_a, r.party_b)), int(r.period)): (r.classification, r.reasons)
                for r in table.itertuples(index=False)}

    ucdp, curated = lookup(on_ucdp), lookup(on_curated)
    conflict = (ihl.NON_INTERNATIONAL, ihl.INTERNATIONAL)
    none = ("no violent event between them", "")
    rows = []
    for row in dyads.itertuples(index=False):
        key = (frozenset((ihl.MALI, row.party)), row.year)
        found_ucdp, reasons = ucdp.get(key, none)
        found_curated, _ = curated.get(key, none)
        rows.append({"year": row.year, "actor_id": row.actor_id, "party": row.party,
                     "on_ucdp_events": found_ucdp, "agrees_on_ucdp": found_ucdp in conflict,
                     "on_curated_events": found_curated,
                     "agrees_on_curated": found_curated in conflict,
                     "deciding_reason": ihl.deciding_reason(reasons)
                     if found_ucdp not in conflict and reasons else ""})
    return pd.DataFrame(rows).drop_duplicates(["year", "party"]).reset_index(drop=True)


def recall_display(table: pd.DataFrame) -> pd.DataFrame:
    """The recall table for readers: one row per year, for each band 'found of reference
    (share)'."""
    cells = table.assign(cell=[
        f"{f} of {r} ({rc:.0%})" if r else "none" for f, r, rc in
        zip(table["found"], table["reference_events"], table["recall"], strict=True)])
    wide = cells.pivot(index="year", columns="min_deaths", values="cell")
    wide.columns = [f"UCDP events with {band}+ deaths: found" for band in wide.columns]
    order = [y for y in wide.index if y != "all years"] + ["all years"]
    return wide.loc[order].rename_axis("year")


def windows_display(table: pd.DataFrame) -> pd.DataFrame:
    """The recall under each matching window for readers (``days``, ``km``, ``min_deaths``,
    ``found``, ``reference_events``, ``recall``): one row per window, the book's marked."""
    cells = table.assign(
        window=[f"within {d} day{'s' if d > 1 else ''} and {k:.0f} km or the same region"
                + (" (the book's rule)" if (d, k) == (MATCH_DAYS, MATCH_KM) else "")
                for d, k in zip(table["days"], table["km"], strict=True)],
        cell=[f"{f} of {r} ({rc:.0%})" for f, r, rc in
              zip(table["found"], table["reference_events"], table["recall"], strict=True)])
    wide = cells.pivot(index="window", columns="min_deaths", values="cell")
    wide.columns = [f"UCDP events with {band}+ deaths: found" for band in wide.columns]
    order = cells.drop_duplicates("window").sort_values(["days", "km"])["window"]
    return wide.loc[order].rename_axis("matching window")


def engine_against_ucdp(dyadic: Path, ucdp_events: pd.DataFrame, curated: pd.DataFrame,
                        first_year: int, last_year: int) -> pd.DataFrame:
    """``dyad_comparison`` of the engine's yearly classifications, on UCDP's events and on the
    curated ones, with the Mali dyad-years of UCDP's Dyadic Dataset file ``dyadic``."""
    from analysis import ihl
    from analysis.data import load_ihl_record

    record = load_ihl_record()
    dyads = ucdp_state_dyads(pd.read_csv(dyadic), first_year, last_year)
    return dyad_comparison(dyads, ihl.classify_years(ucdp_events, record),
                           ihl.classify_years(curated, record))


@dataclass
class AuditRun:
    """What ``run_audit`` measured and wrote."""

    label: str
    reference_events: int
    start: str
    end: str
    recall: pd.DataFrame
    missed: int
    written: list[Path] = field(default_factory=list)
    dyads: pd.DataFrame | None = None


def run_audit(reference: Path, events: Path | None, start: str, end: str = "",
              label: str = "", dyadic: Path | None = None) -> AuditRun:
    """The audit of the events file (the book's by default) against the UCDP GED file
    ``reference``, over the period both cover from ``start``: the recall table written to the
    committed aggregate (or, for another events file, to ``_build/audit``), the missed events
    to ``_build/audit`` (never committed), and, with a UCDP Dyadic file, the IHL engine's
    comparison with its dyad-years. A DataError names any unreadable file."""
    from analysis import study
    from analysis.data import check_events
    from analysis.ingest.importers import convert

    curated = check_events(events)
    imported, _, report = convert(reference, "ucdp")
    end = min(study.period_end(curated, end), study.period_end(imported))
    recall, matched = audit(curated, imported, start, end)
    label = label or reference.stem
    slug = "".join(c if c.isalnum() else "-" for c in label.lower()).strip("-")
    folder = paths.BUILD / "audit"
    missed = matched[matched["matched_event_id"] == ""]
    run = AuditRun(label, report.imported, start, end, recall, len(missed))
    run.written.append(folder / f"missed-{slug}.csv")
    paths.write_atomically(run.written[-1], missed.to_csv(index=False))
    run.written.append(write_recall(recall, label, folder / f"recall-{slug}.csv" if events
                                    else RECALL))
    run.written.append(folder / f"recall-windows-{slug}.csv" if events else WINDOWS_FILE)
    paths.write_atomically(run.written[-1], window_sensitivity(
        curated, matched.drop(columns="matched_event_id"),
        known={(MATCH_DAYS, MATCH_KM): matched}).assign(reference=label).to_csv(
            index=False, lineterminator="\n"))
    run.written.append(folder / f"claims-{slug}.csv" if events else CLAIMS)
    paths.write_atomically(run.written[-1], claims_on(imported, label).to_csv(
        index=False, lineterminator="\n"))
    vacuum_table = vacuums_on(imported, end, label)
    run.written.append(folder / f"vacuums-{slug}.csv" if events else VACUUMS)
    paths.write_atomically(run.written[-1], vacuum_table.to_csv(index=False,
                                                               lineterminator="\n"))
    if dyadic is not None:
        run.dyads = engine_against_ucdp(dyadic, imported, curated, int(start[:4]),
                                        int(end[:4]))
        run.written.append(folder / f"ihl-{slug}.csv" if events else DYADS)
        paths.write_atomically(run.written[-1],
                               run.dyads.to_csv(index=False, lineterminator="\n"))
    return run
