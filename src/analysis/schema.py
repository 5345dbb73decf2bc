"""The tidy event schema (v2): one definition, enforced by pandera, published as Frictionless.

``EVENT_FIELDS`` is the single source of truth. The pandera schema that validates a
DataFrame and the Frictionless Table Schema in ``data/datapackage.json`` are both
generated from it, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis import study

if TYPE_CHECKING:
    import pandera.pandas as pa

SCHEMA_VERSION = "2.0.0"
STUDY_START = dt.date.fromisoformat(study.START)

#: ACLED's event taxonomy: 6 event types and their 25 sub-event types.
EVENT_TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
EVENT_TYPES = tuple(EVENT_TAXONOMY)
SUB_EVENT_TYPES = tuple(s for subs in EVENT_TAXONOMY.values() for s in subs)

#: Mali's regions as used by the dataset: the pre-2023 regions plus Ménaka and Taoudénit.
ADMIN1_REGIONS = (
    "Kayes",
    "Koulikoro",
    "Sikasso",
    "Ségou",
    "Mopti",
    "Tombouctou",
    "Gao",
    "Kidal",
    "Bamako",
    "Ménaka",
    "Taoudénit",
)

#: The regions created in 2023, mapped to the region they were carved from.
NEW_REGION_PARENT = {
    "Bandiagara": "Mopti",
    "Douentza": "Mopti",
    "San": "Ségou",
    "Koutiala": "Sikasso",
    "Bougouni": "Sikasso",
    "Dioïla": "Koulikoro",
    "Nara": "Koulikoro",
    "Nioro": "Kayes",
    "Nioro du Sahel": "Kayes",
    "Kita": "Kayes",
}

#: A box around Mali (WGS84) with a small margin; finer checks use the country outline.
MALI_BOUNDS = {"lat_min": 10.1, "lat_max": 25.1, "lon_min": -12.3, "lon_max": 4.3}

DATE_PRECISIONS = ("day", "week", "month", "year")
#: What each geo_precision means, in readers' words.
GEO_PRECISION_MEANINGS = {
    1: "the named place",
    2: "near it or within its district",
    3: "region only",
    4: "only a wider area (several regions, a border zone or the country)",
}
GEO_PRECISIONS = tuple(GEO_PRECISION_MEANINGS)
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"
ACTOR_ID_PATTERN = r"^[a-z0-9_]+(:[^;]+)?$"


@dataclass(frozen=True)
class Field:
    """One column of the event table."""

    name: str
    kind: str  # string | date | number | integer | boolean
    description: str
    required: bool = True
    enum: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    unique: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


EVENT_FIELDS: tuple[Field, ...] = (
    Field("event_id", "string", "Stable identifier of the event.", pattern=ID_PATTERN, unique=True),
    Field("date_start", "date", "First day of the event (ISO 8601)."),
    Field("date_end", "date", "Last day of the event; equals date_start for one-day events."),
    Field("date_precision", "string", "How precisely the sources date the event.",
          enum=DATE_PRECISIONS),
    Field("admin1", "string", "Region: the pre-2023 regions plus Ménaka and Taoudénit; empty "
          "when the sources place the event only in a wider area (geo_precision 4).",
          required=False, enum=ADMIN1_REGIONS),
    Field("admin2", "string", "Cercle (district), when known.", required=False),
    Field("location", "string", "Named place: town, village, base or site."),
    Field("latitude", "number", "Latitude of the named place (WGS84).",
          minimum=MALI_BOUNDS["lat_min"], maximum=MALI_BOUNDS["lat_max"]),
    Field("longitude", "number", "Longitude of the named place (WGS84).",
          minimum=MALI_BOUNDS["lon_min"], maximum=MALI_BOUNDS["lon_max"]),
    Field("geo_precision", "integer",
          "; ".join(f"{k} = {v}" for k, v in GEO_PRECISION_MEANINGS.items()) + ".",
          enum=GEO_PRECISIONS),
    Field("event_type", "string", "ACLED event type.", enum=EVENT_TYPES),
    Field("sub_event_type", "string", "ACLED sub-event type, consistent with event_type.",
          enum=SUB_EVENT_TYPES),
    Field("actor1", "string", "Id of the initiating actor in data/actors.csv.",
          pattern=ACTOR_ID_PATTERN),
    Field("actor2", "string", "Id of the other actor (target), if any.", required=False,
          pattern=ACTOR_ID_PATTERN),
    Field("assoc_actors", "string", "Other actor ids involved, separated by ';'.",
          required=False),
    Field("civilian_targeting", "boolean", "True when civilians were the target."),
    Field("fatalities_best", "integer", "Most credible reported toll (rule in Data and methods).",
          required=False, minimum=0),
    Field("fatalities_low", "integer", "Lowest credible reported toll.", required=False,
          minimum=0),
    Field("fatalities_high", "integer", "Highest reported toll.", required=False, minimum=0),
    Field("deaths_side_a", "integer", "Of the best toll, deaths on the side of actor1 "
          "(with its associated forces), where the sources say.", required=False, minimum=0),
    Field("deaths_side_b", "integer", "Of the best toll, deaths on the side of actor2 when it "
          "is an armed actor, where the sources say.", required=False, minimum=0),
    Field("deaths_civilians", "integer", "Of the best toll, civilians killed, where the sources "
          "say.", required=False, minimum=0),
    Field("deaths_unknown", "integer", "Of the best toll, deaths the sources do not assign; "
          "the whole toll when they give no breakdown.", required=False, minimum=0),
    Field("estimates_repaired", "boolean", "True when the source dataset's low, best and high "
          "estimates were out of order and low and high were reset to their minimum and maximum.",
          required=False),
    Field("source_ids", "string", "Keys into references.bib, separated by ';'."),
    Field("dataset", "string", "Origin of the row: curated, ucdp, acled or another importer's name",
          pattern=r"^[a-z][a-z0-9_-]*$"),
    Field("source_event_id", "string", "Id of the event in its origin dataset.", required=False),
    Field("notes", "string", "Short note in the book's own words.", required=False),
)
EVENT_COLUMNS = tuple(f.name for f in EVENT_FIELDS)
#: Columns schema v2 added: a file in schema v1 lacks them and is read with them empty.
ADDED_IN_V2 = ("deaths_side_a", "deaths_side_b", "deaths_civilians", "deaths_unknown",
               "estimates_repaired")
#: The columns an events file must have.
REQUIRED_COLUMNS = tuple(c for c in EVENT_COLUMNS if c not in ADDED_IN_V2)
SCHEMA_LABEL = "schema v" + SCHEMA_VERSION.split(".")[0]
FIELD_BY_NAME = {f.name: f for f in EVENT_FIELDS}


def _column(f: Field) -> pa.Column:
    import pandera.pandas as pa

    dtype = {
        "string": "string",
        "date": "datetime64[ns]",
        "number": "float64",
        "integer": "Int64",
        "boolean": "boolean",
    }[f.kind]
    checks: list[pa.Check] = []
    if f.enum is not None:
        checks.append(pa.Check.isin(list(f.enum)))
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum))
    if f.maximum is not None:
        checks.append(pa.Check.le(f.maximum))
    if f.pattern is not None:
        checks.append(pa.Check.str_matches(f.pattern))
    return pa.Column(dtype, checks=checks, nullable=not f.required, unique=f.unique,
                     coerce=True, title=f.name, description=f.description)


def _sub_event_matches_type(df: pd.DataFrame) -> pd.Series:
    allowed = [f"{t}|{s}" for t, subs in EVENT_TAXONOMY.items() for s in subs]
    kind, sub = df["event_type"], df["sub_event_type"]
    pairs = kind.astype("string") + "|" + sub.astype("string")
    return (kind.isna() | sub.isna() | pairs.isin(allowed)).astype(bool)


def _dates_ordered(df: pd.DataFrame) -> pd.Series:
    start, end = df["date_start"], df["date_end"]
    return start.isna() | end.isna() | (end >= start)


def _dates_in_period(df: pd.DataFrame) -> pd.Series:
    today = pd.Timestamp(dt.date.today())
    start, end = df["date_start"], df["date_end"]
    return (start.isna() | (start >= pd.Timestamp(STUDY_START))) & (end.isna() | (end <= today))


def _fatalities_ordered(df: pd.DataFrame) -> pd.Series:
    low, best, high = df["fatalities_low"], df["fatalities_best"], df["fatalities_high"]
    ok = pd.Series(True, index=df.index)
    for a, b in ((low, best), (best, high), (low, high)):
        ok &= (a.isna() | b.isna() | (a <= b)).astype(bool)
    return ok


DEATH_PARTS = ("deaths_side_a", "deaths_side_b", "deaths_civilians", "deaths_unknown")


def _parts_within_total(df: pd.DataFrame) -> pd.Series:
    parts = df[list(DEATH_PARTS)].sum(axis=1, min_count=1)
    best = df["fatalities_best"]
    return (parts.isna() | best.isna() | (parts <= best)).astype(bool)


def _civilian_victims_counted_as_civilians(df: pd.DataFrame) -> pd.Series:
    targets_civilians = (df["actor2"] == "civilians").fillna(False).astype(bool)
    return (~targets_civilians | df["deaths_side_b"].isna() | (df["deaths_side_b"] == 0)
            ).astype(bool)


def _region_or_wide_area(df: pd.DataFrame) -> pd.Series:
    return (df["admin1"].notna() | (df["geo_precision"] == 4)).astype(bool)


#: Row-wide rules, each with the column a failure is reported against.
ROW_RULES: dict[str, tuple[str, Any]] = {
    "sub_event_type belongs to event_type": ("sub_event_type", _sub_event_matches_type),
    "date_end on or after date_start": ("date_end", _dates_ordered),
    "dates inside the study period (2012-01-01 to today)": ("date_start", _dates_in_period),
    "fatalities_low <= fatalities_best <= fatalities_high": (
        "fatalities_best", _fatalities_ordered),
    "deaths by side sum to at most fatalities_best": ("deaths_unknown", _parts_within_total),
    "civilians targeted: their deaths are deaths_civilians, not deaths_side_b": (
        "deaths_side_b", _civilian_victims_counted_as_civilians),
    "admin1 empty only for an event placed in a wider area (geo_precision 4)": (
        "admin1", _region_or_wide_area),
}

@cache
def events_schema() -> pa.DataFrameSchema:
    """The pandera schema of the event table, built from ``EVENT_FIELDS`` and ``ROW_RULES``
    (pandera is imported only when a table is validated)."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {f.name: _column(f) for f in EVENT_FIELDS},
        checks=[pa.Check(fn, name=name, element_wise=False)
                for name, (_, fn) in ROW_RULES.items()],
        strict=True,
        ordered=False,
        name="events",
        description="Tidy event table of the Mali conflict book, schema v" + SCHEMA_VERSION,
    )


