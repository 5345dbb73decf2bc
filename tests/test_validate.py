"""Validation names the file, row and column of every problem, and accepts valid files."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from factories import event_row

from analysis.data import check_events
from analysis.errors import DataError
from analysis.validate import read_csv_strings, validate_frame


def problems_of(path):
    with pytest.raises(DataError) as caught:
        check_events(path)
    return caught.value.problems


def test_valid_file_is_accepted(events_file):
    path = events_file([event_row(), event_row(event_id="T-0002", fatalities_best="",
                                               fatalities_low="", fatalities_high="")])
    events = check_events(path)
    assert len(events) == 2
    assert str(events["date_start"].dtype).startswith("datetime64")
    assert events["fatalities_best"].isna().sum() == 1


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"date_start": "23/03/2019"}, "date_start", "is not a date"),
        ({"fatalities_best": "many"}, "fatalities_best", "is not a whole number"),
        ({"fatalities_best": "-3", "fatalities_low": ""}, "fatalities_best", "must be >= 0"),
        ({"fatalities_low": "200"}, "fatalities_best", "fatalities_low <= fatalities_best"),
        ({"latitude": "48.85"}, "latitude", "must be <= 25.1 (outside Mali)"),
        ({"admin1": "Paris"}, "admin1", "not an allowed value"),
        ({"sub_event_type": "Air/drone strike"}, "sub_event_type", "belongs to event_type"),
        ({"event_type": "Massacre"}, "event_type", "not an allowed value"),
        ({"date_end": "2019-03-01"}, "date_end", "on or after date_start"),
        ({"date_start": "2009-01-01", "date_end": "2009-01-01"}, "date_start", "study period"),
        ({"civilian_targeting": "maybe"}, "civilian_targeting", "true or false"),
        ({"location": ""}, "location", "empty but required"),
        ({"actor1": "martians"}, "actor1", "unknown actor"),
        ({"source_ids": "nosuchkey2020"}, "source_ids", "unknown source"),
    ],
)
def test_bad_cell_is_reported_with_row_and_column(events_file, overrides, column, fragment):
    path = events_file([event_row(event_id="T-0001"), event_row(event_id="T-0002", **overrides)])
    problems = problems_of(path)
    matching = [p for p in problems if p.column == column and fragment in p.message]
    assert matching, [str(p) for p in problems]
    assert all(p.row == 3 for p in matching)  # header is row 1, the bad event row 3
    assert str(path) in str(matching[0])


def test_duplicate_event_ids_are_reported(events_file):
    path = events_file([event_row(), event_row()])
    problems = problems_of(path)
    assert any(p.column == "event_id" and "duplicate" in p.message for p in problems)


def test_missing_column_is_named(events_file):
    from analysis.schema import EVENT_COLUMNS

    columns = [c for c in EVENT_COLUMNS if c != "fatalities_best"]
    path = events_file([event_row()], columns=columns)
    problems = problems_of(path)
    assert problems[0].row == 1 and "fatalities_best" in problems[0].column


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"event_id;date_start;date_end\nA;2019-01-01;2019-01-01\n", "not comma-separated"),
        ("event_id,location\nA,Ségou\n".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_unreadable_files_get_a_clear_error(tmp_path, content, fragment):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        read_csv_strings(path)
    assert fragment in str(caught.value)
    assert str(path) in str(caught.value)


def test_header_only_and_ragged_rows(events_file, tmp_path):
    header_only = events_file([])
    with pytest.raises(DataError, match="header only"):
        read_csv_strings(header_only)
    ragged = events_file([event_row()])
    ragged.write_text(ragged.read_text(encoding="utf-8") + "T-9,2019-01-01\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_csv_strings(ragged)
    assert caught.value.problems[0].row == 3


def test_byte_order_mark_is_accepted(events_file):
    path = events_file([event_row()])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(check_events(path)) == 1


def test_validate_frame_returns_typed_columns(events_file):
    frame = read_csv_strings(events_file([event_row()]))
    typed = validate_frame(frame, "x.csv")
    assert typed["fatalities_best"].iloc[0] == 157
    assert bool(typed["civilian_targeting"].iloc[0]) is True


def test_cli_exit_status_and_messages(events_file):
    good = events_file([event_row()], name="good.csv")
    bad = events_file([event_row(admin1="Atlantis")], name="bad.csv")
    ok = subprocess.run([sys.executable, "-m", "analysis", "validate", str(good)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "valid (1 events" in ok.stdout
    ko = subprocess.run([sys.executable, "-m", "analysis", "validate", str(bad)],
                        capture_output=True, text=True)
    assert ko.returncode == 1
    assert "row 2, column 'admin1'" in ko.stderr and "Atlantis" in ko.stderr
    assert "Traceback" not in ko.stderr


def test_convert_distinct_converts_each_value_once_and_keeps_the_index():
    from analysis.cells import convert_distinct

    values = pd.Series(["b", "a", "b", None, "a", "b"], index=[7, 3, 9, 4, 5, 6],
                       dtype="string", name="cells")
    seen = []

    def upper(distinct: pd.Series) -> pd.Series:
        seen.extend(distinct.tolist())
        return distinct.str.upper()

    converted = convert_distinct(values, upper)
    assert converted.tolist()[:3] == ["B", "A", "B"] and pd.isna(converted[4])
    assert list(converted.index) == [7, 3, 9, 4, 5, 6] and converted.name == "cells"
    assert len(seen) == 3  # 'b', 'a' and the missing value, once each
    pd.testing.assert_series_equal(converted, values.str.upper())


V2 = ("deaths_side_a", "deaths_side_b", "deaths_civilians", "deaths_unknown",
      "estimates_repaired")


def v2_row(**overrides: str) -> dict[str, str]:
    """The factories' row (Ogossagou, 157 civilians killed) with its v2 columns."""
    row = event_row(deaths_side_a="0", deaths_side_b="0", deaths_civilians="157",
                    deaths_unknown="0", estimates_repaired="false")
    row.update(overrides)
    return row


def test_schema_v2_rules(events_file):
    from analysis.schema import EVENT_COLUMNS

    def located(rows):
        path = events_file(rows, columns=EVENT_COLUMNS)
        return [(p.row, p.column) for p in problems_of(path)]

    assert check_events(events_file([v2_row()], columns=EVENT_COLUMNS)) is not None
    # the parts may not exceed the best toll
    assert located([v2_row(deaths_unknown="10")]) == [(2, "deaths_unknown")]
    # civilians targeted: their deaths are civilian deaths, not the target side's
    assert located([v2_row(deaths_side_b="7", deaths_civilians="150")]) == [
        (2, "deaths_side_b")]
    # no region only for an event placed in a wider area
    assert located([v2_row(admin1="")]) == [(2, "admin1")]
    wide = v2_row(admin1="", geo_precision="4")
    assert len(check_events(events_file([wide], columns=EVENT_COLUMNS))) == 1


def test_a_schema_v1_file_is_read_with_the_new_columns_empty(events_file):
    from analysis.schema import REQUIRED_COLUMNS

    path = events_file([event_row()], columns=REQUIRED_COLUMNS)
    events = check_events(path)
    assert all(column in events for column in V2)
    assert events[list(V2[:4])].isna().all().all()
