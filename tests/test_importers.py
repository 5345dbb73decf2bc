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


#: ACLED actor names of Mali's conflicts (the forms of both layouts) and the registry actor
#: each stands for, by alias or by rule.
ACLED_NAMES = [
    ("Military Forces of Mali (2012-2013)", "fama"),
    ("Military Forces of Mali (2021-)", "fama"),
    ("Police Forces of Mali (2013-)", "fama"),
    ("Government of Mali (2013-)", "mali_government"),
    ("Mutiny of Military Forces of Mali (2002-2012)", "mutinous_soldiers"),
    ("Military Forces of France (2012-2017)", "france"),
    ("Military Forces of France (2017-2022)", "france"),
    ("Operation Barkhane", "france"),
    ("Task Force Takuba", "takuba"),
    ("Military Forces of Burkina Faso (2015-)", "burkina_army"),
    ("Military Forces of Niger (2011-2021)", "niger_army"),
    ("Military Forces of Sweden (2014-)", "other_foreign_forces"),
    ("Wagner Group", "wagner"),
    ("Africa Corps", "africa_corps"),
    ("MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali "
     "(2013-)", "minusma"),
    ("CMA: Coordination of Movements of the Azawad", "cma"),
    ("MSA: Movement for the Salvation of Azawad", "msa"),
    ("MAA: Arab Movement of Azawad", "maa"),
    ("ATNMC: Tuareg Alliance of Northern Mali for Change", "atnmc"),
    ("MNLA: National Movement for the Liberation of Azawad", "mnla"),
    ("HCUA: High Council for the Unity of Azawad", "hcua"),
    ("GATIA: Imghad Tuareg and Allies Self-Defense Group", "gatia"),
    ("FLA: Azawad Liberation Front", "fla"),
    ("JNIM: Group for Support of Islam and Muslims", "jnim"),
    ("Katiba Serma", "jnim"),
    ("Katiba Macina", "katiba_macina"),
    ("Ansar Dine", "ansar_dine"),
    ("AQIM: Al Qaeda in the Islamic Maghreb", "aqim"),
    ("MUJAO: Movement for Unity and Jihad in West Africa", "mujao"),
    ("Islamic State (Greater Sahara)", "isgs"),
    ("Islamic State Sahel Province", "issp"),
    ("Islamic State (Sahel)", "issp"),
    ("JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)",
     "jnim_or_is"),
    ("JNIM: Group for Support of Islam and Muslims and/or Islamic State Sahel Province",
     "jnim_or_is"),
    ("Dan Na Ambassagou and/or Dozo Militia", "attribution_uncertain"),
    ("Dan Na Ambassagou", "dan_na_ambassagou"),
    ("Dozo Militia", "dozo_militia"),
    ("Dozo Communal Militia (Mali)", "dozo_militia"),
    ("Fulani Ethnic Militia (Mali)", "fulani_militia"),
    ("Unidentified Communal Militia (Mali)", "communal_militia"),
    ("Unidentified Armed Group (Mali)", "unidentified_armed_group"),
    ("Civilians (Mali)", "civilians"),
    ("Protesters (Mali)", "protesters"),
    ("Rioters (Mali)", "protesters"),
    ("Fulani Ethnic Group (Mali)", "civilians"),
    ("Pastoralists (Mali)", "civilians"),
    ("Farmers (Mali)", "civilians"),
]
NEW_NAME = "New Sahel Front"  # a group no registry knows: kept under a namespaced id
ACLED_OLD = ["data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year",
             "time_precision", "event_type", "actor1", "ally_actor_1", "inter1", "actor2",
             "ally_actor_2", "inter2", "interaction", "country", "admin1", "admin2", "admin3",
             "location", "latitude", "longitude", "geo_precision", "source", "notes",
             "fatalities"]


