"""Importing UCDP GED and ACLED exports into the tidy schema, with exact row accounting.

Every row read is either imported or written to a quarantine file with its reason:
``read = imported + rejected`` always holds. Output is written atomically.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

# An import always validates what it imports: pandera loads with this module, not mid-import.
import pandera.backends.pandas.builtin_checks
import pandera.pandas  # noqa: F401

from analysis import paths, study
from analysis.cells import partial_date, per_distinct
from analysis.data import load_actors
from analysis.errors import DataError, Problem
from analysis.schema import ADMIN1_REGIONS, EVENT_COLUMNS, NEW_REGION_PARENT
from analysis.validate import parse_cells, read_text, validate_frame

UCDP_SOURCE = "sundberg2013ged"
ACLED_SOURCE = "raleigh2010acled"

#: UCDP's type_of_violence: 1 state-based, 2 non-state, 3 one-sided violence.
UCDP_TYPES = {"1": ("Battles", "Armed clash", False), "2": ("Battles", "Armed clash", False),
              "3": ("Violence against civilians", "Attack", True)}
#: UCDP's date_prec (1 exact day ... 5 only the year) and where_prec (1 exact place ... 7).
UCDP_DATE_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
UCDP_GEO_PRECISION = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 2, "6": 4, "7": 4}
ACLED_DATE_PRECISION = {"1": "day", "2": "week", "3": "month"}
#: ACLED's taxonomy before 2019, mapped to the current one.
ACLED_OLD_TYPES = {
    "Battle-No change of territory": ("Battles", "Armed clash"),
    "Battle-Government regains territory": ("Battles", "Government regains territory"),
    "Battle-Non-state actor overtakes territory": ("Battles",
                                                   "Non-state actor overtakes territory"),
    "Violence against civilians": ("Violence against civilians", "Attack"),
    "Riots/Protests": ("Protests", "Peaceful protest"),
    "Headquarters or base established": ("Strategic developments",
                                         "Headquarters or base established"),
    "Non-violent transfer of territory": ("Strategic developments",
                                          "Non-violent transfer of territory"),
    "Strategic development": ("Strategic developments", "Other"),
}
OUTSIDE_PERIOD = f"before the study period (which starts on {study.START})"
REQUIRED = {
    "ucdp": (("id",), ("date_start",), ("date_end",), ("type_of_violence",), ("side_a",),
             ("side_b",), ("latitude",), ("longitude",), ("adm_1",),
             ("best", "best_est"), ("low", "low_est"), ("high", "high_est")),
    "acled": (("event_date",), ("event_type",), ("actor1",), ("admin1",), ("latitude",),
              ("longitude",), ("fatalities",)),
}


@dataclass
class ImportReport:
    """What an import read and what became of each row: imported (some with their estimates
    repaired or with no region), outside the study period, or rejected with a reason.
    ``read = imported + outside_period + rejected`` always holds."""

    source: str
    read: int = 0
    imported: int = 0
    outside_period: int = 0
    rejected: int = 0
    repaired: int = 0
    wide_area: int = 0
    unknown_actors: dict[str, int] = field(default_factory=dict)
    by_year: pd.DataFrame = field(default_factory=pd.DataFrame)

    def summary(self) -> str:
        lines = [f"{self.source}: read {self.read} = imported {self.imported} + outside the "
                 f"period {self.outside_period} + rejected {self.rejected}",
                 f"imported rows with low/best/high out of order, repaired (low = min, high = "
                 f"max, flagged in estimates_repaired): {self.repaired}",
                 f"imported rows located only to a wider area than a region (no admin1): "
                 f"{self.wide_area}"]
        if not self.by_year.empty:
            lines += ["", "by year (events and best-estimate deaths):",
                      self.by_year.to_string(index=False)]
        if self.unknown_actors:
            lines.append("actors not in data/actors.csv (kept under a namespaced id):")
            lines += [f"  {count:6d}  {name}" for name, count in
                      sorted(self.unknown_actors.items(), key=lambda kv: (-kv[1], kv[0]))]
        return "\n".join(lines)


def _fast_read(data: bytes | str | Path) -> pd.DataFrame | None:
    """All cells as text with pyarrow's CSV reader, or None when the file needs the careful path
    (ragged rows, bad encodings). A trailing comma on every data row, as in UCDP's country
    export, is read as an extra, empty column and dropped."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    def source() -> pa.Buffer | str:
        return pa.py_buffer(data) if isinstance(data, bytes) else str(data)

    if isinstance(data, bytes):
        head = data[:1 << 16]
    else:
        with open(data, "rb") as handle:
            head = handle.read(1 << 16)
    try:
        records = csv.reader(io.StringIO(head.decode("utf-8-sig", errors="ignore")))
        names = [n.strip() for n in next(records)]
        first = next(records, [])
    except (StopIteration, csv.Error):
        return None
    # UCDP's country export ends every data row with a comma: one more, empty, field
    ends_with_comma = len(first) == len(names) + 1 and first[-1] == ""
    if not names or any(n.strip() == "" for n in names) or len(set(names)) < len(names):
        return None
    trailing = "\x00trailing"

    def read(columns: list[str]) -> pa.Table:
        return pacsv.read_csv(
            source(), read_options=pacsv.ReadOptions(column_names=columns, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.large_string()),
                strings_can_be_null=False))

    try:
        table = read([*names, trailing] if ends_with_comma else names)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if ends_with_comma:
        import pyarrow.compute as pc

        if pc.any(pc.not_equal(table[trailing], "")).as_py():
            return None  # a real extra field, not a trailing comma: the careful path decides
        table = table.drop_columns([trailing])
    text = pd.StringDtype("pyarrow")
    return table.to_pandas(types_mapper=lambda kind: text if kind == pa.large_string()
                           else None)


