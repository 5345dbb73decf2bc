"""Merging event tables from several datasets: one row per event, the preferred dataset's."""

from __future__ import annotations

import pandas as pd

from analysis.errors import DataError, Problem

#: Which dataset's row is kept when two rows describe the same event.
DATASET_PRIORITY = ("curated", "ucdp", "ucdp_candidate", "acled")


def drop_superseded_candidates(combined: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """UCDP's monthly Candidate Events are superseded by a GED release for the months the
    release covers: candidate rows starting on or before the release's last event are dropped
    (their final versions, possibly revised, are in the release). Returns the table and the
    number dropped."""
    ged = combined[combined["dataset"] == "ucdp"]
    candidate = combined["dataset"] == "ucdp_candidate"
    if ged.empty or not candidate.any():
        return combined, 0
    covered = candidate & (combined["date_start"] <= ged["date_start"].max())
    return combined[~covered], int(covered.sum())


def merge(tables: list[pd.DataFrame], days: int = 1) -> tuple[pd.DataFrame, int]:
    """Combine event tables, dropping rows that repeat an event from a preferred dataset.

    Two rows from different datasets are the same event when they share the region
    (``admin1``), the unordered pair of actors and the event type, and start within ``days``
    days of each other; the row from the dataset earlier in ``DATASET_PRIORITY`` is kept.
    Candidate Events a GED release covers are dropped first (``drop_superseded_candidates``).
    Returns the merged table and the number of rows merged away.
    """
    combined, superseded = drop_superseded_candidates(pd.concat(tables, ignore_index=True))
    rank = combined["dataset"].map({d: i for i, d in enumerate(DATASET_PRIORITY)}).fillna(
        len(DATASET_PRIORITY))
    combined = combined.assign(_rank=rank).sort_values(["_rank", "date_start", "event_id"],
                                                       ignore_index=True)
    pair = [tuple(sorted((str(a), str(b) if pd.notna(b) else "")))
            for a, b in zip(combined["actor1"], combined["actor2"], strict=True)]
    combined["_key"] = [(r, p, t) for r, p, t in zip(combined["admin1"], pair,
                                                      combined["event_type"], strict=True)]
    kept: dict[tuple, list[tuple[pd.Timestamp, str]]] = {}
    drop = []
    for index, row in combined.iterrows():
        earlier = kept.setdefault(row["_key"], [])
        if any(abs((row["date_start"] - date).days) <= days and dataset != row["dataset"]
               for date, dataset in earlier):
            drop.append(index)
            continue
        earlier.append((row["date_start"], row["dataset"]))
    merged = combined.drop(index=drop).drop(columns=["_rank", "_key"])
    if merged["event_id"].duplicated().any():
        repeated = sorted(merged.loc[merged["event_id"].duplicated(), "event_id"])[:5]
        raise DataError([Problem("merge", None, "event_id",
                                 "the same event_id appears in several files: "
                                 + ", ".join(repeated))])
    return (merged.sort_values(["date_start", "event_id"], ignore_index=True),
            len(drop) + superseded)
