"""The book's own data: valid, resolvable, and consistent with its published description."""

from __future__ import annotations

import json

import pandas as pd
from frictionless import Package, system

from analysis import data, paths, study
from analysis.book.provenance import datapackage
from analysis.data import check_events, load_actors, load_lineage
from analysis.schema import EVENT_COLUMNS
from analysis.validate import read_csv_strings


def test_events_are_valid_and_resolve():
    events = check_events(paths.EVENTS)  # schema, actors and sources; raises on any problem
    assert len(events) >= 40


def test_every_year_of_the_study_period_is_present():
    events = check_events(paths.EVENTS)
    first = int(study.START[:4])
    last = pd.Timestamp(study.period_end(events)).year
    assert last >= 2025
    assert set(range(first, last + 1)) <= set(events["date_start"].dt.year)


def test_no_duplicate_events_same_day_place_and_actors():
    events = read_csv_strings(paths.EVENTS)
    key = events[["date_start", "location", "actor1", "actor2"]].apply(
        lambda r: (r.date_start, r.location.strip().lower(), frozenset([r.actor1, r.actor2])),
        axis=1)
    duplicated = events[key.duplicated(keep=False)]
    assert duplicated.empty, duplicated[["event_id", "date_start", "location"]]


def test_actor_registry_is_valid_and_lineage_resolves():
    actors = load_actors()
    ids = set(actors["actor_id"])
    lineage = load_lineage()
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
    from analysis.errors import DataError

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
    from analysis.book import provenance
    from analysis.cells import split_ids
    from analysis.data import bibliography, load_events

    entries, events = bibliography(), load_events()
    register = provenance.source_register(entries, data.citing_tables(events)).set_index(
        "key")
    assert sorted(register.index) == sorted(entries)
    rows = sum("rulac2025mali" in split_ids(v) for v in events["source_ids"])
    assert f"events ({rows} rows)" in register.loc["rulac2025mali", "cited by"]
    uncited = register[register["cited by"] == ""].index
    cited_anywhere = {k for table in data.citing_tables(events).values()
                      for v in table["source_ids"].dropna() for k in split_ids(v)}
    assert not set(uncited) & cited_anywhere
    assert "actor_lineage" in " ".join(register["cited by"])


def test_register_html_links_addresses_and_escapes_text():
    from analysis.book import provenance

    entries = {"x2020": {"title": "<script>alert(1)</script>", "author": "{A & B}",
                         "journal": "J", "year": "2020", "url": "https://example.org/a",
                         "note": "title <rebuilt>"},
               "y2021": {"title": "T", "author": "C", "publisher": "C", "date": "2021-03-04",
                         "urldate": "2024-01-02"}}
    html = provenance.register_html(provenance.source_register(entries, {}))
    assert "alert(1)</script>" not in html and "&lt;script&gt;alert(1)" in html
    assert '<a href="https://example.org/a"' in html and "A &amp; B" in html
    assert "title &lt;rebuilt&gt;" in html
    # every row is anchored by its key, so other pages link to sources.html#src-KEY
    assert 'id="src-x2020"' in html and 'id="src-y2021"' in html
    assert 'id="src-filter"' in html and "2 of 2 rows" in html
    assert "2021-03-04" in html and "consulted 2024-01-02" in html
    assert "<em>C</em>" not in html  # the publisher is not repeated when it is the author
    assert "<th>Key</th><th>Kind</th><th>Source</th><th>Date</th><th>Cited by</th>" in html


def test_every_table_under_data_is_declared_with_its_columns_in_order():
    import csv

    from analysis.schema import OUTLOOK_COLUMNS, OUTLOOKS_FOLDER, TABLES

    declared = {t.file: t for t in TABLES.values()}
    found = {p.relative_to(paths.DATA).as_posix() for p in paths.DATA.rglob("*.csv")
             if "external" not in p.parts and OUTLOOKS_FOLDER not in p.parts
             } - {"events.csv", "actors.csv"}
    assert found == set(declared)
    outlooks = sorted((paths.DATA / OUTLOOKS_FOLDER).glob("*.csv"))
    assert outlooks, "the first archived outlook is committed"
    for file in outlooks:
        with open(file, encoding="utf-8") as handle:
            assert tuple(next(csv.reader(handle))) == OUTLOOK_COLUMNS, file.name
    for file, table in declared.items():
        with open(paths.DATA / file, encoding="utf-8") as handle:
            assert tuple(next(csv.reader(handle))) == table.columns, file
        frame = data.load_table(table.name)
        assert len(frame) > 0
        assert frame[list(table.required)].notna().all().all(), file


