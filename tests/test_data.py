"""The book's own data: valid, resolvable, and consistent with its published description."""

from __future__ import annotations

import json

import pandas as pd
from frictionless import Package, system

from analysis import paths
from analysis.data import check_events, load_actors
from analysis.provenance import datapackage
from analysis.schema import EVENT_COLUMNS


def test_events_are_valid_and_resolve():
    events = check_events(paths.EVENTS)  # schema, actors and sources; raises on any problem
    assert len(events) >= 40


def test_every_year_of_the_study_period_is_present():
    events = check_events(paths.EVENTS)
    assert set(range(2012, 2026)) <= set(events["date_start"].dt.year)


def test_no_duplicate_events_same_day_place_and_actors():
    events = pd.read_csv(paths.EVENTS, dtype=str, keep_default_na=False)
    key = events[["date_start", "location", "actor1", "actor2"]].apply(
        lambda r: (r.date_start, r.location.strip().lower(), frozenset([r.actor1, r.actor2])),
        axis=1)
    duplicated = events[key.duplicated(keep=False)]
    assert duplicated.empty, duplicated[["event_id", "date_start", "location"]]


def test_actor_registry_is_valid_and_lineage_resolves():
    actors = load_actors()
    ids = set(actors["actor_id"])
    lineage = pd.read_csv(paths.DATA / "actor_lineage.csv", dtype=str)
    assert set(lineage["from_id"]) <= ids and set(lineage["to_id"]) <= ids


def test_committed_datapackage_is_generated_from_the_schema():
    committed = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    assert committed == datapackage()
    fields = [f["name"] for f in committed["resources"][0]["schema"]["fields"]]
    assert fields == list(EVENT_COLUMNS)


def test_frictionless_validates_the_data_against_the_descriptor():
    with system.use_context(trusted=True):
        report = Package(str(paths.DATAPACKAGE)).validate()
    errors = [e.message for task in report.tasks for e in task.errors][:5]
    assert report.valid, errors


def test_peace_processes_resolve_and_use_known_roles():
    from analysis.data import PROCESS_ROLES, load_peace_processes

    table = load_peace_processes()  # raises DataError on an unknown actor, role or source
    assert len(table) >= 50
    assert set(table["role"]) <= set(PROCESS_ROLES)
    assert table["date"].notna().all()


def test_bad_peace_process_row_is_named(tmp_path):
    from analysis.data import load_peace_processes
    from analysis.validate import DataError

    bad = tmp_path / "processes.csv"
    bad.write_text(
        "process_id,process_label,process_name,actor_id,role,date,date_precision,source_ids,notes\n"
        "x,X,X process,fama,signatory,2015-06-20,day,rulac2025mali,ok\n"
        "x,X,X process,martians,invader,2015-06-20,day,nokey,bad\n", encoding="utf-8")
    try:
        load_peace_processes(bad)
    except DataError as err:
        text = str(err)
    else:
        raise AssertionError("a bad row was accepted")
    assert "row 3, column 'role'" in text and "row 3, column 'actor_id'" in text
    assert "unknown source 'nokey'" in text


def test_source_register_lists_every_entry_and_counts_citing_rows():
    from analysis import provenance
    from analysis.data import bibliography, load_events
    from analysis.validate import split_ids

    entries, events = bibliography(), load_events()
    register = provenance.source_register(entries, provenance.citing_tables(events)).set_index(
        "key")
    assert sorted(register.index) == sorted(entries)
    rows = sum("rulac2025mali" in split_ids(v) for v in events["source_ids"])
    assert f"events ({rows} rows)" in register.loc["rulac2025mali", "cited by"]
    uncited = register[register["cited by"] == ""].index
    cited_anywhere = {k for table in provenance.citing_tables(events).values()
                      for v in table["source_ids"].dropna() for k in split_ids(v)}
    assert not set(uncited) & cited_anywhere
    assert "actor_lineage" in " ".join(register["cited by"])


def test_register_html_links_addresses_and_escapes_text():
    from analysis import provenance

    entries = {"x2020": {"title": "<script>alert(1)</script>", "author": "{A & B}",
                         "journal": "J", "year": "2020", "url": "https://example.org/a"}}
    html = provenance.register_html(provenance.source_register(entries, {}))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org/a"' in html and "A &amp; B" in html
