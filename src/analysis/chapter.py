"""The preamble every chapter runs: theme, renderer, display options, then the data."""

from __future__ import annotations

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
