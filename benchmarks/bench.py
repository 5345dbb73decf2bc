"""Benchmarks of the book's build and data paths against their floor (``make bench``).

Every figure is the median of several runs, with min and max; the runs of the measures that
are compared are taken in turn, round by round, and each ratio is the median of the ratios
within a round, so a slow spell of a shared machine does not fall on one side only. Targets
are goals shown next to the measures, not assertions. Results: a table on stdout and
``_build/bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd

from analysis import paths
from analysis.run import refresh

PY = sys.executable
ROWS = (10_000, 100_000, 420_000)
GED_HEADER = ["id", "relid", "year", "type_of_violence", "conflict_name", "side_a", "side_b",
              "source_headline", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude",
              "longitude", "country", "date_prec", "date_start", "date_end", "best", "low",
              "high"]


def rounds(actions: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Wall times of every action, taken in turn in each of ``repeats`` rounds, so that a slow
    spell of a shared machine falls on every action alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> dict[str, object]:
    """Median, min and max of some wall times, in seconds, with the times themselves."""
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "runs": len(times), "times": times}


def paired_ratio(numerator: list[float], denominator: list[float]) -> float:
    """The median over rounds of one measure divided by another taken in the same round."""
    return statistics.median(a / b for a, b in zip(numerator, denominator, strict=True))


def run(*command: str) -> None:
    subprocess.run(command, check=True, cwd=paths.ROOT, capture_output=True)


def build_cold() -> None:
    """``make clean`` then ``make book``: every build step and data check, from nothing."""
    run("make", "--no-print-directory", "clean")
    run("make", "--no-print-directory", "book")


def build_after_prose_edit() -> None:
    page = paths.CHAPTERS / "how_to_cite.md"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original + "\n<!-- benchmark edit -->\n", encoding="utf-8")
        run("make", "--no-print-directory", "book")
    finally:
        page.write_text(original, encoding="utf-8")


def refresh_chapters(folder: Path, cold: bool = False) -> None:
    """Every chapter, run as ``make refresh`` runs them; ``cold`` first empties the cache of
    validated data, as new data would."""
    if cold:
        shutil.rmtree(paths.CACHE, ignore_errors=True)
    notebooks = refresh.chapter_notebooks()
    failures = refresh.execute_all(notebooks, [folder / nb.name for nb in notebooks],
                                   refresh.DEFAULT_PARAMETERS)
    if failures:
        raise RuntimeError("; ".join(map(str, failures)))


def refresh_floor(folder: Path, count: int) -> None:
    """The same number of notebooks, each a single trivial cell, run the same way."""
    sources = []
    for i in range(count):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        sources.append(folder / f"trivial-{i}.ipynb")
        nbformat.write(nb, sources[-1])
    refresh.execute_all(sources, [p.with_name(p.stem + "-out.ipynb") for p in sources], {})


def nbval() -> None:
    run(PY, "-m", "pytest", "-q", "--nbval", "--nbval-current-env", "chapters")


#: UCDP's real GED 24.1 for Mali, shared beside the book (never committed): when present, the
#: benchmark file repeats its rows, with their real share of imprecise and inconsistent rows.
REAL_GED = paths.SHARED / "data" / "ucdp" / "ucdp_ged_mali_v24_1.csv"


def write_real_ged(path: Path, rows: int, source: Path = REAL_GED) -> None:
    """``rows`` rows made by repeating the real Mali rows of ``source`` with fresh ids, in
    UCDP's country-export layout (trailing commas, quoted newlines, US dates) as published."""
    import csv

    with open(source, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        real = list(reader)
    position = header.index("id")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for i in range(rows):
            row = list(real[i % len(real)])
            row[position] = str(10_000_000 + i)
            writer.writerow(row)


def write_ged(path: Path, rows: int) -> None:
    """A GED-shaped CSV of ``rows`` Malian events: the real rows repeated when UCDP's file is
    beside the book, else made-up rows (names, places and tolls repeat)."""
    import csv

    if REAL_GED.exists():
        write_real_ged(path, rows)
        return
    places = [("Mopti region", "14.28", "-3.32"), ("Gao region", "16.27", "-0.04"),
              ("Kidal region", "18.44", "1.41"), ("Ségou region", "13.43", "-6.26")]
    sides = [("Government of Mali", "JNIM"), ("Government of Mali", "IS Sahel"),
             ("JNIM", "Civilians")]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(GED_HEADER)
        for i in range(rows):
            region, lat, lon = places[i % len(places)]
            side_a, side_b = sides[i % len(sides)]
            day = f"20{12 + i % 13:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            violence = "3" if side_b == "Civilians" else "1"
            writer.writerow([i, f"r{i}", day[:4], violence, "Mali", side_a, side_b, "headline",
                             "1", "place", region, "", lat, lon, "Mali", "1", day, day,
                             i % 20, i % 10, i % 30 + 20])


MEASURE_IMPORT = """
import resource, sys, time
from pathlib import Path
started = time.perf_counter()
if sys.argv[2] == "pyarrow":
    import pyarrow, pyarrow.csv
    loaded = time.perf_counter()
    parse = pyarrow.csv.ParseOptions(newlines_in_values=True)
    try:
        pyarrow.csv.read_csv(sys.argv[1], parse_options=parse)
    except pyarrow.ArrowInvalid:  # UCDP's export ends every data row with a comma
        header = open(sys.argv[1], encoding="utf-8").readline().strip().split(",")
        pyarrow.csv.read_csv(sys.argv[1], parse_options=parse, read_options=
                             pyarrow.csv.ReadOptions(column_names=[*header, "_"], skip_rows=1))
else:
    from analysis.ingest.importers import convert
    loaded = time.perf_counter()
    convert(Path(sys.argv[1]), "ucdp")
done = time.perf_counter()
print(done - started, done - loaded, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
#: Separate processes for the two, so each pays its own start-up in ``command`` and neither
#: inherits the other's memory; ``work`` leaves out importing the libraries (the same for any
#: file size), so its ratio shows how the data path scales.
MEASURES = ("command", "work")


def import_run(path: Path, how: str) -> tuple[float, float, float]:
    out = subprocess.run([PY, "-c", MEASURE_IMPORT, str(path), how], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def imports(folder: Path, repeats: int) -> list[dict[str, object]]:
    results = []
    for rows in ROWS:
        path = folder / f"ged-{rows}.csv"
        write_ged(path, rows)
        runs: dict[str, list[tuple[float, float, float]]] = {"analysis": [], "pyarrow": []}
        for _ in range(repeats):  # the two readers in turn, like ``rounds``
            for how in runs:
                runs[how].append(import_run(path, how))
        measured: dict[str, dict[str, object]] = {}
        for how, taken in runs.items():
            measured[how] = {"peak_mb": max(r[2] for r in taken)}
            for position, measure in enumerate(MEASURES):
                measured[how][measure] = summary([r[position] for r in taken])
        ratios = {m: paired_ratio([r[i] for r in runs["analysis"]],
                                  [r[i] for r in runs["pyarrow"]])
                  for i, m in enumerate(MEASURES)}
        results.append({"rows": rows, "import": measured["analysis"],
                        "pyarrow_read": measured["pyarrow"], "ratio": ratios})
    return results


def page_sizes() -> dict[str, object]:
    html = paths.BUILD / "html"
    pages = {p.name: p.stat().st_size for p in sorted((html / "chapters").glob("*.html"))}
    specs = {p.parent.name: p.stat().st_size for p in (html / "figures").glob("*/*.json")}
    largest = max(specs, key=specs.get) if specs else ""
    return {"pages_bytes": pages, "largest_spec": largest,
            "largest_spec_bytes": specs.get(largest, 0)}


#: The explorer is measured with this many events: the book's, repeated with fresh ids.
EXPLORER_EVENTS = 2_000


def repeated_events(events: pd.DataFrame, rows: int) -> pd.DataFrame:
    """``rows`` events made by repeating the real ones in order, each with a fresh id."""
    copies = -(-rows // len(events))
    table = pd.concat([events] * copies, ignore_index=True).head(rows)
    return table.assign(event_id=[f"BENCH-{i:05d}" for i in range(rows)])


def explorer_site(folder: Path, rows: int = EXPLORER_EVENTS) -> Path:
    """A copy of the built site (``_build/html``, without the figure files) whose explorer
    holds ``rows`` events."""
    from analysis.book import explorer
    from analysis.data import bibliography, load_actors, load_events, load_lineage

    site = folder / "site"
    shutil.copytree(paths.BUILD / "html", site,
                    ignore=shutil.ignore_patterns("figures", "_sources"))
    events = repeated_events(load_events(), rows)
    data = explorer.payload(events, load_actors(), load_lineage(), bibliography(),
                            paths.dataset_version())
    explorer.write_site_files(site, data=data)
    return site


def page_weight(site: Path, requests: list[str]) -> int:
    """The bytes of every file of ``site`` a page requested (each counted once)."""
    from urllib.parse import unquote, urlsplit

    files = {site / unquote(urlsplit(u).path).lstrip("/") for u in requests
             if u.startswith("http://127.0.0.1")}
    return sum(f.stat().st_size for f in files if f.is_file())


#: The explorer's two moments, in milliseconds from the start of navigation, as the page
#: records them: its filters, list and cards work; then its map and timeline are drawn too.
MOMENTS = {"usable": "window.MALI_EXPLORER_USABLE", "interactive": "window.MALI_EXPLORER_READY"}


def explorer_load(site: Path, repeats: int) -> dict[str, object]:
    """Time to interactive of the explorer (``MOMENTS``), over HTTP and from ``file://``, each
    run in a fresh browser (empty cache); the page's weight over HTTP."""
    import functools
    import http.server
    import threading

    from benchmarks.headless import Chromium

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = "chapters/explorer.html"
    urls = {"http": f"http://127.0.0.1:{server.server_address[1]}/{page}",
            "file": (site / page).as_uri()}
    times: dict[str, list[float]] = {f"{m}_{how}": [] for how in urls for m in MOMENTS}
    weight = 0
    try:
        for round_ in range(repeats):
            for how, url in urls.items():
                with Chromium(site.parent / f"profile-{how}-{round_}") as browser:
                    browser.open(url)
                    for moment, signal in MOMENTS.items():
                        times[f"{moment}_{how}"].append(browser.wait_for(signal) / 1000)
                    if how == "http":
                        weight = page_weight(site, browser.requests)
    finally:
        server.shutdown()
    data = site / "_static" / "explorer" / "explorer-data.js"
    return {"events": EXPLORER_EVENTS, **{k: summary(v) for k, v in times.items()},
            "page_bytes": weight, "data_bytes": data.stat().st_size}


#: The forecasting standard of issue #21: on UCDP GED 24.1 Mali monthly deaths, origins
#: January 2016 to December 2022, horizons 1 to 12.
FORECAST_ORIGINS = ("2016-01-01", "2022-12-01")
#: The window on which a model is chosen (``forecast.select_model``) before the test window is
#: scored: origins January 2014 to December 2015, scored only on months before 2016.
SELECTION_ORIGINS = ("2014-01-01", "2015-12-01")
#: Origins after the test window, scored on the months GED 24.1 covers (to December 2023): a
#: year that played no part in designing the models added after the test window was seen.
LATER_ORIGINS = ("2023-01-01", "2023-12-01")


def oracle_floor(deaths: pd.Series, first: int, last: int) -> float:
    """A diagnostic, not a model: the mean CRPS, relative to the 24-month bootstrap's, of a
    log-normal told the future, centred on the mean of log(1 + deaths) over the twelve months
    from each origin (spread as ``forecast.log_normal``'s). How close to 0.9 a model could come
    if it knew the coming year's level."""
    from analysis import forecast

    values = deaths.to_numpy(dtype=float)
    logged = np.log1p(values)

    def told_the_future(history: np.ndarray, horizon: int, rng: np.random.Generator
                        ) -> np.ndarray:
        origin = len(history)
        centre = logged[origin:origin + 12].mean()
        spread = logged[:origin][-36:].std(ddof=1)
        return np.clip(np.expm1(rng.normal(centre, spread, size=(horizon, 1000))), 0, None)

    models = {"oracle": told_the_future, "bootstrap": forecast.bootstrap}
    results = forecast.backtest(deaths, models, first, horizon=12, seed=0, last_origin=last)
    means = results.groupby("model")["crps"].mean()
    return float(means["oracle"] / means["bootstrap"])


def forecast_skill() -> dict[str, object] | None:
    """The backtest of every forecasting model on UCDP's monthly deaths for Mali (when the
    shared GED file is present), on three windows: the selection window (the model the
    selection rule picks there), the test window (mean CRPS and 80% coverage per model, each
    model's CRPS relative to the best benchmark's, the chosen and the selected model's with
    their block-bootstrap intervals, the oracle floor), and the origins of 2023 after it; and
    the chosen model's sensitivity to its settings on the test window."""
    if not REAL_GED.exists():
        return None
    from analysis import forecast, transforms
    from analysis.ingest.importers import convert

    events, _, _ = convert(REAL_GED, "ucdp")
    violence = transforms.in_period(transforms.violent(events), "2012-01-01", "2023-12-31")
    deaths = transforms.monthly(violence, "2012-01-01", "2023-12-31").set_index("month")[
        "fatalities"]
    windows = {}
    for name, (start, end), series in (
            ("selection", SELECTION_ORIGINS, deaths[deaths.index < FORECAST_ORIGINS[0]]),
            ("test", FORECAST_ORIGINS, deaths), ("later", LATER_ORIGINS, deaths)):
        results = forecast.backtest(series, forecast.MODELS,
                                    forecast.origin_index(series, start), horizon=12, seed=0,
                                    last_origin=forecast.origin_index(series, end),
                                    events=violence)
        table = forecast.skill_table(results)
        windows[name] = {"results": results, "table": table,
                         "best": forecast.best_benchmark(table)}
    # on the selection window origins score different numbers of months: the rule and its
    # ratios use the mean over forecasts (backtest_summary), not over origins
    chosen_on = windows["selection"]["table"]
    selected = forecast.select_model(chosen_on)
    test, later = windows["test"], windows["later"]
    summary = test["table"]
    first = forecast.origin_index(deaths, FORECAST_ORIGINS[0])
    last = forecast.origin_index(deaths, FORECAST_ORIGINS[1])
    chosen = forecast.CHOSEN_MODEL
    return {"forecasts_per_model": int(summary["forecasts"].iloc[0]),
            "mean_crps": summary["mean_crps"].to_dict(),
            "coverage_80": summary["coverage_80"].dropna().to_dict(),
            "ratio_to_best_benchmark": summary["skill"].round(3).to_dict(),
            "selection": {"forecasts_per_model": int(chosen_on["forecasts"].iloc[0]),
                          "best_benchmark": windows["selection"]["best"],
                          "ratio_to_best_benchmark": (chosen_on["mean_crps"] / chosen_on.loc[
                              windows["selection"]["best"], "mean_crps"]).round(3).to_dict(),
                          "coverage_80": chosen_on["coverage_80"].dropna().to_dict(),
                          "selected": selected},
            "later": {"forecasts_per_model": int(later["table"]["forecasts"].iloc[0]),
                      "best_benchmark": later["best"],
                      "ratio_to_best_benchmark": later["table"]["skill"].round(3).to_dict(),
                      "coverage_80": later["table"]["coverage_80"].dropna().to_dict()},
            "best_benchmark": test["best"], "chosen": chosen,
            "skill": forecast.skill_interval(test["results"], chosen, test["best"]),
            "selected_skill": forecast.skill_interval(test["results"], selected, test["best"])
            if selected else None,
            "sensitivity": sensitivity(deaths, violence, first, last, test["results"]),
            "oracle_floor": round(oracle_floor(deaths, first, last), 3),
            "largest_month": largest_month(test["results"], test["best"])}


def sensitivity(deaths: pd.Series, violence: pd.DataFrame, first: int, last: int,
                test: pd.DataFrame) -> dict[str, float]:
    """The chosen model's mean CRPS relative to the 24-month bootstrap's on the test window
    (``test``: its ``backtest`` rows, which hold both) as set, and under other settings:
    half-lives of 2, 4 and 6 months, a dispersion window of 36 months, without seasonality."""
    from functools import partial

    from analysis import forecast

    variants = {f"half-life {h} months": partial(forecast.compound, half_life=h, seasonal=True)
                for h in (2, 4, 6)}
    variants["dispersion over 36 months"] = partial(forecast.compound, dispersion_months=36,
                                                    seasonal=True)
    variants["no seasonality"] = forecast.compound
    results = forecast.backtest(deaths, variants, first, horizon=12, seed=0, last_origin=last,
                                events=violence)
    means = pd.concat([test.groupby("model")["crps"].mean(),
                       results.groupby("model")["crps"].mean()])
    bootstrap = means["bootstrap of the last 24 months"]
    ratios = {"as chosen (half-life 3 months)": means[forecast.CHOSEN_MODEL] / bootstrap}
    ratios.update({name: means[name] / bootstrap for name in variants})
    return {name: round(float(value), 3) for name, value in ratios.items()}


def largest_month(results: pd.DataFrame, model: str) -> dict[str, object]:
    """The target month that weighs most in ``model``'s mean CRPS (``backtest`` rows: origin,
    step, observed, crps), its deaths and its share of the model's summed CRPS."""
    rows = results[results["model"] == model]
    target = pd.DatetimeIndex([o + pd.DateOffset(months=int(k) - 1)
                               for o, k in zip(rows["origin"], rows["step"], strict=True)])
    by_month = rows.groupby(target)["crps"].sum()
    month = by_month.idxmax()
    return {"month": month.strftime("%Y-%m"),
            "deaths": float(rows.loc[target == month, "observed"].iloc[0]),
            "share": round(float(by_month.max() / rows["crps"].sum()), 3)}


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--repeats", type=int, default=3)
    options.add_argument("--explorer-only", action="store_true",
                         help="only the explorer's measures, on the site already built")
    args = options.parse_args(argv)
    results: dict[str, object] = {"machine": {"python": platform.python_version(),
                                              "platform": platform.platform(),
                                              "processor": platform.machine(),
                                              "cpus": __import__("os").cpu_count()}}
    if args.explorer_only:
        with tempfile.TemporaryDirectory() as tmp:
            measured = explorer_load(explorer_site(Path(tmp)), args.repeats)
        print(report({"explorer": measured}))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        builds = rounds({"cold_build": build_cold, "prose_rebuild": build_after_prose_edit},
                        args.repeats)
        count = len(refresh.chapter_notebooks())
        runs = rounds({"refresh": lambda: refresh_chapters(folder, cold=True),
                       "refresh_warm": lambda: refresh_chapters(folder),
                       "refresh_floor": lambda: refresh_floor(folder, count),
                       "nbval": nbval}, args.repeats)
        results.update({name: summary(times) for name, times in {**builds, **runs}.items()})
        results["imports"] = imports(folder, args.repeats)
        results["explorer"] = explorer_load(explorer_site(folder), args.repeats)
    results["sizes"] = page_sizes()
    results["forecast"] = forecast_skill()
    share = paired_ratio(builds["prose_rebuild"], builds["cold_build"])
    ratio = paired_ratio(runs["refresh"], runs["refresh_floor"])
    warm = paired_ratio(runs["refresh_warm"], runs["refresh_floor"])
    largest_import = results["imports"][-1]
    pages = results["sizes"]["pages_bytes"]
    results["targets"] = {
        "refresh within 1.5x of its floor (new data: cache emptied)": {
            "value": round(ratio, 2), "met": ratio <= 1.5},
        "the same, data unchanged since the last run (cache warm)": {
            "value": round(warm, 2), "met": warm <= 1.5},
        "420k-row import within 3x of a pyarrow read (work, libraries loaded)": {
            "value": round(largest_import["ratio"]["work"], 2),
            "met": largest_import["ratio"]["work"] <= 3},
        "the same, whole command (start-up included)": {
            "value": round(largest_import["ratio"]["command"], 2),
            "met": largest_import["ratio"]["command"] <= 3},
        "no chapter page over 2 MB": {"value": max(pages.values()),
                                      "met": max(pages.values()) <= 2_000_000},
        "prose-only rebuild under 10% of a cold build": {
            "value": round(share, 3), "met": share < 0.10},
    }
    slowest = max(results["explorer"]["interactive_http"]["median"],
                  results["explorer"]["interactive_file"]["median"])
    results["targets"][f"explorer interactive within 2 s with {EXPLORER_EVENTS:,} events"] = {
        "value": round(slowest, 2), "met": slowest <= 2}
    if results["forecast"]:
        skill = results["forecast"]
        coverage = skill["coverage_80"][skill["chosen"]]
        results["targets"].update({
            "chosen model's CRPS at most 0.9x the best benchmark's (UCDP, 2016-2022, h 1-12)": {
                "value": round(skill["skill"]["ratio"], 3),
                "met": skill["skill"]["ratio"] <= 0.9},
            "chosen model's 80% intervals cover 75-85% of outcomes": {
                "value": coverage, "met": 0.75 <= coverage <= 0.85}})
        if skill["selected_skill"]:
            picked = skill["selection"]["selected"]
            results["targets"][f"model picked on 2014-2015 ({picked}): CRPS at most 0.9x the "
                               "best benchmark's on 2016-2022"] = {
                "value": round(skill["selected_skill"]["ratio"], 3),
                "met": skill["selected_skill"]["ratio"] <= 0.9}
    out = paths.BUILD / "bench" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(report(results))
    print(f"\nwrote {out}")
    return 0


def report(results: dict) -> str:
    """The results as a Markdown table."""
    def span(m: dict) -> str:
        return f"{m['median']:.1f} s (min {m['min']:.1f}, max {m['max']:.1f}, {m['runs']} runs)"

    lines = ["| measure | result |", "|---|---|"]
    for key in ("cold_build", "prose_rebuild", "refresh", "refresh_warm", "refresh_floor",
                "nbval"):
        if key in results:
            lines.append(f"| {key.replace('_', ' ')} | {span(results[key])} |")
    for item in results.get("imports", []):
        ours, plain = item["import"], item["pyarrow_read"]
        lines.append(
            f"| import {item['rows']:,} GED rows | work {ours['work']['median']:.2f} s vs "
            f"pyarrow {plain['work']['median']:.2f} s ({item['ratio']['work']:.1f}x); command "
            f"{ours['command']['median']:.2f} s vs {plain['command']['median']:.2f} s "
            f"({item['ratio']['command']:.1f}x); peak {ours['peak_mb']:.0f} MB vs "
            f"{plain['peak_mb']:.0f} MB |")
    if results.get("explorer"):
        ex = results["explorer"]
        for moment, what in (("usable", "filters and list work"),
                             ("interactive", "map and timeline drawn too")):
            http, file = ex[f"{moment}_http"], ex[f"{moment}_file"]
            lines.append(
                f"| explorer, {ex['events']:,} events: {what} | over HTTP "
                f"{http['median']:.2f} s (min {http['min']:.2f}, max {http['max']:.2f}); "
                f"from file:// {file['median']:.2f} s (min {file['min']:.2f}, "
                f"max {file['max']:.2f}) |")
        lines.append(f"| explorer page weight (its data file) | {ex['page_bytes']:,} bytes "
                     f"({ex['data_bytes']:,} bytes) |")
    if "sizes" not in results:
        return "\n".join(lines)
    sizes = results["sizes"]
    lines.append(f"| largest chapter page | {max(sizes['pages_bytes'].values()):,} bytes |")
    lines.append(f"| largest chart spec | {sizes['largest_spec']} "
                 f"({sizes['largest_spec_bytes']:,} bytes) |")
    lines += ["", "| target | value | met |", "|---|---|---|"]
    for name, target in results["targets"].items():
        lines.append(f"| {name} | {target['value']} | {'yes' if target['met'] else 'no'} |")
    if results.get("forecast"):
        skill = results["forecast"]
        later = skill["later"]
        lines.append(f"\nAfter the test window (origins of 2023, {later['forecasts_per_model']} "
                     f"forecasts), the chosen model's CRPS relative to the best benchmark "
                     f"({later['best_benchmark']}): "
                     f"{later['ratio_to_best_benchmark'][skill['chosen']]}; on the selection "
                     f"window: {skill['selection']['ratio_to_best_benchmark'][skill['chosen']]}")
        lines.append("\nSensitivity of the chosen model on the test window (CRPS relative to "
                     "the bootstrap): " + "; ".join(f"{k} {v}" for k, v in
                                                   skill["sensitivity"].items()))
        lines.append(f"\nOracle floor (a log-normal told the coming year's level), CRPS relative "
                     f"to the bootstrap: {skill['oracle_floor']}; the heaviest month, "
                     f"{skill['largest_month']['month']}, weighs "
                     f"{skill['largest_month']['share']:.0%} of the best benchmark's CRPS")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