def test_no_chapter_reads_a_data_file_around_its_loader():
    import nbformat

    for notebook in sorted(paths.CHAPTERS.glob("*.ipynb")):
        code = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells
                         if c.cell_type == "code")
        assert "read_csv" not in code and "paths.DATA" not in code, notebook.name


def test_a_declared_table_with_an_empty_required_cell_is_refused(tmp_path):
    import pytest

    from analysis.errors import DataError

    file = tmp_path / "timeline.csv"
    file.write_text("event_id,label\nMLI-2012-0001,Start\nMLI-2012-0002,\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        data.load_table("timeline", file)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "label")]


def test_independent_sources_count_a_repost_as_its_original():
    from analysis.book import provenance

    entries = {"a": {"journal": "AFP (via Maliweb)"}, "b": {"author": "{AFP (via Bamada)}",
                                                          "journal": "Bamada"},
               "c": {"journal": "RFI"}}
    events = pd.DataFrame({"source_ids": ["a;b", "a;c", "c"],
                           "date_start": pd.to_datetime(["2020-01-01"] * 3)})
    assert provenance.independent_sources(events, entries).tolist() == [1, 2, 1]
    table = provenance.sourcing_by_year(events, entries)
    assert table.loc[2020, "single_source_share"] == round(2 / 3, 2)


def test_every_declared_table_cites_existing_events_and_sources():
    from analysis.cells import split_ids
    from analysis.data import bibliography, load_table
    from analysis.schema import TABLES

    events = set(check_events(paths.EVENTS)["event_id"])
    keys = set(bibliography())
    checked = 0
    for name in TABLES:
        frame = load_table(name)
        for column in ("event_id", "event_ids", "opening_event_id"):
            if column in frame:
                cited = {i for cell in frame[column].dropna() for i in split_ids(cell)}
                assert cited <= events, (name, sorted(cited - events)[:5])
                checked += 1
        if "source_ids" in frame:
            cited = {k for cell in frame["source_ids"].dropna() for k in split_ids(cell)}
            assert cited <= keys, (name, sorted(cited - keys)[:5])
            checked += 1
    assert checked >= 8


def test_signposts_must_discriminate_and_not_count_one_measure_twice(tmp_path):
    import pytest

    from analysis.errors import DataError

    book = (paths.DATA / "scenarios" / "signposts.csv").read_text(encoding="utf-8")
    assert len(data.load_signposts()) >= 6
    header, *rows = book.splitlines()
    d1 = next(r for r in rows if r.startswith("D1,"))
    twin = d1.replace("D1,downside", "U9,upside", 1)  # the same measure for another scenario
    flat = d1.replace("D1,", "D8,", 1).replace(",,,,0.5,2,", ",,,,1,1,", 1)
    for extra, column, words in ((twin, "measure", "already serves"),
                                 (flat, "lr_upside", "does not discriminate")):
        file = tmp_path / "signposts.csv"
        file.write_text("\n".join([header, *rows, extra]) + "\n", encoding="utf-8")
        with pytest.raises(DataError) as caught:
            data.load_signposts(file)
        assert any((problem.row, problem.column) == (len(rows), column)
                   and words in problem.message for problem in caught.value.problems)


def test_the_sourcing_log_counts_queries_and_unfound_events(tmp_path):
    from analysis.book.provenance import sourcing_log

    (tmp_path / "searches").mkdir()
    (tmp_path / "searches" / "y2020.txt").write_text("q one\n\nq two\n# a comment\n",
                                                     encoding="utf-8")
    (tmp_path / "searches" / "r2.txt").write_text("q\n", encoding="utf-8")
    (tmp_path / "not_found.csv").write_text(
        "ucdp_id,searches_tried,note,batch\n1,q,n,r2\n2,q,n,r2\n", encoding="utf-8")
    table = sourcing_log(tmp_path)
    assert table.to_dict() == {"queries": {"r2": 1, "y2020": 2},
                               "not found": {"r2": 2, "y2020": 0}}
    assert sourcing_log()["queries"].sum() > 500  # the book's own record


def test_the_downloads_are_written_and_cited(tmp_path):
    from analysis.book import downloads

    written = downloads.write(tmp_path / "downloads")
    assert sorted(p.name for p in written) == sorted(downloads.FILES)
    assert len(pd.read_parquet(tmp_path / "downloads" / "events.parquet")) == len(
        data.load_events())
    text = downloads.dataset_citation("abc123", "https://example.org/book/")
    assert "data version abc123" in text and "CC BY 4.0" in text
    assert text.endswith("https://example.org/book/downloads/events.csv")
