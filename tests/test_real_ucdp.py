"""The import and the audit on the real UCDP files in ../shared/data/ucdp/ (GED 24.1 for Mali,
exactly as UCDP publishes it; every chapter runs on it in the refresh tests of conftest.py).
Skipped when the files are absent."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis import paths, study
from analysis.ingest.importers import convert

SHARED = paths.SHARED / "data" / "ucdp"
GED = SHARED / "ucdp_ged_mali_v24_1.csv"
pytestmark = [pytest.mark.skipif(not GED.exists(), reason=f"{GED} is absent (UCDP's real files "
                                 "are shared beside the book, not committed)"),
              # tests sharing a fixture run on one worker under `pytest -n 2 --dist loadgroup`
              pytest.mark.xdist_group("ucdp")]


def raw_rows() -> list[dict[str, str]]:
    with open(GED, encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle)]


def raw_year(row: dict[str, str]) -> int:
    return int(row["date_start"].split(" ")[0].split("/")[2])


@pytest.fixture(scope="module")
def imported():
    return convert(GED, "ucdp")


def test_every_real_event_is_kept_and_accounted_for(imported):
    _, set_aside, report = imported
    rows = raw_rows()
    assert report.read == len(rows) == report.imported + report.outside_period + report.rejected
    assert report.rejected == 0, set_aside["reason"].value_counts()
    first_year = int(study.START[:4])
    assert report.outside_period == sum(raw_year(r) < first_year for r in rows)


def test_yearly_deaths_equal_ucdp_own_totals(imported):
    events, _, report = imported
    ucdp: dict[int, int] = {}
    for row in raw_rows():
        ucdp[raw_year(row)] = ucdp.get(raw_year(row), 0) + int(row["best_est"])
    ours = events.groupby(events["date_start"].dt.year)["fatalities_best"].sum()
    years = range(2012, 2024)
    assert {y: int(ours.get(y, 0)) for y in years} == {y: ucdp.get(y, 0) for y in years}
    by_year = report.by_year.set_index("year")
    assert all(by_year.loc[str(y), "deaths imported"] == ucdp[y] for y in years)


def test_every_side_resolves_to_a_registry_actor(imported):
    events, _, report = imported
    assert report.unknown_actors == {}
    ids = pd.concat([events["actor1"], events["actor2"]])
    assert not ids.str.contains(":", regex=False).any()


def test_inconsistent_estimates_are_repaired_and_flagged(imported):
    events, _, report = imported
    def out_of_order(r: dict[str, str]) -> bool:
        low, best, high = int(r["low_est"]), int(r["best_est"]), int(r["high_est"])
        return not (low <= best <= high)
    expected = {f"UCDP-{r['id']}" for r in raw_rows() if raw_year(r) >= 2012 and out_of_order(r)}
    flagged = set(events.loc[events["estimates_repaired"].astype(bool), "event_id"])
    assert flagged == expected and report.repaired == len(expected) > 0
    assert (events["fatalities_low"] <= events["fatalities_best"]).all()
    assert (events["fatalities_best"] <= events["fatalities_high"]).all()


def test_events_located_only_to_a_wider_area_are_kept_without_a_region(imported):
    events, _, report = imported
    expected = {f"UCDP-{r['id']}" for r in raw_rows()
                if raw_year(r) >= 2012 and not r["adm_1"].strip()}
    wide = events[events["admin1"].isna()]
    assert set(wide["event_id"]) == expected and report.wide_area == len(expected) > 0
    assert (wide["geo_precision"] == 4).all()


def test_the_death_split_is_ucdp_own(imported):
    events, _, _ = imported
    raw = {f"UCDP-{r['id']}": r for r in raw_rows()}
    for event in events.sample(50, random_state=1).itertuples():
        r = raw[event.event_id]
        assert (event.deaths_side_a, event.deaths_side_b, event.deaths_civilians,
                event.deaths_unknown) == (int(r["deaths_a"]), int(r["deaths_b"]),
                                          int(r["deaths_civilians"]), int(r["deaths_unknown"]))


def test_the_bulk_layout_with_iso_date_times_imports_the_same_events(imported, tmp_path):
    events, _, _ = imported
    rows = raw_rows()
    bulk = tmp_path / "GEDEvent_v24_1.csv"
    names = [n.removesuffix("_est") if n in ("best_est", "low_est", "high_est") else n
             for n in rows[0] if n]
    with open(bulk, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in rows:
            values = [row[n] for n in rows[0] if n]
            for i, name in enumerate(rows[0]):
                if name in ("date_start", "date_end"):
                    month, day, rest = values[i].split("/")
                    values[i] = f"{rest[:4]}-{month}-{day} 00:00:00.000"
            writer.writerow(values)
    again, _, report = convert(bulk, "ucdp")
    assert report.rejected == 0
    pd.testing.assert_frame_equal(again.reset_index(drop=True), events.reset_index(drop=True))


def test_every_imported_cell_follows_the_rules_row_by_row(imported):
    """A row-by-row reference of the vectorised import, on every real row: plain Python on
    the CSV's text, no pandas."""
    from analysis.ingest.importers import UCDP_GEO_PRECISION, UCDP_TYPES, region_of

    events, _, _ = imported
    table = events.set_index("event_id")
    kept = [r for r in raw_rows() if raw_year(r) >= int(study.START[:4])]
    assert len(table) == len(kept)
    for r in kept:
        event = table.loc[f"UCDP-{r['id']}"]
        month, day, year = r["date_start"].split(" ")[0].split("/")
        assert event["date_start"] == pd.Timestamp(f"{year}-{month}-{day}")
        region = region_of(r["adm_1"])
        assert (event["admin1"] if pd.notna(event["admin1"]) else "") == region
        expected_precision = UCDP_GEO_PRECISION[r["where_prec"]] if region else 4
        assert event["geo_precision"] == expected_precision
        assert (event["latitude"], event["longitude"]) == (float(r["latitude"]),
                                                           float(r["longitude"]))
        assert event["location"] == (r["where_coordinates"].strip() or "Mali")
        admin2 = r["adm_2"].strip().removesuffix(" cercle")
        assert (event["admin2"] if pd.notna(event["admin2"]) else "") == admin2
        kind, sub_kind, civilians = UCDP_TYPES[r["type_of_violence"]]
        assert (event["event_type"], event["sub_event_type"]) == (kind, sub_kind)
        assert bool(event["civilian_targeting"]) == civilians
        low, best, high = (int(r[k]) for k in ("low_est", "best_est", "high_est"))
        repaired = not low <= best <= high
        assert bool(event["estimates_repaired"]) == repaired
        assert (event["fatalities_low"], event["fatalities_best"], event["fatalities_high"]) == (
            (min(low, best, high), best, max(low, best, high)) if repaired else (low, best, high))
        headline = r["source_headline"][:300].strip()
        assert (event["notes"] if pd.notna(event["notes"]) else "") == headline


