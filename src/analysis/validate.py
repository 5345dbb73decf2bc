"""Checking event files: every problem named by file, row and column.

Rows are counted as a spreadsheet shows them: the header is row 1, the first event row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.cells import convert_distinct, distinct_codes, split_ids
from analysis.errors import DataError, Problem, pandera_problems
from analysis.schema import (
    ADDED_IN_V2,
    FIELD_BY_NAME,
    REQUIRED_COLUMNS,
    ROW_RULES,
    SCHEMA_LABEL,
    events_schema,
)

HEADER_ROW = 1
MAX_FIELD_BYTES = 1_000_000


def read_text(path: Path) -> str:
    """The file's text as UTF-8 (a byte-order mark is allowed), or a clear error."""
    name = str(path)
    if not path.exists():
        raise DataError([Problem(name, None, None, "file not found")])
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError([Problem(name, None, None, "file is empty")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError([Problem(
            name, line, None,
            f"not valid UTF-8 (byte {raw[err.start]:#x} at offset {err.start}); "
            "re-save the file as UTF-8 (e.g. it may be Latin-1 or Windows-1252)",
        )]) from None


def read_csv_strings(path: Path, required: Iterable[str] = REQUIRED_COLUMNS) -> pd.DataFrame:
    """Read a CSV as text cells, after checking its shape: header, delimiter, ragged rows.
    An events file of schema v1 is read with the columns v2 added, empty."""
    name = str(path)
    text = read_text(path)
    csv.field_size_limit(MAX_FIELD_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header = next(reader)
        rows = []
        for record in reader:
            row_number = HEADER_ROW + len(rows) + 1
            if record == []:
                rows.append(None)
                continue
            if len(record) != len(header):
                problems.append(Problem(
                    name, row_number, None,
                    f"has {len(record)} fields where the header has {len(header)} "
                    "(a missing or extra delimiter, or an unclosed quote)",
                ))
            rows.append(record)
    except csv.Error as err:
        line = HEADER_ROW + len(rows) + 1 if "rows" in locals() else HEADER_ROW
        raise DataError([Problem(name, line, None, f"cannot be parsed as CSV: {err}")]) from None
    header = [h.strip() for h in header]
    required = list(required)
    missing = [c for c in required if c not in header]
    if missing and len(header) == 1 and any(d in header[0] for d in ";\t|"):
        raise DataError([Problem(name, HEADER_ROW, None,
                                 "the header is not comma-separated (found ';', tab or '|'); "
                                 "save the file as comma-separated CSV")])
    if missing:
        problems.append(Problem(name, HEADER_ROW, ", ".join(missing),
                                f"missing required column(s): {', '.join(missing)}"))
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        problems.append(Problem(name, HEADER_ROW, ", ".join(duplicated), "duplicated column(s)"))
    if problems:
        raise DataError(problems)
    records = [r if r is not None else [""] * len(header) for r in rows]
    frame = pd.DataFrame(records, columns=header, dtype="string")
    frame.index = pd.RangeIndex(HEADER_ROW + 1, HEADER_ROW + 1 + len(frame))
    blank = frame.apply(lambda r: all(v == "" for v in r), axis=1) if len(frame) else []
    if len(frame) and blank.any():
        raise DataError([Problem(name, int(i), None, "blank row") for i in frame.index[blank]])
    if frame.empty:
        raise DataError([Problem(name, None, None, "header only: the file holds no rows")])
    if tuple(required) == REQUIRED_COLUMNS:
        for column in ADDED_IN_V2:
            if column not in frame:
                frame[column] = pd.Series("", index=frame.index, dtype="string")
    return frame


BOOLEAN_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
EXPECTED = {"date": "a date YYYY-MM-DD", "integer": "a whole number", "number": "a number",
            "boolean": "true or false"}


def parse_cells(col: pd.Series, kind: str) -> pd.Series:
    """Cells parsed to ``kind``; a cell that cannot be parsed becomes missing."""
    if kind == "boolean":
        return col.str.lower().map(BOOLEAN_WORDS).astype("boolean")
    if kind == "date":
        return pd.to_datetime(col, format="%Y-%m-%d", errors="coerce")
    numbers = pd.to_numeric(col, errors="coerce")
    if kind == "integer":
        whole = numbers.notna() & (numbers % 1 == 0)
        return numbers.where(whole).astype("Int64")
    return numbers.astype("float64")


def typed_cells(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Text cells parsed to the schema's types, and a problem for each cell that would not parse."""
    out = frame.copy()
    problems = []
    for f in FIELD_BY_NAME.values():
        if f.name not in out:
            continue
        codes = None
        if isinstance(out[f.name].dtype, pd.CategoricalDtype):
            # an importer's column kept as codes into its distinct texts: each text typed once
            codes, distinct = distinct_codes(out[f.name])
            text, typed = _typed_text(distinct, f.kind)
            col = pd.Series(typed.array.take(codes), index=out.index)
        else:
            text, typed = _typed_text(out[f.name], f.kind)
            col = typed
        unreadable = (text.notna() & typed.isna()).to_numpy()
        bad = unreadable if codes is None else unreadable[codes]
        if bad.any():
            cells = text.to_numpy()[bad if codes is None else codes[bad]]
            problems += [Problem(name, int(row), f.name, f"{value!r} is not {EXPECTED[f.kind]}")
                         for row, value in zip(out.index[bad], cells, strict=True)]
        out[f.name] = col
    return out, problems


def _typed_text(cells: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """Cells stripped, empty ones missing; and the same parsed to ``kind`` (each distinct
    cell once; text stays text)."""
    text = cells.str.strip().replace({"": pd.NA})
    if kind == "string":
        return text, text
    return text, convert_distinct(text, lambda v: parse_cells(v, kind))


def _describe_failure(check: str, column: str | None, value: object) -> tuple[str | None, str]:
    """The event schema's wording of a pandera failure: (column, message)."""
    if check in ROW_RULES:
        return ROW_RULES[check][0], f"violates rule: {check}"
    if "dtype" in check:
        return column, f"{value!r} has the wrong type"
    if check == "not_nullable":
        return column, "is empty but required"
    if check == "field_uniqueness":
        return column, f"duplicate value {value!r}"
    if check == "column_in_dataframe":
        return str(value), "missing required column"
    if check == "column_in_schema":
        return str(value), f"unknown column (not in {SCHEMA_LABEL})"
    if check.startswith("isin("):
        allowed = FIELD_BY_NAME[column].enum if column in FIELD_BY_NAME else None
        return column, f"{value!r} is not an allowed value" + (
            f" (allowed: {', '.join(map(str, allowed))})" if allowed else "")
    if check.startswith(("greater_than_or_equal_to(", "less_than_or_equal_to(")):
        sign = ">=" if check.startswith("greater") else "<="
        bound = check[check.index("(") + 1:-1]
        hint = " (outside Mali)" if column in ("latitude", "longitude") else ""
        return column, f"{value!r} must be {sign} {bound}{hint}"
    if check.startswith("str_matches("):
        return column, f"{value!r} does not match the pattern {check[12:-1]}"
    return column, f"{value!r} fails {check}"


def validate_frame(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Validate a frame of text cells against the event schema; return it typed or raise
    DataError."""
    typed, problems = typed_cells(frame, name)
    unparsed = {(p.row, p.column) for p in problems}
    import pandera.errors

    try:
        validated = events_schema().validate(typed, lazy=True)
    except pandera.errors.SchemaErrors as err:
        problems += [p for p in pandera_problems(name, err, _describe_failure)
                     if (p.row, p.column) not in unparsed]
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise DataError(problems)
    return validated


def reference_problems(
    events: pd.DataFrame, name: str, actor_ids: set[str], source_keys: set[str]
) -> list[Problem]:
    """Actor ids and source keys that do not resolve in the registry and bibliography."""
    problems = []
    for row, event in events.iterrows():
        for column in ("actor1", "actor2", "assoc_actors"):
            value = event[column]
            for actor in split_ids(value):
                if ":" in actor:  # namespaced ids (e.g. ucdp:...) are imports not yet registered
                    continue
                if actor not in actor_ids:
                    problems.append(Problem(name, int(row), column,
                                            f"unknown actor {actor!r} (not in data/actors.csv)"))
        for key in split_ids(event["source_ids"]):
            if key not in source_keys:
                problems.append(Problem(name, int(row), "source_ids",
                                        f"unknown source {key!r} (not in references.bib)"))
    return problems