def acled_export(path: Path, layout: str) -> Path:
    """A Mali export in ACLED's current or older layout: one row per name of ``ACLED_NAMES``
    (as actor1, against the Malian army), then one row naming a new group."""
    names = [name for name, _ in ACLED_NAMES] + [NEW_NAME]
    rows = []
    for i, name in enumerate(names):
        day = pd.Timestamp("2013-01-20") + pd.Timedelta(days=60 * i)
        row = {"actor1": name, "actor2": "Military Forces of Mali (2013-)", "country": "Mali",
               "admin1": "Mopti", "admin2": "Bankass", "location": "Bankass",
               "latitude": "14.08", "longitude": "-3.52", "geo_precision": "1",
               "notes": "n", "fatalities": str(i % 4), "time_precision": "1"}
        if layout == "current":
            row.update({"event_id_cnty": f"MLI{i}", "event_date": day.strftime("%Y-%m-%d"),
                        "year": str(day.year), "event_type": "Battles",
                        "sub_event_type": "Armed clash", "civilian_targeting": "",
                        "assoc_actor_1": "Wagner Group; Military Forces of Mali (2021-)"
                        if i == 0 else "", "assoc_actor_2": ""})
        else:
            row.update({"data_id": str(1000 + i), "iso": "466", "event_id_cnty": f"MLI{i}",
                        "event_id_no_cnty": str(i), "event_date": day.strftime("%d %B %Y"),
                        "year": str(day.year), "event_type": "Battle-No change of territory",
                        "ally_actor_1": "Wagner Group; Military Forces of Mali (2021-)"
                        if i == 0 else "", "inter1": "1", "ally_actor_2": "", "inter2": "1",
                        "interaction": "11", "admin3": "", "source": "s"})
        rows.append(row)
    return write_csv(path, rows, ACLED_NEW if layout == "current" else ACLED_OLD)


@pytest.mark.parametrize("layout", ["current", "older"])
def test_acled_names_of_mali_resolve_by_alias_or_rule(tmp_path, layout):
    from analysis.data import load_actors

    path = acled_export(tmp_path / f"acled_{layout}.csv", layout)
    events, rejected, report = convert(path, "acled")
    assert rejected.empty and report.imported == len(ACLED_NAMES) + 1
    registry = set(load_actors()["actor_id"])
    resolved = dict(zip(events["event_id"], events["actor1"], strict=True))
    for i, (name, expected) in enumerate(ACLED_NAMES):
        assert expected in registry
        assert resolved[f"ACLED-MLI{i}"] == expected, name
    assert set(events["actor2"]) == {"fama"}
    # a new group is kept under a namespaced id, listed, and is the only unknown name
    assert resolved[f"ACLED-MLI{len(ACLED_NAMES)}"] == f"acled:{NEW_NAME}"
    assert report.unknown_actors == {NEW_NAME: 1} and NEW_NAME in report.summary()
    named = events[["actor1", "actor2", "assoc_actors"]].fillna("")
    unknown = named.apply(lambda column: column.str.contains(":", regex=False)).any(axis=1)
    assert unknown.sum() == 1 and unknown.mean() < 0.05
    # associated actors: every name of a ';'-separated cell
    assert set(events.iloc[0]["assoc_actors"].split(";")) == {"wagner", "fama"}


def test_an_open_attribution_with_an_unknown_group_stays_unknown(tmp_path):
    rows = [{"event_id_cnty": "MLI1", "event_date": "2021-03-01", "year": "2021",
             "time_precision": "1", "event_type": "Battles", "sub_event_type": "Armed clash",
             "actor1": f"JNIM: Group for Support of Islam and Muslims and/or {NEW_NAME}",
             "assoc_actor_1": "", "actor2": "Civilians (Mali)", "assoc_actor_2": "",
             "civilian_targeting": "", "country": "Mali", "admin1": "Mopti",
             "admin2": "Bankass", "location": "Bankass", "latitude": "14.08",
             "longitude": "-3.52", "geo_precision": "1", "notes": "n", "fatalities": "2"}]
    events, _, report = convert(write_csv(tmp_path / "a.csv", rows, ACLED_NEW), "acled")
    name = rows[0]["actor1"]
    assert events["actor1"].tolist() == [f"acled:{name}"] and report.unknown_actors == {name: 1}
