"""The study's facts, in one place: the book's title, authors, version and licence, and its
period (from 1 January 2012 to the last month of the data unless another end is given).

The version is the library's, declared once in ``pyproject.toml`` and read from the package
metadata. Notebooks, the command line, the Makefile (``python -m analysis study``), the figure
citations and the site's footer all take these facts from here.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

TITLE = "Mali's Security Crisis since 2012"
SUBTITLE = "An Executable Book"
FULL_TITLE = f"{TITLE}: {SUBTITLE}"
AUTHORS = "The Mali Conflict Book contributors"
YEAR = "2026"
LICENCE_TEXT = "CC BY 4.0"
LICENCE_CODE = "MIT"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

#: The first day of the study period.
START = "2012-01-01"

try:
    VERSION = version("analysis")
except PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0+unknown"


def period_end(events: pd.DataFrame, end: str = "") -> str:
    """The study period's last day: ``end`` when given, else the last day of the month of the
    data's latest event (``date_start``); empty data give the last day of the current month."""
    import pandas as pd

    if end:
        return str(pd.Timestamp(end).date())
    latest = events["date_start"].max() if len(events) else pd.NaT
    anchor = pd.Timestamp.today() if pd.isna(latest) else pd.Timestamp(latest)
    return str((anchor + pd.offsets.MonthEnd(0)).date())


def period_label(start: str, end: str) -> str:
    """'January 2012 to October 2025' for a period given as ISO days."""
    import pandas as pd

    return f"{pd.Timestamp(start):%B %Y} to {pd.Timestamp(end):%B %Y}"