def read_export(path: Path) -> pd.DataFrame:
    """An export as text cells: CSV, or the CSV inside a UCDP zip. Trailing commas are kept
    out of the data; quoted newlines are kept in their cell."""
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if not members:
                    message = "the zip holds no CSV file (expected GEDEvent_*.csv)"
                    raise DataError([Problem(str(path), None, None, message)])
                raw = archive.read(members[0])
        except zipfile.BadZipFile:
            raise DataError([Problem(str(path), None, None, "not a valid zip file")]) from None
        frame = (_fast_read(raw.removeprefix(b"\xef\xbb\xbf"))
                 if re.search(rb"\S", raw[:1 << 16]) or re.search(rb"\S", raw) else None)
    else:
        if not path.exists():
            read_text(path)  # raises the clear 'file not found' error
        with open(path, "rb") as handle:  # pyarrow reads the file itself, not a copy in memory
            head = handle.read(1 << 16).removeprefix(b"\xef\xbb\xbf")
        raw = b""
        frame = _fast_read(path) if re.search(rb"\S", head) else None
    if frame is None:
        frame = _careful_read(path, raw)
    frame.index = pd.RangeIndex(2, 2 + len(frame))  # spreadsheet rows: header is row 1
    return frame


def _careful_read(path: Path, raw: bytes) -> pd.DataFrame:
    """The row-by-row reader: ragged rows padded or cut, a trailing comma dropped."""
    if path.suffix.lower() != ".zip":
        text = read_text(path)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DataError([Problem(str(path), None, None,
                                     "the CSV in the zip is not valid UTF-8")]) from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not any(rows[0]):
        raise DataError([Problem(str(path), None, None, "file is empty")])
    header = [h.strip() for h in rows[0]]
    while header and header[-1] == "":
        header.pop()  # the country export ends every row with a comma
    records = []
    for record in rows[1:]:
        if record and record[-1] == "" and len(record) == len(header) + 1:
            record = record[:-1]
        records.append(record + [""] * (len(header) - len(record))
                       if len(record) < len(header) else record[:len(header)])
    return pd.DataFrame(records, columns=header, dtype="string").fillna("")


def _text(frame: pd.DataFrame, name: str, default: str = "") -> pd.Series:
    """A column of the export, or ``default`` in every row when the layout lacks it."""
    if name in frame:
        return frame[name]
    return _constant(default, frame.index)


def _constant(value: str, index: pd.Index) -> pd.Series:
    """The same text in every row, as a categorical column (one distinct value)."""
    return pd.Series(pd.Categorical.from_codes(np.zeros(len(index), dtype=np.int8), [value]),
                     index=index)


def _flags(values: pd.Series) -> np.ndarray:
    """A categorical column of True/False as a boolean array over the rows."""
    return np.asarray(values.cat.categories, dtype=bool)[values.cat.codes.to_numpy()]


def _rows(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The rows of ``frame`` where ``keep`` is true. Text columns read by pyarrow are filtered
    by pyarrow chunk by chunk (pandas would first join the chunks), the others by pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = pa.array(keep)
    columns = {}
    for name, column in frame.items():
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
            columns[name] = column.dtype.__from_arrow__(pc.filter(pa.array(column.array), mask))
        else:
            columns[name] = column[keep].array
    return pd.DataFrame(columns, index=frame.index[keep])


def _stripped(values: pd.Series) -> pd.Series:
    """Cells without surrounding spaces (each distinct cell once)."""
    return per_distinct(lambda v: v.str.strip(), values)


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.Series:
    for name in names:
        if name in frame:
            return frame[name]
    raise KeyError(names[0])


def check_columns(frame: pd.DataFrame, source: str, name: str) -> None:
    """Fail clearly when a column the import truly needs is absent."""
    missing = [" or ".join(alternatives) for alternatives in REQUIRED[source]
               if not any(a in frame for a in alternatives)]
    if missing:
        raise DataError([Problem(name, 1, ", ".join(missing),
                                 f"missing column(s) needed for a {source} import: "
                                 + "; ".join(missing))])


DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%d %B %Y", "%d-%B-%Y",
                "%d %b %Y", "%d-%b-%Y")
