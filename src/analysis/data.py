"""Data access: the event table, the actor registry and the bibliography, loaded and checked."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
from pybtex.database import parse_file

from analysis import ihl, paths
from analysis.cells import partial_date, split_ids
from analysis.errors import DataError, Problem, pandera_problems
from analysis.geography import OUTLINE, location_problem, outside_mali
from analysis.schema import EVENT_COLUMNS, TABLES, actors_schema
from analysis.validate import (
    parse_cells,
    read_csv_strings,
    reference_problems,
    validate_frame,
)

T = TypeVar("T")


def _inputs_key(*files: Path) -> str:
    """A hash of the files' contents, the library's code and the locked requirements: it
    changes when any of them does."""
    digest = hashlib.sha256()
    environment = [paths.ROOT / "requirements.txt", *sorted(Path(__file__).parent.glob("*.py"))]
    for file in (*files, *(f for f in environment if f.exists())):
        digest.update(paths.file_digest(file).encode("ascii"))
    return digest.hexdigest()[:24]


def _through_cache(cached: Path, read: Callable[[Path], T], build: Callable[[], T],
                   serialize: Callable[[T], str | bytes]) -> T:
    """``read(cached)`` when that works, else ``build()``, kept in ``cached`` for next time.
    A damaged copy is rebuilt; a read-only checkout works too, only slower."""
    if cached.exists():
        with contextlib.suppress(OSError, ValueError):
            return read(cached)
    value = build()
    with contextlib.suppress(OSError):
        paths.write_atomically(cached, serialize(value))
    return value


def _parse_bibliography(path: Path) -> dict[str, dict[str, str]]:
    database = parse_file(str(path), bib_format="bibtex")
    entries = {}
    for key, entry in database.entries.items():
        fields = {k.lower(): str(v) for k, v in entry.fields.items()}
        people = entry.persons.get("author", [])
        if people:
            fields["author"] = " and ".join(str(p) for p in people)
        fields["entry_type"] = entry.type
        entries[key] = fields
    return entries


def bibliography(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """The entries of references.bib, by key (parsed once per version of the file and kept in
    ``_build/cache``)."""
    bib = paths.resolve(path, default=paths.REFERENCES)
    return _through_cache(paths.CACHE / f"bibliography-{_inputs_key(bib)}.json",
                          lambda f: json.loads(f.read_text(encoding="utf-8")),
                          lambda: _parse_bibliography(bib),
                          lambda entries: json.dumps(entries, ensure_ascii=False))


def load_actors(path: str | Path | None = None) -> pd.DataFrame:
    """The actor registry, checked (and kept in ``_build/cache``, as ``load_events`` does)."""
    file = paths.resolve(path, default=paths.ACTORS)
    return _through_cache(paths.CACHE / f"actors-{_inputs_key(file)}.parquet",
                          pd.read_parquet, lambda: _checked_actors(file),
                          lambda frame: frame.to_parquet())


def _checked_actors(file: Path) -> pd.DataFrame:
    import pandera.errors

    frame = read_csv_strings(file, required=("actor_id", "name_en", "actor_type"))
    frame = frame.replace({"": pd.NA})
    try:
        return actors_schema().validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        raise DataError(pandera_problems(str(file), err)) from None


def check_events(
    path: str | Path | None = None,
    actors: str | Path | None = None,
    references: str | Path | None = None,
) -> pd.DataFrame:
    """Read and validate an event file, including its actor and source references."""
    file = paths.resolve(path)
    frame = validate_frame(read_csv_strings(file), str(file))
    actor_ids = set(load_actors(actors)["actor_id"])
    problems = reference_problems(frame, str(file), actor_ids, set(bibliography(references)))
    problems += [
        Problem(str(file), int(row), "latitude", location_problem(e.latitude, e.longitude))
        for row, e in frame[outside_mali(frame)].iterrows()
    ]
    if problems:
        raise DataError(problems)
    return frame


def load_events(path: str | Path | None = None) -> pd.DataFrame:
    """The validated event table, in schema column order, sorted by date and id.

    The first load of a given file validates it and keeps the result in ``_build/cache`` as
    Parquet, keyed by the contents of the file, the actor registry, the bibliography, Mali's
    outline, the library code and the locked requirements; later loads of the same inputs (the
    other chapters, the next refresh) read that copy.
    """
    file = paths.resolve(path)
    inputs = (file, paths.ACTORS, paths.REFERENCES, OUTLINE)

    def validated() -> pd.DataFrame:
        frame = check_events(file)[list(EVENT_COLUMNS)]
        return frame.sort_values(["date_start", "event_id"]).reset_index(drop=True)

    return _through_cache(paths.CACHE / f"events-{_inputs_key(*inputs)}.parquet",
                          pd.read_parquet, validated, lambda f: f.to_parquet(index=False))


def load_table(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """One of the small tables declared in ``schema.TABLES``, read as text (empty cells
    missing), after checking that its declared columns are there and that the required ones
    are filled (a DataError names every empty cell by row and column)."""
    table = TABLES[name]
    file = paths.resolve(path, default=paths.DATA / table.file)
    frame = read_csv_strings(file, required=table.columns).replace({"": pd.NA})
    empty = frame[list(table.required)].isna()
    problems = [Problem(str(file), int(row), column, "is empty but required")
                for column in table.required for row in empty.index[empty[column]]]
    if problems:
        raise DataError(problems)
    return frame.reset_index(drop=True)


def load_phases(path: str | Path | None = None) -> pd.DataFrame:
    """The History chapter's phases: id, name, first and last day, opening event, rationale."""
    phases = load_table("phases", path)
    phases["start"] = pd.to_datetime(phases["start"], format="%Y-%m-%d")
    phases["end"] = pd.to_datetime(phases["end"], format="%Y-%m-%d")
    if not (phases["start"].iloc[1:].to_numpy() > phases["end"].iloc[:-1].to_numpy()).all():
        file = paths.resolve(path, default=paths.DATA / TABLES["phases"].file)
        raise DataError([Problem(str(file), None, "start", "phases overlap or are not in order")])
    return phases


