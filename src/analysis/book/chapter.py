"""What every chapter needs, from one call: ``ch = chapter.setup("history", events_path, start,
end)`` sets the book's chart theme and table display and returns a ``Chapter`` with the
validated events of the period, the period itself, the source line, the data version and the
headline recorder."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths, study
from analysis.book import tables
from analysis.book.charts import use_book_renderer
from analysis.book.provenance import source_line
from analysis.data import load_events
from analysis.transforms import in_period

HEADLINES_ENV = "MALI_BOOK_HEADLINES"


@dataclass
class Chapter:
    """One chapter's context: its name, its events (``date_start`` within ``start``-``end``),
    where they come from and the line that credits them."""

    name: str
    events: pd.DataFrame = field(repr=False)
    events_path: str
    start: str
    end: str

    @property
    def notebook(self) -> str:
        return f"{self.name}.ipynb"

    @property
    def source(self) -> str:
        """The source line printed under each of the chapter's figures."""
        return source_line(self.events_path, self.notebook)

    @property
    def data_version(self) -> str:
        """The content hash naming the events file's version."""
        return paths.dataset_version(self.events_path or None)

    @property
    def period(self) -> str:
        """The period in words, e.g. 'January 2012 to October 2025'."""
        return study.period_label(self.start, self.end)

    def headline(self, name: str, value: object) -> None:
        """Record one of the chapter's headline numbers for a refresh's 'what changed' report.

        It writes only when a refresh asks for it (through an environment variable) and shows
        nothing in the chapter, so it does not change the notebook's outputs.
        """
        folder = os.environ.get(HEADLINES_ENV)
        if not folder:
            return
        file = Path(folder) / f"{self.name}.json"
        recorded = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
        recorded[name] = value.item() if hasattr(value, "item") else value
        file.write_text(json.dumps(recorded, indent=1, ensure_ascii=False, sort_keys=True),
                        encoding="utf-8")


def setup(name: str, events_path: str = "", start: str = "", end: str = "") -> Chapter:
    """Set up the book's charts and tables and return the chapter's context. ``start`` empty
    means the study's first day; ``end`` empty means the last day of the data's last month."""
    use_book_renderer()
    tables.use_book_tables()
    pd.set_option("display.max_rows", None)  # long tables scroll, rows never hidden
    pd.set_option("display.max_colwidth", None)  # tables wrap their text, never cut it
    everything = load_events(events_path or None)
    start = start or study.START
    end = study.period_end(everything, end)
    events = in_period(everything, start, end).reset_index(drop=True)
    return Chapter(name, events, events_path, start, end)