#: An ISO date followed by a time (with or without seconds, fractions and a zone): the
#: bulk GED writes '2016-05-26 00:00:00.000'. Only the day is kept.
ISO_WITH_TIME = r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"


def _dates(values: pd.Series) -> pd.Series:
    """Days as ISO text from every form the publishers use: ISO dates and date-times (with
    or without fractions of seconds), UCDP's 'MM/DD/YYYY hh:mm:ss', ACLED's '05 June 2019' and
    '05-June-2019'; '' where none fits."""
    def parse(distinct: pd.Series) -> pd.Series:
        text = distinct.str.strip().str.replace(ISO_WITH_TIME, r"\1", regex=True)
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        for fmt in DATE_FORMATS:
            missing = parsed.isna()
            if not missing.any():
                break
            parsed[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce")
        return parsed.dt.strftime("%Y-%m-%d").fillna("")

    return per_distinct(parse, values)


def region_of(name: str) -> str:
    """A region name from an export, as the schema's admin1 ('' when it cannot be matched)."""
    cleaned = name.strip().removesuffix(" region").removesuffix(" Region").strip()
    aliases = {"Timbuktu": "Tombouctou", "Segou": "Ségou", "Menaka": "Ménaka",
               "Taoudeni": "Taoudénit", "Taoudenni": "Taoudénit", "Bamako District": "Bamako"}
    cleaned = aliases.get(cleaned, cleaned)
    cleaned = NEW_REGION_PARENT.get(cleaned, cleaned)
    return cleaned if cleaned in ADMIN1_REGIONS else ""


@dataclass(frozen=True)
class Candidate:
    """A registry actor that an export name may stand for, with its active period."""

    actor_id: str
    active_from: pd.Timestamp
    active_to: pd.Timestamp

    def active_on(self, day: pd.Timestamp) -> bool:
        return ((pd.isna(self.active_from) or self.active_from <= day)
                and (pd.isna(self.active_to) or day < self.active_to))


def actor_lookup(column: str) -> dict[str, list[Candidate]]:
    """Export actor names to the registry actors listing them in their alias column, in
    registry order."""
    actors = load_actors()
    lookup: dict[str, list[Candidate]] = {}
    for row in actors.itertuples(index=False):
        candidate = Candidate(row.actor_id, partial_date(row.active_from),
                              partial_date(row.active_to))
        aliases = getattr(row, column)
        for alias in ("" if pd.isna(aliases) else str(aliases)).split(";"):
            if alias.strip():
                lookup.setdefault(alias.strip(), []).append(candidate)
    return lookup


def resolve_alias(candidates: list[Candidate], day: pd.Timestamp) -> str:
    """The actor a name stands for on ``day``. UCDP gives an actor its latest name on all its
    rows (2012's MNLA rows read 'CMA', 2023's CSP rows 'FLA'), so a name listed by several
    registry actors goes to the one active that day, the most recently founded if several
    are; with no date, or none active, to the first listed."""
    active = [c for c in candidates if pd.notna(day) and c.active_on(day)]
    if not active:
        return candidates[0].actor_id
    return max(active, key=lambda c: c.active_from if pd.notna(c.active_from)
               else pd.Timestamp.min).actor_id


Rule = Callable[[str], "str | None"]


#: The registry's ids for an attribution a source leaves open between groups ('A and/or B'):
#: between JNIM (or its Katiba Macina) and an Islamic State branch, or between any others.
JNIM_OR_IS, ATTRIBUTION_UNCERTAIN = "jnim_or_is", "attribution_uncertain"


def joint_attribution(ids: set[str]) -> str:
    """The registry category of an attribution left open between the actors ``ids``."""
    if ids & {"jnim", "katiba_macina"} and ids & {"isgs", "issp"}:
        return JNIM_OR_IS
    return ATTRIBUTION_UNCERTAIN


def _parts(name: str, lookup: dict[str, list[Candidate]], rule: Rule | None
           ) -> list[tuple[str, str]]:
    """How a name resolves: ('alias', name) for a registry alias, ('id', actor_id) for a
    naming rule, ('unknown', name) otherwise. A cell listing several actors (ACLED's
    associated actors, 'A; B') is split at its semicolons; a side naming several actors
    ('CM-FPR, GATIA, MAA') that is not itself an alias at its commas. An attribution left
    open ('A and/or B') stays open: one registry category (``joint_attribution``), never one
    of the groups; with a name the registry does not know in it, it is kept whole as
    unknown."""
    if ";" in name:
        return [part for piece in name.split(";") if piece.strip()
                for part in _parts(piece.strip(), lookup, rule)]
    if name in lookup:
        return [("alias", name)]
    if " and/or " in name:
        ids: set[str] = set()
        for half in name.split(" and/or "):
            for kind, value in _parts(half.strip(), lookup, rule):
                if kind == "unknown":
                    return [("unknown", name)]
                ids |= ({c.actor_id for c in lookup[value]} if kind == "alias" else {value})
        return [("id", joint_attribution(ids))]
    ruled = rule(name) if rule else None
    if ruled:
        return [("id", ruled)]
    pieces = [piece.strip() for piece in name.split(",") if piece.strip()]
    if len(pieces) > 1:
        return [part for piece in pieces for part in _parts(piece, lookup, rule)]
    return [("unknown", name)]


def _actors(names: pd.Series, days: pd.Series, lookup: dict[str, list[Candidate]],
            namespace: str, report: ImportReport, rule: Rule | None = None
            ) -> tuple[pd.Series, pd.Series]:
    """Registry ids for export names on their events' days (ISO text): the first actor a
    name stands for, and the others it names (';'-separated, for ``assoc_actors``). A name
    neither the registry's aliases nor ``rule`` know is kept as ``namespace:name`` and
    counted in the report. Each distinct name (and day, where the day matters) is resolved
    once."""
    cleaned = per_distinct(lambda v: v.fillna("").astype(str).str.strip(), names)
    plans = {name: _parts(name, lookup, rule) if name else []
             for name in cleaned.cat.categories}
    shared = [name for name, plan in plans.items()
              if any(kind == "alias" and len(lookup[value]) > 1 for kind, value in plan)]
    # The day matters only for a name listed by several registry actors.
    day = per_distinct(lambda name, when: when.where(name.isin(shared), ""), cleaned, days)

    def resolve(name_values: pd.Series, day_values: pd.Series) -> pd.DataFrame:
        resolved = []
        for name, when in zip(name_values, day_values, strict=True):
            moment = pd.Timestamp(when) if when else pd.NaT
            ids = [resolve_alias(lookup[value], moment) if kind == "alias" else value
                   if kind == "id" else namespace + ":" + value.replace(";", ",")
                   for kind, value in plans.get(name, [])]
            resolved.append((ids[0] if ids else "", ";".join(ids[1:])))
        return pd.DataFrame(resolved, columns=["first", "rest"], dtype=str)

    split = per_distinct(resolve, cleaned, day)
    counts = cleaned.value_counts()
    for name, plan in plans.items():
        for kind, value in plan:
            if kind == "unknown" and counts[name]:
                report.unknown_actors[value] = (report.unknown_actors.get(value, 0)
                                                + int(counts[name]))
    return split["first"], split["rest"]


def _assoc(*columns: pd.Series) -> pd.Series:
    """';'-joined non-empty ids from several columns of ids (each combination once)."""
    def join(*parts: pd.Series) -> pd.Series:
        joined = parts[0].astype(str)
        for part in parts[1:]:
            joined = joined.str.cat(part.astype(str), sep=";")
        return joined.str.replace(r";{2,}", ";", regex=True).str.strip(";")

    return per_distinct(join, *columns)


def _whole(values: pd.Series) -> pd.Series:
    """Cells as whole numbers (nullable); anything else missing (each distinct cell parsed
    once)."""
    return parse_cells(values.str.strip(), "integer")


def _whole_text(values: pd.Series) -> pd.Series:
    """Cells as the text of a whole number, '' for anything else (each distinct cell once)."""
    return per_distinct(lambda v: _text_of(_whole(v)), values)


def repaired_estimates(low: pd.Series, best: pd.Series, high: pd.Series
                       ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Low and high reset to the minimum and maximum of the three estimates where they are
    out of order (best is kept: it is the publisher's own figure), and a flag saying where."""
    frame = pd.DataFrame({"low": low, "best": best, "high": high})
    out_of_order = ((frame["low"] > frame["best"]) | (frame["best"] > frame["high"])
                    | (frame["low"] > frame["high"])).fillna(False).astype(bool)
    smallest, largest = frame.min(axis=1).astype("Int64"), frame.max(axis=1).astype("Int64")
    return (frame["low"].where(~out_of_order, smallest),
            frame["high"].where(~out_of_order, largest), out_of_order)


def _estimates(low: pd.Series, best: pd.Series, high: pd.Series) -> pd.DataFrame:
    """Text cells of low, best and high as the text of whole numbers, low and high repaired
    (``repaired_estimates``), and the flag as 'true'/'false'."""
    best_number = _whole(best)
    low_number, high_number, repaired = repaired_estimates(_whole(low), best_number,
                                                           _whole(high))
    return pd.DataFrame({"best": _text_of(best_number), "low": _text_of(low_number),
                         "high": _text_of(high_number),
                         "repaired": repaired.map({True: "true", False: "false"})})


def _text_of(numbers: pd.Series) -> pd.Series:
    return numbers.astype("string").fillna("")


#: The dataset name of rows from UCDP's monthly Candidate Events (not yet in a GED release).
UCDP_CANDIDATE = "ucdp_candidate"


def map_ucdp(frame: pd.DataFrame, report: ImportReport) -> tuple[pd.DataFrame, pd.Series]:
    """UCDP GED rows (GED releases and candidate events, bulk CSV or web export) in the tidy
    schema (text cells; columns that repeat kept as categoricals), and a reason for each row
    that cannot be read."""
    lookup = actor_lookup("ucdp_aliases")
    violence = _stripped(frame["type_of_violence"])
    out = pd.DataFrame(index=frame.index)
    identifier = frame["id"].str.strip()
    out["event_id"] = "UCDP-" + identifier
    out["date_start"] = _dates(frame["date_start"])
    out["date_end"] = _dates(frame["date_end"])
    out["date_precision"] = per_distinct(
        lambda v: v.str.strip().map(UCDP_DATE_PRECISION).fillna("day"),
        _text(frame, "date_prec", "1"))
    out["admin1"] = per_distinct(lambda v: v.map(region_of), frame["adm_1"])
    out["admin2"] = per_distinct(lambda v: v.str.strip().str.removesuffix(" cercle"),
                                 _text(frame, "adm_2"))
    place = frame["where_coordinates"] if "where_coordinates" in frame else frame["adm_1"]
    out["location"] = per_distinct(lambda v: v.str.strip().where(v.str.strip() != "", "Mali"),
                                   place)
    out["latitude"] = _stripped(frame["latitude"])
    out["longitude"] = _stripped(frame["longitude"])
    out["geo_precision"] = per_distinct(
        lambda precision, region: precision.str.strip().map(UCDP_GEO_PRECISION).fillna(3)
        .astype(int).astype(str).where(region != "", "4"),
        _text(frame, "where_prec", "1"), out["admin1"])
    for position, column in enumerate(("event_type", "sub_event_type", "civilian_targeting")):
        meaning = {code: str(kind[position]).lower() if column == "civilian_targeting"
                   else kind[position] for code, kind in UCDP_TYPES.items()}
        out[column] = per_distinct(lambda v, meaning=meaning: v.map(meaning).fillna(""),
                                   violence)
    out["actor1"], extra_a = _actors(frame["side_a"], out["date_start"], lookup, "ucdp", report)
    out["actor2"], extra_b = _actors(frame["side_b"], out["date_start"], lookup, "ucdp", report)
    out["assoc_actors"] = _assoc(extra_a, extra_b)
    estimates = per_distinct(_estimates, _column(frame, ("low", "low_est")),
                             _column(frame, ("best", "best_est")),
                             _column(frame, ("high", "high_est")))
    out["fatalities_best"], out["fatalities_low"] = estimates["best"], estimates["low"]
    out["fatalities_high"] = estimates["high"]
    for column, source in (("deaths_side_a", "deaths_a"), ("deaths_side_b", "deaths_b"),
                           ("deaths_civilians", "deaths_civilians"),
                           ("deaths_unknown", "deaths_unknown")):
        out[column] = (_whole_text(frame[source]) if source in frame
                       else _constant("", frame.index))
    out["estimates_repaired"] = estimates["repaired"]
    out["source_ids"] = _constant(UCDP_SOURCE, frame.index)
    out["dataset"] = _constant("ucdp", frame.index)
    out["source_event_id"] = identifier
    out["notes"] = per_distinct(lambda v: v.str.slice(0, 300), _text(frame, "source_headline"))
    return out, _reasons(frame.index, [
        (~violence.isin(list(UCDP_TYPES)), "type_of_violence is not 1, 2 or 3"),
        (out["date_start"] == "", "date_start cannot be read"),
        (estimates["best"] == "", "no best estimate of deaths")])


#: ACLED's state forces are named with the regime period: 'Military Forces of Mali (2013-)'.
STATE_FORCE = r"^(?:Military|Police) Forces of (?P<country>[^()]+?)(?: \([^)]*\))?(?: .*)?$"
GOVERNMENT = r"^Government of (?P<country>[^()]+?)(?: \([^)]*\))?$"
#: Civilian and identity categories ACLED names 'X (Mali)': all recorded as civilians.
CIVILIAN_CATEGORY = (r"^(?:Civilians|.* Ethnic Group|Pastoralists|Farmers|Fishers|Refugees/IDPs"
                     r"|Prisoners|Journalists|Students|Teachers|Health Workers|Aid Workers"
                     r"|Labour Group|Women|Christian Group|Muslim Group|Traders|Miners"
                     r"|Government of Mali \(.*\) Officials) \(Mali\)$")
#: Community militias ACLED names '<community> Ethnic Militia (Mali)'.
COMMUNITY_MILITIAS = {"Fulani": "fulani_militia", "Dogon": "dogon_militia",
                      "Bambara": "dozo_militia", "Dozo": "dozo_militia"}
FORCES_OF = {"Mali": "fama", "France": "france", "Chad": "chad_army",
             "Burkina Faso": "burkina_army", "Niger": "niger_army", "Algeria": "algeria",
             "Ivory Coast": "cote_divoire_army", "Cote d'Ivoire": "cote_divoire_army",
             "Russia": "africa_corps"}
#: The forces of a state the registry has no force actor for ('Military Forces of Sweden').
OTHER_FOREIGN_FORCES = "other_foreign_forces"


def normal_name(name: str) -> str:
    """A name as compared with the registry's names: no accents, case or extra spaces
    ('Opération  Barkhane' and 'operation barkhane' are the same)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", ascii_text).strip().casefold()


@dataclass(frozen=True)
class RegistryNames:
    """The registry's acronyms (upper case) and names (``normal_name``: English and French
    names, with and without a closing parenthesis, and other aliases) to actor ids, the first
    listed winning."""

    acronyms: dict[str, str]
    names: dict[str, str]


def registry_names() -> RegistryNames:
    """``RegistryNames`` from ``data/actors.csv``."""
    acronyms: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in load_actors().itertuples(index=False):
        def cells(value: object) -> list[str]:
            return [] if pd.isna(value) else [v.strip() for v in str(value).split(";")
                                              if v.strip()]
        for acronym in cells(row.acronym):
            acronyms.setdefault(acronym.upper(), row.actor_id)
        for name in [*cells(row.name_en), *cells(row.name_fr), *cells(row.other_aliases)]:
            names.setdefault(normal_name(name), row.actor_id)
            # 'Africa Corps (Russian Ministry of Defence)' is also 'Africa Corps'
            names.setdefault(normal_name(re.sub(r"\s*\([^()]*\)$", "", name)), row.actor_id)
    return RegistryNames(acronyms, names)


def acled_rule(name: str, registry: RegistryNames) -> str | None:
    """The registry actor an ACLED name stands for by ACLED's naming rules, or None:
    state forces and governments with their period suffix (a state's forces the registry has
    no actor for to ``other_foreign_forces``); Islamic State branches; 'ACRONYM: full name'
    movements; katibas to their parent group (Katiba Macina its own actor); civilian and
    identity categories to civilians; community militias to the registry's militia of that
    community (else to communal militias); protesters and rioters to protesters; unidentified
    armed groups; last, a registry name or alias ('Wagner Group', 'Islamic State Sahel
    Province'), with or without a closing '(Mali)'. Joint attributions ('and/or') are
    ``_parts``'s."""
    if name.startswith("Mutiny of Military Forces of Mali"):
        return "mutinous_soldiers"
    if match := re.match(STATE_FORCE, name):
        return FORCES_OF.get(match["country"].strip(), OTHER_FOREIGN_FORCES)
    if match := re.match(GOVERNMENT, name):
        country = match["country"].strip()
        return ("mali_government" if country == "Mali"
                else registry.names.get(normal_name(country)))
    if re.match(CIVILIAN_CATEGORY, name):
        return "civilians"
    if name.startswith(("Protesters (", "Rioters (")):
        return "protesters"
    if match := re.match(r"^(?P<community>\w+) (?:Ethnic|Communal) Militia \(Mali\)$", name):
        return COMMUNITY_MILITIAS.get(match["community"], "communal_militia")
    if name.startswith(("Unidentified Armed Group", "Unidentified Military Forces")):
        return "unidentified_armed_group"
    if re.match(r"^Unidentified (?:Communal|Ethnic) Militia", name):
        return "communal_militia"
    if re.match(r"^Islamic State\b", name):
        lowered = name.lower()
        if "greater sahara" in lowered:
            return "isgs"
        if "sahel" in lowered:
            return "issp"
    if match := re.match(r"^(?P<acronym>[A-Z][A-Za-z-]*)(?:-[A-Za-z]+)?: ", name):
        return registry.acronyms.get(match["acronym"].upper())
    if re.match(r"^Katiba\b", name, flags=re.I):
        return "katiba_macina" if "macina" in name.lower() else "jnim"
    return (registry.names.get(normal_name(name))
            or registry.names.get(normal_name(name.removesuffix(" (Mali)"))))


def map_acled(frame: pd.DataFrame, report: ImportReport) -> tuple[pd.DataFrame, pd.Series]:
    """ACLED rows (current or older layouts) in the tidy schema (text cells; columns that
    repeat kept as categoricals), and a reason per bad row."""
    lookup = actor_lookup("acled_aliases")
    registry = registry_names()

    def rule(name: str) -> str | None:
        return acled_rule(name, registry)

    out = pd.DataFrame(index=frame.index)
    identifier = frame["event_id_cnty"] if "event_id_cnty" in frame else _text(
        frame, "data_id")
    identifier = identifier.astype("string").str.strip()
    identifier = identifier.where(identifier != "", pd.Series(
        [f"row{i}" for i in frame.index], index=frame.index, dtype="string"))
    out["event_id"] = "ACLED-" + identifier
    out["date_start"] = _dates(frame["event_date"])
    out["date_end"] = out["date_start"]
    out["date_precision"] = per_distinct(
        lambda v: v.str.strip().map(ACLED_DATE_PRECISION).fillna("day"),
        _text(frame, "time_precision", "1"))
    out["admin1"] = per_distinct(lambda v: v.map(region_of), frame["admin1"])
    out["admin2"] = _stripped(_text(frame, "admin2"))
    place = frame["location"] if "location" in frame else frame["admin1"]
    out["location"] = per_distinct(lambda v: v.str.strip().where(v.str.strip() != "", "Mali"),
                                   place)
    out["latitude"] = _stripped(frame["latitude"])
    out["longitude"] = _stripped(frame["longitude"])
    out["geo_precision"] = per_distinct(
        lambda precision, region: precision.str.strip().replace("", "3").where(region != "",
                                                                              "4"),
        _text(frame, "geo_precision", "3"), out["admin1"])
    if "sub_event_type" in frame:
        out["event_type"] = _stripped(frame["event_type"])
        out["sub_event_type"] = _stripped(frame["sub_event_type"])
    else:
        types = per_distinct(lambda v: pd.DataFrame(
            [ACLED_OLD_TYPES.get(t.strip(), ("", "")) for t in v], columns=["type", "sub"],
            dtype=str), frame["event_type"])
        out["event_type"], out["sub_event_type"] = types["type"], types["sub"]
    if "civilian_targeting" in frame:
        targeting = per_distinct(lambda v: v.str.strip() != "", frame["civilian_targeting"])
    else:
        targeting = per_distinct(lambda v: v == "Violence against civilians", out["event_type"])
    out["civilian_targeting"] = per_distinct(lambda v: v.map({True: "true", False: "false"}),
                                             targeting)
    out["actor1"], extra1 = _actors(frame["actor1"], out["date_start"], lookup, "acled", report,
                                    rule)
    out["actor2"], extra2 = _actors(_text(frame, "actor2"), out["date_start"], lookup, "acled",
                                    report, rule)
    associated = [extra1, extra2]
    for column in ("assoc_actor_1", "assoc_actor_2", "ally_actor_1", "ally_actor_2"):
        if column in frame:
            # ACLED lists associated actors in one cell, ';'-separated (``_parts`` splits it)
            first, rest = _actors(frame[column], out["date_start"], lookup, "acled", report,
                                  rule)
            associated += [first, rest]
    out["assoc_actors"] = _assoc(*associated)
    deaths = _whole_text(frame["fatalities"])
    out["fatalities_best"] = out["fatalities_low"] = out["fatalities_high"] = deaths
    # ACLED gives one toll; where civilians were the target, it is counted as civilian deaths.
    out["deaths_side_a"] = out["deaths_side_b"] = _constant("", frame.index)
    split = per_distinct(lambda toll, civilian: pd.DataFrame({
        "civilians": toll.where(civilian.astype(bool), ""),
        "unknown": toll.where(~civilian.astype(bool), "")}), deaths, targeting)
    out["deaths_civilians"], out["deaths_unknown"] = split["civilians"], split["unknown"]
    out["estimates_repaired"] = _constant("false", frame.index)
    out["source_ids"] = _constant(ACLED_SOURCE, frame.index)
    out["dataset"] = _constant("acled", frame.index)
    out["source_event_id"] = identifier
    out["notes"] = per_distinct(lambda v: v.str.slice(0, 300), _text(frame, "notes"))
    return out, _reasons(frame.index, [
        (out["event_type"] == "", "event_type not in ACLED's taxonomy"),
        (out["date_start"] == "", "event_date cannot be read"),
        (deaths == "", "fatalities is not a whole number")])


def _reasons(index: pd.Index, checks: list[tuple[pd.Series | np.ndarray, str]]) -> pd.Series:
    """Per row, the reason of the first check it fails ('' where it fails none)."""
    reasons = np.full(len(index), "", dtype=object)
    free = np.ones(len(index), dtype=bool)
    for failed, reason in checks:
        hit = free & np.asarray(failed, dtype=bool)
        reasons[hit] = reason
        free &= ~hit
    return pd.Series(reasons, index=index)


def _by_year(mapped: pd.DataFrame, fate: pd.Series) -> pd.DataFrame:
    """Per year of the event's first day: events and best-estimate deaths read, imported, set
    aside as outside the period and rejected."""
    year = per_distinct(lambda d: d.str[:4].where(d != "", "unknown"), mapped["date_start"])
    deaths = per_distinct(lambda v: pd.to_numeric(v, errors="coerce").fillna(0).astype(int),
                          mapped["fatalities_best"]).astype(int)
    table = pd.DataFrame({"year": year.astype(str), "fate": fate, "deaths": deaths})
    fates = ("imported", "outside the period", "rejected")
    totals = table.groupby("year", sort=True)["deaths"].agg(["size", "sum"])
    columns = pd.MultiIndex.from_product([("size", "sum"), fates])
    split = table.groupby(["year", "fate"])["deaths"].agg(["size", "sum"]).unstack(
        "fate", fill_value=0).reindex(index=totals.index, columns=columns, fill_value=0)
    out = pd.DataFrame({"year": totals.index.astype(str), "events read": totals["size"].to_numpy(),
                        "deaths read": totals["sum"].to_numpy()})
    for name in fates:
        out[f"events {name}"] = split[("size", name)].to_numpy(dtype=np.int64)
        out[f"deaths {name}"] = split[("sum", name)].to_numpy(dtype=np.int64)
    return out


def convert(path: Path, source: str, country: str | None = "Mali", candidate: bool = False
            ) -> tuple[pd.DataFrame, pd.DataFrame, ImportReport]:
    """Imported rows (valid against the event schema), the rows set aside (outside the study
    period, or rejected) with their reasons, and the report. ``candidate`` marks a UCDP file
    of monthly Candidate Events (dataset ``ucdp_candidate``, ids ``UCDPC-...``)."""
    name = str(path)
    frame = read_export(path)
    check_columns(frame, source, name)
    report = ImportReport(source=name, read=len(frame))
    mapped, reasons = (map_ucdp if source == "ucdp" else map_acled)(frame, report)
    if candidate and source == "ucdp":
        mapped["dataset"] = _constant(UCDP_CANDIDATE, frame.index)
        mapped["event_id"] = mapped["event_id"].str.replace("UCDP-", "UCDPC-", n=1)
    free = (reasons == "").to_numpy(copy=True)
    if country and "country" in frame:
        outside = free & _flags(per_distinct(
            lambda v: v.str.strip().str.lower() != country.lower(), frame["country"]))
        reasons[outside] = f"country is not {country}"
        free &= ~outside
    early = free & _flags(per_distinct(lambda day: (day != "") & (day < study.START),
                                       mapped["date_start"]))
    reasons[early] = OUTSIDE_PERIOD
    keep = free & ~early
    try:
        valid = validate_frame(_rows(mapped[list(EVENT_COLUMNS)], keep), name)
    except DataError as err:
        for problem in err.problems:
            if problem.row is not None and problem.row in reasons.index:
                reasons[problem.row] = (reasons[problem.row] + "; " if reasons[problem.row]
                                        else "") + f"{problem.column}: {problem.message}"
        keep &= (reasons == "").to_numpy()
        valid = validate_frame(_rows(mapped[list(EVENT_COLUMNS)], keep), name)
    fate = pd.Series(np.where(keep, "imported", np.where(early, "outside the period",
                                                         "rejected")), index=frame.index)
    set_aside = _rows(frame, ~keep).assign(fate=fate[~keep].astype(str),
                                           reason=reasons[~keep].astype(str),
                                           source_row=frame.index[~keep])
    report.imported = len(valid)
    report.outside_period = int(early.sum())
    report.rejected = int((~keep & ~early).sum())
    report.repaired = int(valid["estimates_repaired"].fillna(False).astype(bool).sum())
    report.wide_area = int(valid["admin1"].isna().sum())
    report.by_year = _by_year(mapped, fate)
    assert report.read == report.imported + report.outside_period + report.rejected
    return valid, set_aside, report


def csv_text(frame: pd.DataFrame) -> str:
    """A table as the CSV text the book writes (no index, Unix line ends)."""
    return frame.to_csv(index=False, lineterminator="\n")


def as_csv_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Typed events back to the text form of ``data/events.csv``."""
    out = events[list(EVENT_COLUMNS)].copy()
    for column in ("date_start", "date_end"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    for column in ("civilian_targeting", "estimates_repaired"):
        out[column] = out[column].map({True: "true", False: "false"}).fillna("")
    return out


def set_aside_file(out: Path) -> Path:
    """Where an import keeps the rows it did not import (outside the period or rejected),
    each with its fate and reason: beside the output, ``<name>.set-aside.csv``."""
    return out.with_name(out.stem + ".set-aside.csv")


def import_file(path: Path, source: str, out: Path, country: str | None = "Mali",
                candidate: bool = False) -> ImportReport:
    """Convert ``path`` and write ``out`` and the file of the rows set aside (``set_aside_file``),
    both atomically."""
    valid, set_aside, report = convert(path, source, country, candidate)
    paths.write_atomically(set_aside_file(out), csv_text(set_aside))
    paths.write_atomically(out, csv_text(as_csv_frame(valid)))
    return report
