"""Migrate data/events.csv to schema v2 (run from the book's root; safe to run again).

Schema v2 adds the deaths by side (deaths_side_a, deaths_side_b, deaths_civilians,
deaths_unknown) and estimates_repaired. For each row with a best toll:
- the split comes from sourcing/death_split_from_reporting.csv (rows coded from their reporting
  in the sourcing round of December 2026), else from sourcing/death_split_from_notes.csv (the
  split the row's notes state, coded and reviewed), else the whole toll is unknown;
- the part the sources do not assign goes to deaths_unknown, so the four parts sum to the toll.
A row without a best toll keeps the four parts empty; a row not in the split files whose four
parts are already filled and sum to its toll is kept as it is (a correction made since).
estimates_repaired is false for curated rows (their ranges are the curators' own). The result
is validated before it replaces the file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis import paths  # noqa: E402
from analysis.data import check_events  # noqa: E402
from analysis.schema import DEATH_PARTS, EVENT_COLUMNS  # noqa: E402

SPLITS = (ROOT / "sourcing" / "death_split_from_reporting.csv",
          ROOT / "sourcing" / "death_split_from_notes.csv")


def split_table() -> pd.DataFrame:
    """The coded splits, the reporting's first, by event id (text cells)."""
    tables = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in SPLITS if f.exists()]
    table = pd.concat(tables, ignore_index=True).drop_duplicates("event_id", keep="first")
    return table.set_index("event_id")[list(DEATH_PARTS)]


def migrate(events: pd.DataFrame, splits: pd.DataFrame) -> pd.DataFrame:
    out = events.copy()
    for column in (*DEATH_PARTS, "estimates_repaired"):
        if column not in out:
            out[column] = ""
    for row in out.itertuples():
        best = row.fatalities_best
        if best == "":
            out.loc[row.Index, list(DEATH_PARTS)] = ""
            continue
        present = [getattr(row, c, "") for c in DEATH_PARTS]
        if (row.event_id not in splits.index and all(v != "" for v in present)
                and sum(map(int, present)) == int(best)):
            continue  # already migrated, or corrected by hand since: kept as it is
        coded = splits.loc[row.event_id] if row.event_id in splits.index else None
        parts = {c: int(coded[c]) if coded is not None and coded[c] != "" else 0
                 for c in DEATH_PARTS[:3]}
        known = sum(parts.values())
        if known > int(best):  # a split of another source's figure: not used
            parts, known = dict.fromkeys(DEATH_PARTS[:3], 0), 0
        parts["deaths_unknown"] = int(best) - known
        for column, value in parts.items():
            out.loc[row.Index, column] = str(value)
    out["estimates_repaired"] = out["estimates_repaired"].replace("", "false")
    return out[list(EVENT_COLUMNS)]


def main() -> None:
    events = pd.read_csv(paths.EVENTS, dtype=str, keep_default_na=False)
    migrated = migrate(events, split_table())
    staged = paths.EVENTS.with_name(".events.v2.csv")
    migrated.to_csv(staged, index=False, lineterminator="\n")
    check_events(staged)
    staged.replace(paths.EVENTS)
    parts = migrated[list(DEATH_PARTS)].replace("", "0").astype(int).sum()
    print(f"migrated {len(migrated)} rows; deaths by part: {parts.to_dict()}")


if __name__ == "__main__":
    main()
