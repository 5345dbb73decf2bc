"""The front page's findings on constructed events with known answers."""

from __future__ import annotations

import pandas as pd
from factories import events_frame

from analysis.book import findings

COLUMNS = ["event_id", "date_start", "date_end", "event_type", "sub_event_type", "actor1",
           "actor2", "fatalities_best", "admin1"]


def frame(rows):
    return events_frame(COLUMNS, rows)


def test_full_years_and_the_deadliest_year():
    assert findings.full_years(pd.DataFrame(), "2025-12-31") == 2025
    assert findings.full_years(pd.DataFrame(), "2026-04-30") == 2025
    events = frame([
        ("1", "2022-03-01", "2022-03-01", "Battles", "Armed clash", "jnim", "fama", 50, "Mopti"),
        ("2", "2024-03-01", "2024-03-01", "Battles", "Armed clash", "jnim", "fama", 80, "Gao"),
        ("3", "2025-03-01", "2025-03-01", "Battles", "Armed clash", "jnim", "fama", 30, "Kayes"),
        ("4", "2026-01-01", "2026-01-01", "Strategic developments", "Agreement", "fama", "",
         0, "Bamako")])
    found = findings.deadliest_year(events, "2026-04-30")
    assert found["finding"].endswith("is 2024.")
    assert found["number"] == "80 reported deaths in 2024; 30 in 2025"


def test_the_shift_south_and_west_is_stated_only_when_it_happened():
    rows = [(str(i), f"{year}-0{1 + i % 9}-01", f"{year}-0{1 + i % 9}-01", "Battles",
             "Armed clash", "jnim", "fama", 10, region)
            for i, (year, region) in enumerate(
                [(2021, "Mopti"), (2022, "Mopti"), (2023, "Kayes"), (2023, "Gao"),
                 (2025, "Kayes"), (2025, "Koulikoro"), (2025, "Mopti"), (2025, "Gao")])]
    found = findings.shift_south_west(frame(rows), "2025-12-31")
    # 2021: 0, 2022: 0, 2023: 1/2 -> mean 1/6; 2025: 2/4
    assert found["finding"].startswith("Violence has shifted")
    assert found["number"].startswith("50% of violent events in 2025, against 17%")
    flat = [r for r in rows if r[1][:4] != "2025"] + [
        ("9", "2025-02-01", "2025-02-01", "Battles", "Armed clash", "jnim", "fama", 10, "Gao")]
    assert "has not shifted" in findings.shift_south_west(frame(flat), "2025-12-31")["finding"]