def load_timeline(path: str | Path | None = None) -> pd.DataFrame:
    """The events the History timeline names, with their short labels."""
    return load_table("timeline", path)


PROCESS_ROLES = ("signatory", "mediator", "guarantor", "member", "participant", "host",
                 "observer", "sanctioned", "excluded", "withdrew")


def _cell_problems(table: pd.DataFrame, file: Path,
                   allowed: dict[str, tuple[set[str], str]]) -> list[Problem]:
    """Cells outside their allowed values (``{column: (values, message template)}``) and
    source keys missing from the bibliography, by row (the header is row 1)."""
    problems = []
    keys = set(bibliography())
    for row, record in enumerate(table.to_dict("records"), start=2):
        for column, (values, message) in allowed.items():
            if record[column] not in values:
                problems.append(Problem(str(file), row, column,
                                        message.format(value=record[column])))
        problems += [Problem(str(file), row, "source_ids", f"unknown source {key!r}")
                     for key in split_ids(record["source_ids"]) if key not in keys]
    return problems


def load_peace_processes(path: str | Path | None = None) -> pd.DataFrame:
    """Actors' roles in peace and security processes, with dates and sources, checked."""
    file = paths.resolve(path, default=paths.DATA / TABLES["peace_processes"].file)
    table = load_table("peace_processes", file)
    problems = _cell_problems(table, file, {
        "role": (set(PROCESS_ROLES), "unknown role {value!r}"),
        "actor_id": (set(load_actors()["actor_id"]), "unknown actor {value!r}"),
    })
    if problems:
        raise DataError(problems)
    table["date"] = pd.to_datetime([partial_date(d) for d in table["date"]])
    return table


