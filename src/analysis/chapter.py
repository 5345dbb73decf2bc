"""The preamble every chapter runs: theme, renderer, display options, then the data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from analysis.charts import use_book_renderer
from analysis.data import load_events
from analysis.transforms import in_period


def setup(events_path: str = "", start: str = "2012-01-01", end: str = "2025-10-31"
          ) -> pd.DataFrame:
    """Set up the book's charts and tables and return the validated events in the period."""
    use_book_renderer()
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.max_colwidth", 80)
    return in_period(load_events(events_path or None), start, end).reset_index(drop=True)


HEADLINES_ENV = "MALI_BOOK_HEADLINES"


def headline(chapter: str, name: str, value: object) -> None:
    """Record one of the chapter's headline numbers for the 'what changed' report of a refresh.

    It writes only when a refresh asks for it (through an environment variable) and shows
    nothing in the chapter, so it does not change the notebook's outputs.
    """
    folder = os.environ.get(HEADLINES_ENV)
    if not folder:
        return
    file = Path(folder) / f"{chapter}.json"
    recorded = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
    recorded[name] = value.item() if hasattr(value, "item") else value
    file.write_text(json.dumps(recorded, indent=1, ensure_ascii=False, sort_keys=True),
                    encoding="utf-8")