def test_the_row_by_row_reader_gives_the_same_import(imported, monkeypatch):
    """The fast (pyarrow, categorical) path and the careful (csv module, plain text) path
    import the real file to the same table."""
    from analysis.ingest import importers

    events, set_aside, report = imported
    monkeypatch.setattr(importers, "_fast_read", lambda data: None)
    again, set_aside_again, report_again = convert(GED, "ucdp")
    pd.testing.assert_frame_equal(again, events)
    assert report_again.summary() == report.summary()
    assert list(set_aside_again["reason"]) == list(set_aside["reason"])


@pytest.mark.slow
def test_the_audit_misses_only_what_no_curated_event_could_match(imported):
    from analysis.data import load_events
    from analysis.geography import distance_km
    from analysis.ingest import audit
    from analysis.transforms import violent

    events, _, _ = imported
    curated = load_events()
    table, matched = audit.audit(curated, events, study.START, "2023-12-31")
    whole = table[table["year"] == "all years"].set_index("min_deaths")
    assert 0 < whole.loc[10, "found"] <= whole.loc[10, "reference_events"]
    used = set(matched["matched_event_id"]) - {""}
    free = violent(curated)[~violent(curated)["event_id"].isin(used)]
    widen = pd.Timedelta(days=audit.MATCH_DAYS)
    for missed in matched[matched["matched_event_id"] == ""].itertuples():
        near = free[(free["date_start"] <= missed.date_end + widen)
                    & (free["date_end"] >= missed.date_start - widen)]
        close = (distance_km(near["latitude"], near["longitude"], missed.latitude,
                             missed.longitude) <= audit.MATCH_KM) | (
                                 near["admin1"] == missed.admin1).fillna(False).to_numpy()
        assert not close.any(), (missed.event_id, list(near[close]["event_id"]))


DYADIC = SHARED / "ucdp_dyadic_v24_1_mali.csv"


@pytest.mark.slow
@pytest.mark.skipif(not DYADIC.exists(), reason=f"{DYADIC} is absent")
def test_the_engine_is_compared_with_every_ucdp_dyad_year_of_mali(imported):
    from analysis.data import load_events
    from analysis.ingest import audit

    events, _, _ = imported
    table = audit.engine_against_ucdp(DYADIC, events, load_events(), 2012, 2023)
    with open(DYADIC, encoding="utf-8", newline="") as handle:
        listed = {(int(r["year"]), r["side_b"]) for r in csv.DictReader(handle)
                  if r["side_a"] == "Government of Mali" and 2012 <= int(r["year"]) <= 2023}
    # every UCDP dyad-year is in the table (two names may stand for one party in a year)
    assert len(table) <= len(listed) and set(table["year"]) == {y for y, _ in listed}
    assert (table["party"] != "").all()
    assert set(table["agrees_on_ucdp"]) <= {True, False}
    # where the engine finds no conflict on UCDP's events, the table says which rule decided
    assert (table.loc[~table["agrees_on_ucdp"], "deciding_reason"] != "").all()


@pytest.mark.slow
def test_the_vacuum_event_study_runs_on_ucdp_events(imported):
    from analysis import vacuums
    from analysis.data import jihadist_groups, load_actors, load_bases

    events, _, _ = imported
    bases = load_bases()
    chosen = vacuums.departures(bases)
    design = vacuums.Design(events, bases, jihadist_groups(load_actors()), "2023-12-31")
    table = vacuums.effects(design, chosen, ["violent events", "reported deaths"])
    # UCDP's GED 24.1 ends in 2023: France's departures and most of MINUSMA's are covered.
    france = table[(table["withdrawal"].str.startswith("France"))
                   & (table["outcome"] == "violent events")].iloc[0]
    assert france["stacks"] >= 3 and france["treated_events"] > 0
    estimated = table.dropna(subset=["rate_ratio"])
    assert len(estimated) > 0
    assert ((estimated["low"] <= estimated["rate_ratio"])
            & (estimated["rate_ratio"] <= estimated["high"])).all()
    checks = vacuums.robustness(design, chosen)
    assert checks["check"].iloc[1].startswith("placebo")