def load_lineage(path: str | Path | None = None) -> pd.DataFrame:
    """The actor lineage: from_id, to_id, relation, date, with sources."""
    return load_table("lineage", path)


def load_organization(path: str | Path | None = None) -> pd.DataFrame:
    """Organization evidence per armed group and period (IHL chapter), checked."""
    file = paths.resolve(path, default=paths.DATA / TABLES["organization"].file)
    table = load_table("organization", file)
    problems = _cell_problems(table, file, {
        "group_id": (set(load_actors()["actor_id"]), "unknown actor {value!r}"),
        "indicator": (set(ihl.INDICATORS), "unknown indicator {value!r}"),
        "value": ({"yes", "partial", "no", "unknown"},
                  "{value!r} is not yes, partial, no or unknown"),
    })
    if problems:
        raise DataError(problems)
    return table.astype("string")


def load_agreements(path: str | Path | None = None) -> pd.DataFrame:
    """The kind of each agreement event (IHL rule R9), checked against ``ihl.AGREEMENT_KINDS``."""
    file = paths.resolve(path, default=paths.DATA / TABLES["agreements"].file)
    table = load_table("agreements", file)
    problems = _cell_problems(table, file, {
        "kind": (set(ihl.AGREEMENT_KINDS), "unknown kind of agreement {value!r}")})
    if problems:
        raise DataError(problems)
    return table


def load_ihl_record(organization: str | Path | None = None) -> ihl.Record:
    """What the IHL engine reads besides the events: lineage, organization evidence (the
    book's, or the file ``organization``), agreements and the Security Council's years."""
    return ihl.Record(load_lineage(), load_organization(organization), load_agreements(),
                      ihl.security_council_years(load_actors()))


def load_independent_classifications(path: str | Path | None = None) -> pd.DataFrame:
    """Independent classifications of Mali's conflicts (text), compared with the engine."""
    return load_table("independent_classifications", path).astype("string")


def load_withdrawals(path: str | Path | None = None) -> pd.DataFrame:
    """The withdrawals of foreign forces the Vacuums chapter tests, each tied to its event."""
    table = load_table("withdrawals", path)
    table["date"] = pd.to_datetime(table["date"], format="%Y-%m-%d")
    return table


def load_bases(path: str | Path | None = None) -> pd.DataFrame:
    """The bases handed over, left, closed or taken (Vacuums chapter), dates and coordinates
    typed."""
    table = load_table("bases", path)
    table["date"] = pd.to_datetime(table["date"], format="%Y-%m-%d")
    for column in ("latitude", "longitude"):
        table[column] = pd.to_numeric(table[column])
    return table


def jihadist_groups(actors: pd.DataFrame) -> tuple[str, ...]:
    """The registry's jihadist groups (``actor_type``), and the attribution 'JNIM or the
    Islamic State'."""
    return (*actors.loc[actors["actor_type"] == "jihadist group", "actor_id"], "jnim_or_is")


def load_claims(path: str | Path | None = None,
                events: pd.DataFrame | None = None) -> pd.DataFrame:
    """The claims register, checked: known documents, types, verdicts and checks; every event
    id it cites in ``events`` (the book's by default) and every source key in the
    bibliography; a claim 'not testable' says what would test it, a 'contradicted' one cites
    its evidence. A DataError names each problem by row and column."""
    from analysis import claims

    file = paths.resolve(path, default=paths.DATA / TABLES["claims"].file)
    table = load_table("claims", file)
    problems = _cell_problems(table.rename(columns={"evidence_sources": "source_ids"}), file, {
        "verdict": (set(claims.VERDICTS), "unknown verdict {value!r}"),
        "claim_type": (set(claims.CLAIM_TYPES), "unknown claim type {value!r}"),
        "document": ({"000", "001", "002", "003", "004"}, "unknown document {value!r}"),
    })
    known = set((load_events() if events is None else events)["event_id"])
    for row, record in enumerate(table.to_dict("records"), start=2):
        problems += [Problem(str(file), row, "evidence_events", f"unknown event {e!r}")
                     for e in split_ids(record["evidence_events"]) if e not in known]
        check = record["evidence_check"]
        if isinstance(check, str) and check not in claims.CHECKS:
            problems.append(Problem(str(file), row, "evidence_check", f"unknown check {check!r}"))
        if record["verdict"] == "not testable with open data" and pd.isna(
                record["what_would_test"]):
            problems.append(Problem(str(file), row, "what_would_test",
                                    "a claim not testable must say what would test it"))
        if record["verdict"] == "contradicted" and pd.isna(record["evidence_sources"]) and pd.isna(
                record["evidence_events"]):
            problems.append(Problem(str(file), row, "evidence_sources",
                                    "a contradicted claim must cite the contradicting evidence"))
    if problems:
        raise DataError(problems)
    return table


