"""Importing UCDP GED and ACLED exports into the tidy schema, with exact row accounting.

Every row read is either imported or written to a quarantine file with its reason:
``read = imported + rejected`` always holds. Output is written atomically.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths, study
from analysis.cells import convert_distinct, partial_date
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
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(columns,
                                                                            pa.string()),
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
    return table.to_pandas(types_mapper=lambda kind: text if kind == pa.string() else None)


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
    frame = (_fast_read(raw.removeprefix(b"\xef\xbb\xbf"))
             if re.search(rb"\S", raw[:1 << 16]) or re.search(rb"\S", raw) else None)
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


Rule = Callable[[str], "str | None"]


def _parts(name: str, lookup: dict[str, list[Candidate]], rule: Rule | None
           ) -> list[tuple[str, str]]:
    """How a name resolves: ('alias', name) for a registry alias, ('id', actor_id) for a
    naming rule, ('unknown', name) otherwise. A side naming several actors ('CM-FPR, GATIA,
    MAA') that is not itself an alias is split at its commas."""
    if name in lookup:
        return [("alias", name)]
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
    counted in the report."""
    cleaned = names.fillna("").astype("string").str.strip()
    distinct = pd.Series(cleaned.unique())
    plans = {name: _parts(name, lookup, rule) if name else [] for name in distinct}
    shared = {name for name, plan in plans.items()
              if any(kind == "alias" and len(lookup[value]) > 1 for kind, value in plan)}
    # The day matters only for a name listed by several registry actors.
    day = days.fillna("").astype("string").where(cleaned.isin(list(shared)), "")
    name_codes, name_values = pd.factorize(cleaned)
    day_codes, day_values = pd.factorize(day)
    codes, pair_codes = pd.factorize(name_codes * max(len(day_values), 1) + day_codes)
    distinct_pairs = [(name_values[c // max(len(day_values), 1)],
                       day_values[c % max(len(day_values), 1)]) for c in pair_codes]
    resolved = []
    for name, when in distinct_pairs:
        moment = pd.Timestamp(when) if when else pd.NaT
        resolved.append(";".join(
            resolve_alias(lookup[value], moment) if kind == "alias" else value
            if kind == "id" else namespace + ":" + value.replace(";", ",")
            for kind, value in plans.get(name, [])))
    joined = pd.Series(pd.array(resolved, dtype="string").take(codes), index=names.index)
    counts = cleaned.value_counts()
    for name, plan in plans.items():
        for kind, value in plan:
            if kind == "unknown":
                report.unknown_actors[value] = (report.unknown_actors.get(value, 0)
                                                + int(counts[name]))
    split = joined.str.partition(";")
    return split[0].astype("string"), split[2].astype("string")


def _assoc(*columns: pd.Series) -> pd.Series:
    """';'-joined non-empty ids from several columns of ids."""
    joined = columns[0]
    for column in columns[1:]:
        joined = joined.str.cat(column, sep=";")
    return joined.str.replace(r";{2,}", ";", regex=True).str.strip(";")


def _whole(values: pd.Series) -> pd.Series:
    """Cells as whole numbers (nullable); anything else missing (each distinct cell parsed
    once)."""
    return convert_distinct(values, lambda distinct: parse_cells(distinct.str.strip(), "integer"))


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


def _text_of(numbers: pd.Series) -> pd.Series:
    return numbers.astype("string").fillna("")


#: The dataset name of rows from UCDP's monthly Candidate Events (not yet in a GED release).
UCDP_CANDIDATE = "ucdp_candidate"


def map_ucdp(frame: pd.DataFrame, report: ImportReport) -> tuple[pd.DataFrame, pd.Series]:
    """UCDP GED rows (GED releases and candidate events, bulk CSV or web export) in the tidy
    schema, and a reason for each row that cannot be read."""
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
    out["location"] = place.str.strip().where(place.str.strip() != "", "Mali")
    out["latitude"] = frame["latitude"].str.strip()
    out["longitude"] = frame["longitude"].str.strip()
    precision = _text(frame, "where_prec", "1").str.strip().map(UCDP_GEO_PRECISION).fillna(3)
    out["geo_precision"] = precision.astype(int).astype(str).where(out["admin1"] != "", "4")
    for position, column in enumerate(("event_type", "sub_event_type", "civilian_targeting")):
        meaning = {code: str(kind[position]).lower() if column == "civilian_targeting"
                   else kind[position] for code, kind in UCDP_TYPES.items()}
        out[column] = violence.map(meaning).fillna("")
    out["actor1"], extra_a = _actors(frame["side_a"], out["date_start"], lookup, "ucdp", report)
    out["actor2"], extra_b = _actors(frame["side_b"], out["date_start"], lookup, "ucdp", report)
    out["assoc_actors"] = _assoc(extra_a, extra_b)
    best = _whole(_column(frame, ("best", "best_est")))
    low, high, repaired = repaired_estimates(_whole(_column(frame, ("low", "low_est"))), best,
                                             _whole(_column(frame, ("high", "high_est"))))
    out["fatalities_best"], out["fatalities_low"] = _text_of(best), _text_of(low)
    out["fatalities_high"] = _text_of(high)
    for column, source in (("deaths_side_a", "deaths_a"), ("deaths_side_b", "deaths_b"),
                           ("deaths_civilians", "deaths_civilians"),
                           ("deaths_unknown", "deaths_unknown")):
        out[column] = _text_of(_whole(frame[source])) if source in frame else ""
    out["estimates_repaired"] = repaired.map({True: "true", False: "false"})
    out["source_ids"] = UCDP_SOURCE
    out["dataset"] = "ucdp"
    out["source_event_id"] = frame["id"].str.strip()
    out["notes"] = _text(frame, "source_headline").str.slice(0, 300)
    reasons = pd.Series("", index=frame.index)
    reasons[~violence.isin(list(UCDP_TYPES))] = "type_of_violence is not 1, 2 or 3"
    reasons[(reasons == "") & (out["date_start"] == "")] = "date_start cannot be read"
    reasons[(reasons == "") & best.isna()] = "no best estimate of deaths"
    return out, reasons


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


def acled_rule(name: str, acronyms: dict[str, str]) -> str | None:
    """The registry actor an ACLED name stands for by ACLED's naming rules, or None:
    state forces and governments with their period suffix; 'ACRONYM: full name' movements;
    katibas to their parent group; civilian and identity categories to civilians; community
    militias to the registry's militia of that community (else to communal militias);
    protesters and rioters to protesters; unidentified armed groups."""
    if " and/or " in name:
        return None  # a joint or uncertain attribution: only a registry alias may resolve it
    if name.startswith("Mutiny of Military Forces of Mali"):
        return "mutinous_soldiers"
    if match := re.match(STATE_FORCE, name):
        return FORCES_OF.get(match["country"].strip())
    if match := re.match(GOVERNMENT, name):
        return "mali_government" if match["country"].strip() == "Mali" else None
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
    if match := re.match(r"^(?P<acronym>[A-Z][A-Za-z-]*)(?:-[A-Za-z]+)?: ", name):
        return acronyms.get(match["acronym"].upper())
    if re.match(r"^Katiba\b", name, flags=re.I):
        return "katiba_macina" if "macina" in name.lower() else "jnim"
    return None


def _acronyms() -> dict[str, str]:
    """Registry acronyms (upper case) to actor ids, for 'ACRONYM: full name' ACLED names."""
    table = {}
    for row in load_actors().itertuples(index=False):
        for acronym in ("" if pd.isna(row.acronym) else str(row.acronym)).split(";"):
            if acronym.strip():
                table.setdefault(acronym.strip().upper(), row.actor_id)
    return table


def map_acled(frame: pd.DataFrame, report: ImportReport) -> tuple[pd.DataFrame, pd.Series]:
    """ACLED rows (current or older layouts) in the tidy schema, and a reason per bad row."""
    lookup = actor_lookup("acled_aliases")
    acronyms = _acronyms()

    def rule(name: str) -> str | None:
        return acled_rule(name, acronyms)

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
    out["location"] = place.str.strip().where(place.str.strip() != "", "Mali")
    out["latitude"] = frame["latitude"].str.strip()
    out["longitude"] = frame["longitude"].str.strip()
    precision = _text(frame, "geo_precision", "3").str.strip().replace("", "3")
    out["geo_precision"] = precision.where(out["admin1"] != "", "4")
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
    out["actor1"], extra1 = _actors(frame["actor1"], out["date_start"], lookup, "acled", report,
                                    rule)
    out["actor2"], extra2 = _actors(_text(frame, "actor2"), out["date_start"], lookup, "acled",
                                    report, rule)
    associated = [extra1, extra2]
    for column in ("assoc_actor_1", "assoc_actor_2", "ally_actor_1", "ally_actor_2"):
        if column in frame:
            pieces = frame[column].str.split(";", expand=True).reindex(columns=range(3))
            for _, part in pieces.astype("string").fillna("").items():
                first, rest = _actors(part, out["date_start"], lookup, "acled", report, rule)
                associated += [first, rest]
    out["assoc_actors"] = _assoc(*associated)
    deaths = _whole(frame["fatalities"])
    out["fatalities_best"] = out["fatalities_low"] = out["fatalities_high"] = _text_of(deaths)
    # ACLED gives one toll; where civilians were the target, it is counted as civilian deaths.
    out["deaths_side_a"] = out["deaths_side_b"] = ""
    out["deaths_civilians"] = _text_of(deaths).where(targeting, "")
    out["deaths_unknown"] = _text_of(deaths).where(~targeting, "")
    out["estimates_repaired"] = "false"
    out["source_ids"] = ACLED_SOURCE
    out["dataset"] = "acled"
    out["source_event_id"] = identifier.str.strip()
    out["notes"] = _text(frame, "notes").str.slice(0, 300)
    reasons = pd.Series("", index=frame.index)
    reasons[out["event_type"] == ""] = "event_type not in ACLED's taxonomy"
    reasons[(reasons == "") & (out["date_start"] == "")] = "event_date cannot be read"
    reasons[(reasons == "") & deaths.isna()] = "fatalities is not a whole number"
    return out, reasons


def _by_year(frame: pd.DataFrame, mapped: pd.DataFrame, fate: pd.Series) -> pd.DataFrame:
    """Per year of the event's first day: events and best-estimate deaths read, imported, set
    aside as outside the period and rejected."""
    year = mapped["date_start"].str[:4].where(mapped["date_start"] != "", "unknown")
    deaths = pd.to_numeric(mapped["fatalities_best"], errors="coerce").fillna(0).astype(int)
    table = pd.DataFrame({"year": year, "fate": fate, "deaths": deaths})
    rows = []
    for value, group in table.groupby("year", sort=True):
        row = {"year": value, "events read": len(group), "deaths read": int(group["deaths"].sum())}
        for name in ("imported", "outside the period", "rejected"):
            chosen = group[group["fate"] == name]
            row[f"events {name}"] = len(chosen)
            row[f"deaths {name}"] = int(chosen["deaths"].sum())
        rows.append(row)
    return pd.DataFrame(rows)


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
        mapped["dataset"] = UCDP_CANDIDATE
        mapped["event_id"] = mapped["event_id"].str.replace("UCDP-", "UCDPC-", n=1)
    if country and "country" in frame:
        outside = frame["country"].str.strip().str.lower() != country.lower()
        reasons[(reasons == "") & outside] = f"country is not {country}"
    early = (mapped["date_start"] != "") & (mapped["date_start"] < study.START)
    reasons = reasons.copy()
    reasons[(reasons == "") & early] = OUTSIDE_PERIOD
    candidates = mapped[reasons == ""][list(EVENT_COLUMNS)]
    try:
        valid = validate_frame(candidates, name)
    except DataError as err:
        for problem in err.problems:
            if problem.row is not None and problem.row in reasons.index:
                reasons[problem.row] = (reasons[problem.row] + "; " if reasons[problem.row]
                                        else "") + f"{problem.column}: {problem.message}"
        valid = validate_frame(mapped[reasons == ""][list(EVENT_COLUMNS)], name)
    fate = pd.Series("imported", index=frame.index)
    fate[reasons == OUTSIDE_PERIOD] = "outside the period"
    fate[(reasons != "") & (reasons != OUTSIDE_PERIOD)] = "rejected"
    set_aside = frame[reasons != ""].assign(
        fate=fate[reasons != ""], reason=reasons[reasons != ""],
        source_row=frame.index[reasons != ""])
    report.imported = len(valid)
    report.outside_period = int((fate == "outside the period").sum())
    report.rejected = int((fate == "rejected").sum())
    report.repaired = int(valid["estimates_repaired"].fillna(False).astype(bool).sum())
    report.wide_area = int(valid["admin1"].isna().sum())
    report.by_year = _by_year(frame, mapped, fate)
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
