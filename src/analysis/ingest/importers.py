"""Importing UCDP GED and ACLED exports into the tidy schema, with exact row accounting.

Every row read is either imported or written to a quarantine file with its reason:
``read = imported + rejected`` always holds. Output is written atomically.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.cells import convert_distinct, partial_date
from analysis.data import load_actors
from analysis.errors import DataError, Problem
from analysis.schema import ADMIN1_REGIONS, EVENT_COLUMNS, NEW_REGION_PARENT
from analysis.validate import read_text, validate_frame

UCDP_SOURCE = "sundberg2013ged"
ACLED_SOURCE = "raleigh2010acled"

#: UCDP's type_of_violence: 1 state-based, 2 non-state, 3 one-sided violence.
UCDP_TYPES = {"1": ("Battles", "Armed clash", False), "2": ("Battles", "Armed clash", False),
              "3": ("Violence against civilians", "Attack", True)}
#: UCDP's date_prec (1 exact day ... 5 only the year) and where_prec (1 exact place ... 7).
UCDP_DATE_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
UCDP_GEO_PRECISION = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 2, "6": 3, "7": 3}
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
REQUIRED = {
    "ucdp": (("id",), ("date_start",), ("date_end",), ("type_of_violence",), ("side_a",),
             ("side_b",), ("latitude",), ("longitude",), ("adm_1",),
             ("best", "best_est"), ("low", "low_est"), ("high", "high_est")),
    "acled": (("event_date",), ("event_type",), ("actor1",), ("admin1",), ("latitude",),
              ("longitude",), ("fatalities",)),
}


@dataclass
class ImportReport:
    """What an import read, kept and set aside."""

    source: str
    read: int = 0
    imported: int = 0
    rejected: int = 0
    unknown_actors: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"{self.source}: read {self.read} = imported {self.imported} + rejected "
                 f"{self.rejected}"]
        if self.unknown_actors:
            lines.append("actors not in data/actors.csv (kept under a namespaced id):")
            lines += [f"  {count:6d}  {name}" for name, count in
                      sorted(self.unknown_actors.items(), key=lambda kv: (-kv[1], kv[0]))]
        return "\n".join(lines)


def _fast_read(data: bytes | str | Path) -> pd.DataFrame | None:
    """All cells as text with pyarrow's CSV reader, or None when the file needs the careful path
    (ragged rows, trailing commas, bad encodings)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    source = pa.py_buffer(data) if isinstance(data, bytes) else str(data)
    try:
        first_block = pacsv.open_csv(source, read_options=pacsv.ReadOptions(block_size=1 << 16),
                                     parse_options=pacsv.ParseOptions(newlines_in_values=True))
        names = first_block.schema.names
        if not names or any(n.strip() == "" for n in names) or len(set(names)) < len(names):
            return None
        source = pa.py_buffer(data) if isinstance(data, bytes) else str(data)
        table = pacsv.read_csv(
            source, parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    frame = table.to_pandas().astype("string").fillna("")
    return frame


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
    else:
        if not path.exists():
            read_text(path)  # raises the clear 'file not found' error
        raw = path.read_bytes()
    frame = _fast_read(raw.removeprefix(b"\xef\xbb\xbf")) if raw.strip() else None
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
    return pd.Series(default, index=frame.index, dtype="string")


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


DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%d %B %Y", "%d-%B-%Y")


def _dates(values: pd.Series) -> pd.Series:
    """ISO dates, UCDP's 'MM/DD/YYYY hh:mm:ss' and ACLED's older day-month-year forms."""
    def parse(distinct: pd.Series) -> pd.Series:
        text = distinct.str.strip()
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        for fmt in DATE_FORMATS:
            missing = parsed.isna()
            if not missing.any():
                break
            parsed[missing] = pd.to_datetime(text[missing], format=fmt, errors="coerce")
        return parsed.dt.strftime("%Y-%m-%d").fillna("").astype("string")

    return convert_distinct(values, parse)


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


def _actors(names: pd.Series, days: pd.Series, lookup: dict[str, list[Candidate]],
            namespace: str, report: ImportReport) -> pd.Series:
    """Registry ids for export names on their events' days (ISO text); a name not in the
    registry is kept as ``namespace:name`` and counted in the report."""
    cleaned = names.fillna("").astype("string").str.strip()
    shared = cleaned.isin([name for name, candidates in lookup.items() if len(candidates) > 1])
    keys = cleaned.where(~shared, cleaned + "\x1f" + days.fillna("").astype("string"))

    def resolve(distinct: pd.Series) -> pd.Series:
        ids = []
        for key in distinct.fillna(""):
            name, _, day = key.partition("\x1f")
            if name == "":
                ids.append("")
            elif name in lookup:
                ids.append(resolve_alias(lookup[name], pd.Timestamp(day) if day else pd.NaT))
            else:
                ids.append(namespace + ":" + name.replace(";", ","))
        return pd.Series(ids, index=distinct.index, dtype="string")

    unknown = (cleaned != "") & ~cleaned.isin(list(lookup))
    for name, count in cleaned[unknown].value_counts().items():
        report.unknown_actors[name] = report.unknown_actors.get(name, 0) + int(count)
    return convert_distinct(keys, resolve).astype("string")


def map_ucdp(frame: pd.DataFrame, report: ImportReport) -> tuple[pd.DataFrame, pd.Series]:
    """UCDP GED rows in the tidy schema, and a reason for each row that cannot be mapped."""
    lookup = actor_lookup("ucdp_aliases")
    violence = frame["type_of_violence"].str.strip()
    out = pd.DataFrame(index=frame.index)
    out["event_id"] = "UCDP-" + frame["id"].str.strip()
    out["date_start"] = _dates(frame["date_start"])
    out["date_end"] = _dates(frame["date_end"])
    out["date_precision"] = _text(frame, "date_prec", "1").str.strip().map(
        UCDP_DATE_PRECISION).fillna("day")
    out["admin1"] = convert_distinct(frame["adm_1"], lambda v: v.map(region_of))
    out["admin2"] = _text(frame, "adm_2").str.strip().str.removesuffix(" cercle")
    place = frame["where_coordinates"] if "where_coordinates" in frame else frame["adm_1"]
    out["location"] = place.str.strip()
    out["latitude"] = frame["latitude"].str.strip()
    out["longitude"] = frame["longitude"].str.strip()
    out["geo_precision"] = _text(frame, "where_prec", "1").str.strip().map(
        UCDP_GEO_PRECISION).fillna(3).astype(int).astype(str)
    for position, column in enumerate(("event_type", "sub_event_type", "civilian_targeting")):
        meaning = {code: str(kind[position]).lower() if column == "civilian_targeting"
                   else kind[position] for code, kind in UCDP_TYPES.items()}
        out[column] = violence.map(meaning).fillna("")
    out["actor1"] = _actors(frame["side_a"], out["date_start"], lookup, "ucdp", report)
    out["actor2"] = _actors(frame["side_b"], out["date_start"], lookup, "ucdp", report)
    out["assoc_actors"] = ""
    out["fatalities_best"] = _column(frame, ("best", "best_est")).str.strip()
    out["fatalities_low"] = _column(frame, ("low", "low_est")).str.strip()
    out["fatalities_high"] = _column(frame, ("high", "high_est")).str.strip()
    out["source_ids"] = UCDP_SOURCE
    out["dataset"] = "ucdp"
    out["source_event_id"] = frame["id"].str.strip()
    out["notes"] = _text(frame, "source_headline").str.slice(0, 300)
    reasons = pd.Series("", index=frame.index)
    reasons[~violence.isin(list(UCDP_TYPES))] = "type_of_violence is not 1, 2 or 3"
    reasons[(reasons == "") & (out["admin1"] == "")] = "adm_1 is not a region of Mali"
    reasons[(reasons == "") & (out["date_start"] == "")] = "date_start cannot be read"
    return out, reasons


def map_acled(frame: pd.DataFrame, report: ImportReport) -> tuple[pd.DataFrame, pd.Series]:
    """ACLED rows (current or older layouts) in the tidy schema, and a reason per bad row."""
    lookup = actor_lookup("acled_aliases")
    out = pd.DataFrame(index=frame.index)
    identifier = frame["event_id_cnty"] if "event_id_cnty" in frame else _text(
        frame, "data_id")
    identifier = identifier.where(identifier.str.strip() != "",
                                  pd.Series([f"row{i}" for i in frame.index], index=frame.index))
    out["event_id"] = "ACLED-" + identifier.str.strip()
    out["date_start"] = _dates(frame["event_date"])
    out["date_end"] = out["date_start"]
    out["date_precision"] = _text(frame, "time_precision", "1").str.strip().map(
        ACLED_DATE_PRECISION).fillna("day")
    out["admin1"] = convert_distinct(frame["admin1"], lambda v: v.map(region_of))
    out["admin2"] = _text(frame, "admin2").str.strip()
    place = frame["location"] if "location" in frame else frame["admin1"]
    out["location"] = place.str.strip()
    out["latitude"] = frame["latitude"].str.strip()
    out["longitude"] = frame["longitude"].str.strip()
    out["geo_precision"] = _text(frame, "geo_precision", "3").str.strip().replace("", "3")
    if "sub_event_type" in frame:
        out["event_type"] = frame["event_type"].str.strip()
        out["sub_event_type"] = frame["sub_event_type"].str.strip()
    else:
        mapped = [ACLED_OLD_TYPES.get(t.strip(), ("", "")) for t in frame["event_type"]]
        out["event_type"] = [t for t, _ in mapped]
        out["sub_event_type"] = [s for _, s in mapped]
    if "civilian_targeting" in frame:
        targeting = frame["civilian_targeting"].str.strip() != ""
    else:
        targeting = out["event_type"] == "Violence against civilians"
    out["civilian_targeting"] = targeting.map({True: "true", False: "false"})
    out["actor1"] = _actors(frame["actor1"], out["date_start"], lookup, "acled", report)
    out["actor2"] = _actors(_text(frame, "actor2"), out["date_start"], lookup, "acled", report)
    associated = [frame[c] for c in ("assoc_actor_1", "assoc_actor_2", "ally_actor_1",
                                     "ally_actor_2") if c in frame]
    out["assoc_actors"] = ""
    for column in associated:
        ids = _actors(column, out["date_start"], lookup, "acled", report)
        out["assoc_actors"] = out["assoc_actors"].str.cat(ids, sep=";").str.strip(";")
    deaths = frame["fatalities"].str.strip()
    out["fatalities_best"] = deaths
    out["fatalities_low"] = deaths
    out["fatalities_high"] = deaths
    out["source_ids"] = ACLED_SOURCE
    out["dataset"] = "acled"
    out["source_event_id"] = identifier.str.strip()
    out["notes"] = _text(frame, "notes").str.slice(0, 300)
    reasons = pd.Series("", index=frame.index)
    reasons[out["event_type"] == ""] = "event_type not in ACLED's taxonomy"
    reasons[(reasons == "") & (out["admin1"] == "")] = "admin1 is not a region of Mali"
    reasons[(reasons == "") & (out["date_start"] == "")] = "event_date cannot be read"
    return out, reasons


def convert(path: Path, source: str, country: str | None = "Mali"
            ) -> tuple[pd.DataFrame, pd.DataFrame, ImportReport]:
    """Imported rows (valid schema v1), rejected rows with reasons, and the report."""
    name = str(path)
    frame = read_export(path)
    check_columns(frame, source, name)
    report = ImportReport(source=name, read=len(frame))
    outside = pd.Series(False, index=frame.index)
    if country and "country" in frame:
        outside = frame["country"].str.strip().str.lower() != country.lower()
    mapped, reasons = (map_ucdp if source == "ucdp" else map_acled)(frame, report)
    reasons[(reasons == "") & outside] = f"country is not {country}"
    reasons = reasons.copy()
    candidates = mapped[reasons == ""][list(EVENT_COLUMNS)]
    try:
        valid = validate_frame(candidates, name)
    except DataError as err:
        for problem in err.problems:
            if problem.row is not None and problem.row in reasons.index:
                reasons[problem.row] = (reasons[problem.row] + "; " if reasons[problem.row]
                                        else "") + f"{problem.column}: {problem.message}"
        valid = validate_frame(mapped[reasons == ""][list(EVENT_COLUMNS)], name)
    rejected = frame[reasons != ""].assign(rejection_reason=reasons[reasons != ""],
                                           source_row=frame.index[reasons != ""])
    report.imported, report.rejected = len(valid), len(rejected)
    assert report.read == report.imported + report.rejected
    return valid, rejected, report


def csv_text(frame: pd.DataFrame) -> str:
    """A table as the CSV text the book writes (no index, Unix line ends)."""
    return frame.to_csv(index=False, lineterminator="\n")


def as_csv_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Typed events back to the text form of ``data/events.csv``."""
    out = events[list(EVENT_COLUMNS)].copy()
    for column in ("date_start", "date_end"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    out["civilian_targeting"] = out["civilian_targeting"].map({True: "true", False: "false"})
    return out


def import_file(path: Path, source: str, out: Path, country: str | None = "Mali"
                ) -> ImportReport:
    """Convert ``path`` and write ``out`` and its quarantine file, both atomically."""
    valid, rejected, report = convert(path, source, country)
    quarantine = out.with_name(out.stem + ".rejected.csv")
    paths.write_atomically(quarantine, csv_text(rejected))
    paths.write_atomically(out, csv_text(as_csv_frame(valid)))
    return report