def load_outlooks(folder: str | Path | None = None) -> pd.DataFrame:
    """Every archived outlook (``data/forecasts/*.csv``), quantiles typed, oldest first."""
    from analysis import forecast

    where = Path(folder) if folder else paths.DATA / "forecasts"
    frames = [read_csv_strings(file, required=forecast.ARCHIVE_COLUMNS)
              for file in sorted(where.glob("*.csv"))]
    if not frames:
        return pd.DataFrame(columns=list(forecast.ARCHIVE_COLUMNS))
    table = pd.concat(frames, ignore_index=True)
    for column in ("q05", "q25", "q50", "q75", "q95"):
        table[column] = pd.to_numeric(table[column])
    return table.sort_values(["data_through", "model", "month"], ignore_index=True)


def load_published_classification(path: str | Path | None = None) -> pd.DataFrame:
    """The published 2023-2025 classification the IHL engine is compared with (text)."""
    return load_table("published_classification", path).astype("string")


def load_scenarios(path: str | Path | None = None) -> pd.DataFrame:
    """The scenario brief's scenarios, indexed by scenario, with their probabilities."""
    table = load_table("scenarios", path)
    return table.assign(probability=pd.to_numeric(table["probability"]),
                        as_of=pd.to_datetime(table["as_of"])).set_index("scenario")


def load_signposts(path: str | Path | None = None) -> pd.DataFrame:
    """The scenario signposts, with their thresholds, likelihood ratios and sources, checked:
    a computed signpost names a known measure, a threshold and a comparison; a coded one its
    status, date and base-case chance; likelihood ratios are positive numbers and at least one
    differs from 1 (a signpost must discriminate); no measure serves two signposts (two
    signposts of one measure would count the same evidence twice)."""
    from analysis.scenarios import COMPARISONS, MEASURES

    table = load_table("signposts", path).astype("string")
    file = str(paths.resolve(path, default=paths.DATA / TABLES["signposts"].file))
    problems = []
    for row, post in table.iterrows():
        numbers = {c: pd.to_numeric(post[c], errors="coerce")
                   for c in ("threshold", "p_base", "lr_upside", "lr_downside")}
        if post["kind"] == "computed":
            if post["measure"] not in MEASURES:
                problems.append(Problem(file, int(row), "measure", f"unknown: {post['measure']}"))
            if post["comparison"] not in COMPARISONS or pd.isna(numbers["threshold"]):
                problems.append(Problem(file, int(row), "threshold",
                                        "a computed signpost needs a number and a comparison"))
        elif post["kind"] == "coded":
            if post["status"] not in ("met", "not met") or pd.isna(post["as_of"]) \
                    or not 0 < numbers["p_base"] < 1:
                problems.append(Problem(file, int(row), "status",
                                        "a coded signpost needs its status, as_of date and a "
                                        "p_base between 0 and 1"))
        else:
            problems.append(Problem(file, int(row), "kind", "must be 'computed' or 'coded'"))
        ratios = [numbers["lr_upside"], numbers["lr_downside"]]
        if any(pd.isna(r) or r <= 0 for r in ratios):
            problems.append(Problem(file, int(row), "lr_upside",
                                    "likelihood ratios must be positive numbers"))
        elif all(r == 1 for r in ratios):
            problems.append(Problem(file, int(row), "lr_upside",
                                    "both likelihood ratios are 1: the signpost does not "
                                    "discriminate between the scenarios"))
    repeated = table["measure"].dropna()
    for row in repeated.index[repeated.duplicated()]:
        problems.append(Problem(file, int(row), "measure",
                                f"{repeated[row]} already serves another signpost"))
    if problems:
        raise DataError(problems)
    return table


