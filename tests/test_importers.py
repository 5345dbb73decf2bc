"""UCDP GED and ACLED imports: both UCDP forms, old and new ACLED layouts, exact accounting."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from factories import UCDP_COLUMNS, ucdp_rows, write_csv

from analysis.errors import DataError
from analysis.ingest.importers import convert, import_file


@pytest.fixture
def ucdp_bulk_zip(tmp_path: Path) -> Path:
    rows = ucdp_rows(("best", "low", "high"))
    csv_file = write_csv(tmp_path / "GEDEvent_v25_1.csv", rows,
                         [*UCDP_COLUMNS, "best", "low", "high"])
    archive = tmp_path / "ged251-csv.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(csv_file, csv_file.name)
    return archive


@pytest.fixture
def ucdp_country_export(tmp_path: Path) -> Path:
    rows = ucdp_rows(("best_est", "low_est", "high_est"), date="09/30/2019 00:00:00")
    return write_csv(tmp_path / "ucdp_mali.csv", rows,
                     [*UCDP_COLUMNS, "best_est", "low_est", "high_est"], trailing_comma=True)


@pytest.mark.parametrize("fixture", ["ucdp_bulk_zip", "ucdp_country_export"])
def test_ucdp_both_forms(fixture, request):
    path = request.getfixturevalue(fixture)
    events, rejected, report = convert(path, "ucdp")
    assert (report.read, report.imported, report.rejected) == (4, 2, 2)
    first = events.set_index("event_id").loc["UCDP-101"]
    assert first["date_start"] == pd.Timestamp("2019-09-30")
    assert (first["actor1"], first["actor2"]) == ("fama", "jnim")
    assert (first["fatalities_low"], first["fatalities_best"], first["fatalities_high"]) == (
        25, 38, 80)
    assert first["admin1"] == "Mopti" and first["event_type"] == "Battles"
    second = events.set_index("event_id").loc["UCDP-102"]
    assert second["actor1"] == "ucdp:Some New Militia" and bool(second["civilian_targeting"])
    assert "\n" in second["notes"]  # a quoted newline stays inside its cell
    assert report.unknown_actors == {"Some New Militia": 1}  # Niger is in the registry
    reasons = dict(zip(rejected["id"], rejected["reason"], strict=True))
    assert reasons["103"] == "country is not Mali"
    assert reasons["104"] == "type_of_violence is not 1, 2 or 3"


ACLED_NEW = ["event_id_cnty", "event_date", "year", "time_precision", "event_type",
             "sub_event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2",
             "civilian_targeting", "country", "admin1", "admin2", "location", "latitude",
             "longitude", "geo_precision", "notes", "fatalities"]


def test_acled_current_layout(tmp_path):
    rows = [
        {"event_id_cnty": "MLI1", "event_date": "2024-09-17", "year": "2024",
         "time_precision": "1", "event_type": "Battles", "sub_event_type": "Armed clash",
         "actor1": "JNIM: Group for Support of Islam and Muslims", "assoc_actor_1": "",
         "actor2": "Unknown Force X", "assoc_actor_2": "", "civilian_targeting": "",
         "country": "Mali", "admin1": "Bamako", "admin2": "Bamako", "location": "Bamako",
         "latitude": "12.64", "longitude": "-8.0", "geo_precision": "1", "notes": "n",
         "fatalities": "77"},
        {"event_id_cnty": "MLI2", "event_date": "2024-09-18", "year": "2024",
         "time_precision": "2", "event_type": "Violence against civilians",
         "sub_event_type": "Attack", "actor1": "Unknown Force X", "assoc_actor_1": "",
         "actor2": "Civilians (Mali)", "assoc_actor_2": "", "civilian_targeting":
         "Civilian targeting", "country": "Mali", "admin1": "Mopti", "admin2": "Bankass",
         "location": "Bankass", "latitude": "14.08", "longitude": "-3.52", "geo_precision": "2",
         "notes": "n", "fatalities": "not a number"},
    ]
    path = write_csv(tmp_path / "acled.csv", rows, ACLED_NEW)
    events, rejected, report = convert(path, "acled")
    assert (report.read, report.imported, report.rejected) == (2, 1, 1)
    event = events.iloc[0]
    assert event["actor1"] == "jnim" and event["fatalities_best"] == 77
    assert rejected["reason"].iloc[0] == "fatalities is not a whole number"


def test_acled_older_layout_without_sub_event_type(tmp_path):
    rows = [{"data_id": "7", "event_date": "17 January 2012", "event_type":
             "Battle-Non-state actor overtakes territory", "actor1": "MNLA", "actor2": "X",
             "country": "Mali", "admin1": "Menaka", "latitude": "15.92", "longitude": "2.4",
             "fatalities": "1"}]
    path = write_csv(tmp_path / "acled_old.csv", rows, list(rows[0]))
    events, rejected, report = convert(path, "acled")
    assert report.imported == 1 and rejected.empty
    event = events.iloc[0]
    assert event["sub_event_type"] == "Non-state actor overtakes territory"
    assert event["admin1"] == "Ménaka" and event["date_start"] == pd.Timestamp("2012-01-17")


def test_a_needed_column_missing_fails_clearly_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "broken.csv", [{"event_date": "2024-01-01"}], ["event_date"])
    out = tmp_path / "out.csv"
    with pytest.raises(DataError) as caught:
        import_file(path, "acled", out)
    assert "event_type" in str(caught.value) and "row 1" in str(caught.value)
    assert not out.exists() and not list(tmp_path.glob("*.set-aside.csv"))


def test_zip_without_csv(tmp_path):
    archive = tmp_path / "ged.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("README.txt", "no data")
    with pytest.raises(DataError, match="holds no CSV"):
        convert(archive, "ucdp")


def test_cli_import_prints_accounting_and_writes_both_files(ucdp_country_export, tmp_path):
    out = tmp_path / "imported.csv"
    result = subprocess.run([sys.executable, "-m", "analysis", "import",
                             str(ucdp_country_export), "--format", "ucdp", "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "read 4 = imported 2 + outside the period 0 + rejected 2" in result.stdout
    assert out.exists() and out.with_name("imported.set-aside.csv").exists()
    check = subprocess.run([sys.executable, "-m", "analysis", "validate", str(out)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_merge_keeps_the_preferred_dataset_and_counts_merges():
    from factories import events_frame

    from analysis.ingest.merge import merge

    columns = ["event_id", "date_start", "admin1", "actor1", "actor2", "event_type",
               "dataset", "fatalities_best"]
    curated = events_frame(columns, [("C1", "2019-03-23", "Mopti", "dan_na_ambassagou",
                                      "civilians", "Violence against civilians", "curated",
                                      157)])
    ucdp = events_frame(columns, [
        ("U1", "2019-03-24", "Mopti", "civilians", "dan_na_ambassagou",
         "Violence against civilians", "ucdp", 160),   # same event, one day later
        ("U2", "2019-03-26", "Mopti", "civilians", "dan_na_ambassagou",
         "Violence against civilians", "ucdp", 5),     # three days later: another event
        ("U3", "2019-03-23", "Ségou", "civilians", "dan_na_ambassagou",
         "Violence against civilians", "ucdp", 5),     # another region
    ])
    merged, dropped = merge([ucdp, curated])
    assert dropped == 1
    assert merged["event_id"].tolist() == ["C1", "U3", "U2"]
    with pytest.raises(DataError, match="same event_id"):
        merge([curated, curated.assign(dataset="acled", admin1="Gao")])


@pytest.mark.parametrize("name, day, expected", [
    ("CMA", "2012-03-20", "mnla"),  # UCDP shows the 2012 MNLA rebellion under its later name
    ("CMA", "2016-07-21", "cma"),
    ("FLA", "2023-10-02", "csp_psd"),
    ("FLA", "2024-07-27", "csp_dpa"),
    ("FLA", "2025-02-01", "fla"),
    ("IS", "2019-11-01", "isgs"),
    ("IS", "2023-03-01", "issp"),
    ("Government of Mali", "2019-11-01", "fama"),
    ("al-Murabitun", "2015-11-20", "al_mourabitoun"),
    ("Dan na Ambassagou", "2019-03-23", "dan_na_ambassagou"),
])
def test_a_ucdp_name_goes_to_the_actor_active_on_the_day(tmp_path, name, day, expected):
    rows = ucdp_rows(("best", "low", "high"), date=day)[:1]
    rows[0]["side_b"] = name
    path = write_csv(tmp_path / "ged.csv", rows, [*UCDP_COLUMNS, "best", "low", "high"])
    valid, rejected, report = convert(path, "ucdp")
    assert rejected.empty and valid["actor2"].tolist() == [expected]
    assert not report.unknown_actors


def test_resolve_alias_without_a_date_or_an_active_actor_takes_the_first_listed():
    from analysis.ingest.importers import Candidate, resolve_alias

    nat = pd.NaT
    early = Candidate("early", pd.Timestamp("2011-01-01"), pd.Timestamp("2014-01-01"))
    late = Candidate("late", pd.Timestamp("2013-01-01"), nat)
    assert resolve_alias([early, late], pd.Timestamp("2013-06-01")) == "late"
    assert resolve_alias([early, late], pd.Timestamp("2012-06-01")) == "early"
    assert resolve_alias([early, late], nat) == "early"
    assert resolve_alias([late, early], pd.Timestamp("2010-01-01")) == "late"


def test_a_ged_release_supersedes_the_candidate_months_it_covers():
    from factories import events_frame

    from analysis.ingest.merge import merge

    columns = ["event_id", "date_start", "admin1", "actor1", "actor2", "event_type",
               "dataset", "fatalities_best"]
    ged = events_frame(columns, [
        ("UCDP-1", "2024-12-20", "Gao", "jnim", "fama", "Battles", "ucdp", 12)])
    candidate = events_frame(columns, [
        ("UCDPC-1", "2024-12-20", "Gao", "jnim", "fama", "Battles", "ucdp_candidate", 10),
        ("UCDPC-2", "2024-11-02", "Mopti", "issp", "fama", "Battles", "ucdp_candidate", 30),
        ("UCDPC-3", "2025-01-05", "Kidal", "fla", "fama", "Battles", "ucdp_candidate", 8),
    ])
    merged, dropped = merge([ged, candidate])
    assert merged["event_id"].tolist() == ["UCDP-1", "UCDPC-3"] and dropped == 2


def test_import_marks_candidate_events(ucdp_country_export):
    events, _, _ = convert(ucdp_country_export, "ucdp", candidate=True)
    assert set(events["dataset"]) == {"ucdp_candidate"}
    assert events["event_id"].str.startswith("UCDPC-").all()