def table_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of the event table, generated from ``EVENT_FIELDS``."""
    fields = []
    for f in EVENT_FIELDS:
        spec: dict[str, Any] = {"name": f.name, "type": f.kind, "description": f.description}
        if f.kind == "boolean":
            spec["trueValues"] = ["true", "True", "TRUE", "1"]
            spec["falseValues"] = ["false", "False", "FALSE", "0"]
        constraints: dict[str, Any] = {}
        if f.required:
            constraints["required"] = True
        if f.unique:
            constraints["unique"] = True
        if f.enum is not None:
            constraints["enum"] = list(f.enum)
        if f.minimum is not None:
            constraints["minimum"] = f.minimum
        if f.maximum is not None:
            constraints["maximum"] = f.maximum
        if f.pattern is not None:
            constraints["pattern"] = f.pattern.removeprefix("^").removesuffix("$")
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    return {"fields": fields, "primaryKey": ["event_id"], "missingValues": [""]}


#: The actor registry (data/actors.csv): one row per actor, lineage as ids.
ACTOR_TYPES = (
    "state force",
    "state government",
    "foreign state force",
    "private military company",
    "UN or regional mission",
    "regional organisation",
    "international organisation",
    "jihadist group",
    "separatist or armed movement",
    "pro-government militia",
    "self-defence group",
    "civilians",
    "unidentified",
)
ACTOR_COLUMNS = (
    "actor_id", "name_en", "name_fr", "acronym", "actor_type", "active_from", "active_to",
    "predecessor_ids", "successor_ids", "merged_into", "ucdp_aliases", "acled_aliases",
    "other_aliases", "source_ids", "notes",
)
@cache
def actors_schema() -> pa.DataFrameSchema:
    """The pandera schema of the actor registry."""
    import pandera.pandas as pa

    pattern = r"^\d{4}(-\d{2}){0,2}$"
    return pa.DataFrameSchema(
        {
            "actor_id": pa.Column("string", pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
            "name_en": pa.Column("string"),
            "actor_type": pa.Column("string", pa.Check.isin(list(ACTOR_TYPES))),
            "active_from": pa.Column("string", pa.Check.str_matches(pattern), nullable=True),
            "active_to": pa.Column("string", pa.Check.str_matches(pattern), nullable=True),
            **{c: pa.Column("string", nullable=True) for c in ACTOR_COLUMNS
               if c not in {"actor_id", "name_en", "actor_type", "active_from", "active_to"}},
        },
        strict=True,
        name="actors",
    )


def describe_fields() -> pd.DataFrame:
    """The event schema as a table for readers: column, type, required, allowed values, meaning."""
    rows = []
    for f in EVENT_FIELDS:
        allowed = ""
        if f.enum is not None and f.name != "sub_event_type":
            allowed = ", ".join(map(str, f.enum))
        elif f.minimum is not None and f.maximum is not None:
            allowed = f"{f.minimum} to {f.maximum}"
        elif f.minimum is not None:
            allowed = f"≥ {f.minimum:g}"
        rows.append({"column": f.name, "type": f.kind, "required": "yes" if f.required else "no",
                     "allowed values": allowed, "meaning": f.description})
    return pd.DataFrame(rows).set_index("column")


def region_mapping() -> pd.DataFrame:
    """The regions created in 2023 and the region each is recorded under."""
    return pd.DataFrame(
        {"region since 2023": list(NEW_REGION_PARENT),
         "recorded as admin1": list(NEW_REGION_PARENT.values())}
    ).set_index("region since 2023")


@dataclass(frozen=True)
class Table:
    """One of the small tables under ``data/``: its file, its columns in file order (those
    marked ``*`` must be filled in every row) and what it holds."""

    name: str
    file: str  # relative to data/
    spec: str  # "a* b c*": columns in order, * = required
    description: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.rstrip("*") for c in self.spec.split())

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.rstrip("*") for c in self.spec.split() if c.endswith("*"))


#: The archived outlooks (``data/forecasts/*.csv``): one file per outlook, all of this shape.
OUTLOOKS_FOLDER = "forecasts"
OUTLOOK_COLUMNS = ("issued", "data_through", "data_version", "model", "month", "q05", "q25",
                   "q50", "q75", "q95")

#: Every table under data/ besides the events and the actor registry, declared once.
TABLES: dict[str, Table] = {t.name: t for t in (
    Table("lineage", "actor_lineage.csv",
          "from_id* to_id* relation* date* date_precision source_ids* notes",
          "Mergers, splits and renamings between actors."),
    Table("phases", "history/phases.csv",
          "phase_id* name* start* end* opening_event_id* rationale",
          "The History chapter's phases."),
    Table("timeline", "history/timeline.csv", "event_id* label*",
          "The events the History timeline names, with short labels."),
    Table("organization", "ihl/organization.csv",
          "group_id* period_start* period_end* indicator* value* evidence* source_ids",
          "Organization evidence per armed group and period (IHL)."),
    Table("agreements", "ihl/agreements.csv", "event_id* kind* reason* source_ids*",
          "The kind of each agreement event (peace agreement, ceasefire, prisoner exchange, "
          "termination...): only a peace agreement can end a conflict (IHL rule R9)."),
    Table("independent_classifications", "ihl/independent_classifications.csv",
          "classifier* document* party_a* party_b* period_start* period_end classification* "
          "ap2 finding* source_ids*",
          "Classifications of Mali's armed conflicts by independent bodies (ICC Prosecutor, "
          "Geneva Academy, commissions of inquiry): compared with the engine, never its input."),
    Table("treaties", "ihl/treaties.csv",
          "instrument* short_name* mali_status* date date_precision notes source_ids",
          "The treaties binding Mali that bear on its armed conflicts, with dates."),
    Table("foreign_parties", "ihl/foreign_parties.csv",
          "actor_id* role* period_start* period_end basis* finding source_ids*",
          "Foreign forces in Mali's conflicts: when they were parties and on what basis."),
    Table("published_classification", "ihl/published_2023_2025.csv",
          "party_a* party_b* classification_published* ap2_published* source_ids* notes",
          "The published 2023-2025 classification the engine is compared with."),
    Table("peace_processes", "processes/peace_processes.csv",
          "process_id* process_label* process_name* actor_id* role* date* date_precision "
          "source_ids* notes",
          "Actors' roles in peace and security processes."),
    Table("scenarios", "scenarios/scenarios.csv",
          "scenario* name* probability* as_of* source_ids*",
          "The scenario brief's scenarios and probabilities, and the date they refer to."),
    Table("signposts", "scenarios/signposts.csv",
          "signpost_id* scenario* label* kind* measure threshold comparison status as_of "
          "p_base lr_upside* lr_downside* source_ids* notes*",
          "Scenario signposts: thresholds, the written likelihood ratios of the upside and "
          "downside cases against the base case, their justification and sources."),
    Table("withdrawals", "vacuums/withdrawals.csv", "name* operator* date* event_id* notes",
          "Withdrawals of foreign forces the Vacuums chapter tests."),
    Table("bases", "vacuums/bases.csv",
          "base_id* base_name* operator* event* date* date_precision* received_by location* "
          "admin1* latitude* longitude* temporary* source_ids* notes",
          "Bases handed over, left, closed or taken, 2021-2025, each dated from reporting: the "
          "units of the Vacuums chapter's event study."),
    Table("claims", "claims/claims.csv",
          "claim_id* document* paraphrase* claim_type* verdict* evidence_events evidence_check "
          "evidence_sources chapter section what_would_test notes",
          "Every substantive claim of the five source documents, paraphrased, with its type, "
          "the verdict the evidence supports, and the evidence (events, a computed check, "
          "sources)."),
    Table("peacekeeper_deaths", "context/peacekeeper_deaths.csv",
          "mission* year* deaths_total deaths_malicious_acts as_of* scope* source_ids* notes",
          "Peacekeepers killed in Mali, from UN figures as reported: yearly and cumulative."),
    Table("displacement", "context/displacement.csv",
          "indicator* value* as_of* geography source_org* source_ids* notes",
          "Internally displaced people and refugees from Mali, from UN, IOM and UNHCR figures "
          "as reported."),
    Table("russia", "context/russia.csv", "fact* date* date_precision* source_ids* notes",
          "Dated facts about Russia's military presence in Mali (Wagner, Africa Corps)."),
    Table("errata", "errata.csv",
          "erratum_id* document* claim* record* book_uses* event_ids source_ids* note",
          "Where the source documents the book was commissioned from contradict the sourced "
          "record: the claim, the record, what the book uses and why, with sources."),
    Table("recall", "audit/recall_ucdp.csv",
          "year* min_deaths* reference_events* found* recall reference*",
          "The curated table's recall of UCDP GED events, by year and toll band: aggregates "
          "computed by `python -m analysis audit` (no UCDP row or value)."),
    Table("recall_windows", "audit/recall_windows_ucdp.csv",
          "days* km* min_deaths* reference_events* found* recall reference*",
          "The audit's recall of UCDP GED events over the whole period under narrower and wider "
          "matching windows (days on each side, kilometres): aggregates computed by `python -m "
          "analysis audit` (no UCDP row or value)."),
    Table("first_coding", "audit/first_coding.csv",
          "event_id* date_start* date_end* admin1* location* event_type* sub_event_type* "
          "actor1* actor2 civilian_targeting* fatalities_best",
          "The published coding of the double-coded sample as it stood when the second coding "
          "was made (the 853-row release of 3 December 2026), before the review of the "
          "disagreements."),
    Table("second_coding", "audit/second_coding.csv",
          "event_id* found_sources* same_event date_start date_end admin1 location event_type "
          "sub_event_type actor1 actor2 civilian_targeting fatalities_best notes",
          "A second, independent coding of a random 10% sample of the events, made from their "
          "sources only (Data and methods)."),
    Table("claims_ucdp", "audit/claims_ucdp.csv", "check* row* column* value reference*",
          "The claims register's computed checks run on UCDP's events: aggregates computed by "
          "`python -m analysis audit` (no UCDP row or value)."),
    Table("vacuums_ucdp", "audit/vacuums_ucdp.csv",
          "analysis* row* withdrawal* rate_ratio low high stacks* places* treated_events* "
          "reference*",
          "The Vacuums chapter's event study run on UCDP's events: rate ratios, intervals and "
          "counts computed by `python -m analysis audit` (no UCDP row or value)."),
    Table("ihl_ucdp_dyads", "audit/ihl_ucdp_dyads.csv",
          "year* actor_id* party* on_ucdp_events* agrees_on_ucdp* on_curated_events* "
          "agrees_on_curated* deciding_reason",
          "For each year in which UCDP's Dyadic Dataset lists an armed conflict between Mali "
          "and a group, the IHL engine's classification of the pair on UCDP's events and on the "
          "curated events: computed by `python -m analysis audit --dyadic` (our ids, no UCDP "
          "row or value)."),
)}