def citing_tables(events: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The events and every declared table, named by their file under ``data/`` (without the
    extension) and in file order: the tables whose ``source_ids`` cite the sources."""
    tables = {Path(t.file).with_suffix("").as_posix(): load_table(name).rename(
        columns={"evidence_sources": "source_ids"})
              for name, t in TABLES.items()
              if "source_ids" in t.columns or "evidence_sources" in t.columns}
    tables[Path(paths.ACTORS.name).stem] = load_actors()
    return {"events": events, **dict(sorted(tables.items()))}


def load_recall(path: str | Path | None = None) -> pd.DataFrame:
    """The audit's recall table (``data/audit/recall_ucdp.csv``), numbers typed."""
    table = load_table("recall", path)
    for column in ("min_deaths", "reference_events", "found"):
        table[column] = pd.to_numeric(table[column]).astype(int)
    return table.assign(recall=pd.to_numeric(table["recall"]))


def load_recall_windows(path: str | Path | None = None) -> pd.DataFrame:
    """The audit's recall under each matching window (``data/audit/recall_windows_ucdp.csv``),
    numbers typed."""
    table = load_table("recall_windows", path)
    for column in ("days", "min_deaths", "reference_events", "found"):
        table[column] = pd.to_numeric(table[column]).astype(int)
    return table.assign(km=pd.to_numeric(table["km"]), recall=pd.to_numeric(table["recall"]))


def load_vacuums_ucdp(path: str | Path | None = None) -> pd.DataFrame:
    """The event study on UCDP's events (``data/audit/vacuums_ucdp.csv``), numbers typed."""
    table = load_table("vacuums_ucdp", path)
    for column in ("rate_ratio", "low", "high", "stacks", "places", "treated_events"):
        table[column] = pd.to_numeric(table[column])
    return table


def load_ihl_ucdp_dyads(path: str | Path | None = None) -> pd.DataFrame:
    """The IHL engine against UCDP's dyad-years (``data/audit/ihl_ucdp_dyads.csv``)."""
    table = load_table("ihl_ucdp_dyads", path)
    table["year"] = pd.to_numeric(table["year"]).astype(int)
    for column in ("agrees_on_ucdp", "agrees_on_curated"):
        table[column] = table[column].map({"True": True, "False": False}).astype(bool)
    return table.fillna({"deciding_reason": ""})


def typed_like_events(table: pd.DataFrame) -> pd.DataFrame:
    """A coding's text cells (``date_start``, ``date_end``, ``fatalities_best``,
    ``civilian_targeting``) parsed with the event schema's own parser; an empty
    ``civilian_targeting`` is False."""
    typed = table.copy()
    for column, kind in (("date_start", "date"), ("date_end", "date"),
                         ("fatalities_best", "integer"), ("civilian_targeting", "boolean")):
        typed[column] = parse_cells(typed[column].astype("string").fillna("").str.strip(), kind)
    typed["civilian_targeting"] = typed["civilian_targeting"].fillna(False).astype(bool)
    return typed


def load_first_coding(path: str | Path | None = None) -> pd.DataFrame:
    """The double-coded sample's published coding before the review, typed like the events."""
    return typed_like_events(load_table("first_coding", path))
