"""The benchmark measures real work and reports every target (no timing is asserted here)."""

from __future__ import annotations

import pytest

from analysis.ingest.importers import convert
from benchmarks import bench


def test_generated_ged_file_is_imported_whole(tmp_path, monkeypatch):
    """Made-up rows (UCDP's file absent) import whole: 13 years, 4 regions."""
    monkeypatch.setattr(bench, "REAL_GED", tmp_path / "absent.csv")
    path = tmp_path / "ged.csv"
    bench.write_ged(path, 600)
    valid, _, report = convert(path, "ucdp")
    assert (report.read, report.imported, report.rejected) == (600, 600, 0)
    assert valid["date_start"].dt.year.nunique() == 13 and valid["admin1"].nunique() == 4


def test_the_real_rows_repeated_keep_every_event(tmp_path):
    if not bench.REAL_GED.exists():
        pytest.skip(f"{bench.REAL_GED} is absent")
    path = tmp_path / "ged.csv"
    bench.write_ged(path, 3000)
    valid, _, report = convert(path, "ucdp")
    assert report.read == 3000 and report.rejected == 0
    assert report.imported + report.outside_period == 3000 and valid["event_id"].is_unique


@pytest.mark.slow
def test_import_measure_runs_both_readers_in_their_own_processes(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "ROWS", (300,))
    (result,) = bench.imports(tmp_path, repeats=1)
    assert result["rows"] == 300
    for reader in ("import", "pyarrow_read"):
        measured = result[reader]
        assert measured["peak_mb"] > 0
        for measure in bench.MEASURES:
            assert 0 < measured[measure]["min"] <= measured[measure]["median"]
    assert result["import"]["command"]["median"] >= result["import"]["work"]["median"]
    assert set(result["ratio"]) == set(bench.MEASURES)


def test_report_shows_every_measure_and_target():
    span = {"median": 2.0, "min": 1.0, "max": 3.0, "runs": 3}
    one = {"median": 1.0, "min": 1.0, "max": 1.0}
    results = {key: span for key in ("cold_build", "prose_rebuild", "refresh", "refresh_warm",
                                     "refresh_floor", "nbval")}
    results["imports"] = [{"rows": 10, "import": {"peak_mb": 5, "command": one, "work": one},
                           "pyarrow_read": {"peak_mb": 4, "command": one, "work": one},
                           "ratio": {"command": 1.0, "work": 1.0}}]
    results["sizes"] = {"pages_bytes": {"a.html": 10}, "largest_spec": "fig-x",
                        "largest_spec_bytes": 5}
    results["targets"] = {"refresh within 1.5x of its floor": {"value": 2.5, "met": False},
                          "no chapter page over 2 MB": {"value": 10, "met": True}}
    text = bench.report(results)
    for label in ("cold build", "prose rebuild", "refresh warm", "refresh floor", "nbval",
                  "import 10 GED rows", "fig-x", "| refresh within 1.5x of its floor | 2.5 | no |",
                  "| no chapter page over 2 MB | 10 | yes |"):
        assert label in text, label


def test_rounds_take_the_measures_in_turn_and_ratios_pair_them():
    order = []
    times = bench.rounds({"a": lambda: order.append("a"), "b": lambda: order.append("b")}, 3)
    assert order == ["a", "b"] * 3 and all(len(t) == 3 for t in times.values())
    assert bench.paired_ratio([2.0, 9.0, 4.0], [1.0, 3.0, 4.0]) == 2.0
    assert bench.summary([3.0, 1.0, 2.0])["median"] == 2.0


def test_the_explorer_is_measured_on_the_real_events_repeated_with_fresh_ids():
    from factories import events_frame

    events = events_frame(["event_id", "date_start", "fatalities_best"],
                          [("A", "2019-01-01", 3), ("B", "2020-01-01", None),
                           ("C", "2021-01-01", 7)])
    many = bench.repeated_events(events, 8)
    assert len(many) == 8 and many["event_id"].is_unique
    assert list(many["date_start"].dt.year) == [2019, 2020, 2021] * 2 + [2019, 2020]
    assert many["fatalities_best"].sum() == 3 * 3 + 7 * 2


def test_the_page_weight_counts_each_requested_file_once(tmp_path):
    (tmp_path / "a.js").write_bytes(b"12345")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b.css").write_bytes(b"123")
    requests = ["http://127.0.0.1:8000/a.js?v=1", "http://127.0.0.1:8000/a.js",
                "http://127.0.0.1:8000/d/b.css", "http://127.0.0.1:8000/favicon.ico",
                "data:image/png;base64,AAAA"]
    assert bench.page_weight(tmp_path, requests) == 8


def test_report_shows_the_explorer_moments_and_weight():
    span = {"median": 2.0, "min": 1.0, "max": 3.0, "runs": 3}
    results = {key: span for key in ("cold_build", "prose_rebuild", "refresh", "refresh_warm",
                                     "refresh_floor", "nbval")}
    results["imports"] = []
    results["explorer"] = {"events": 2000, "page_bytes": 5_000_000, "data_bytes": 1_400_000,
                           **{f"{m}_{h}": span for m in bench.MOMENTS for h in ("http", "file")}}
    results["sizes"] = {"pages_bytes": {"a.html": 10}, "largest_spec": "fig-x",
                        "largest_spec_bytes": 5}
    results["targets"] = {}
    text = bench.report(results)
    assert "explorer, 2,000 events: filters and list work" in text
    assert "map and timeline drawn too" in text and "5,000,000 bytes (1,400,000 bytes)" in text


def test_the_heaviest_month_of_a_backtest_is_found_by_its_target():
    import pandas as pd

    jan, feb = pd.Timestamp("2020-01-01"), pd.Timestamp("2020-02-01")
    # origin January, steps 1-2 (January, February); origin February, step 1 (February)
    results = pd.DataFrame({"model": ["m", "m", "m", "other"], "origin": [jan, jan, feb, jan],
                            "step": [1, 2, 1, 2], "observed": [5.0, 90.0, 90.0, 90.0],
                            "crps": [1.0, 4.0, 5.0, 100.0]})
    assert bench.largest_month(results, "m") == {"month": "2020-02", "deaths": 90.0,
                                                  "share": 0.9}
