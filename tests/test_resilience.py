"""The chapters survive unusual data; refresh survives being killed; secrets stay secret;
hostile text in the data never runs in a reader's browser."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, event_row, write_events
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from analysis import charts, paths, refresh

PLACES = [("Mopti", "Ogossagou", "14.28", "-3.32"), ("Taoudénit", "Taoudeni", "22.68", "-3.98"),
          ("Kidal", "Kidal", "18.44", "1.41"), ("Bamako", "Bamako", "12.64", "-8.0")]
ACTORS = ["jnim", "fama", "acled:A New Armed Group", "dan_na_ambassagou"]


@st.composite
def unusual_datasets(draw) -> list[dict[str, str]]:
    """One to six events: years may be missing, actors new, tolls unknown, regions unusual."""
    count = draw(st.integers(1, 6))
    years = draw(st.lists(st.sampled_from([2012, 2015, 2019, 2024, 2025]), min_size=count,
                          max_size=count))
    rows = []
    for i, year in enumerate(years):
        region, place, lat, lon = draw(st.sampled_from(PLACES))
        toll = draw(st.sampled_from(["", "0", "12"]))
        day = f"{year}-0{draw(st.integers(1, 9))}-1{i % 9}"
        rows.append(event_row(
            event_id=f"X-{i}", date_start=day, date_end=day, admin1=region, location=place,
            latitude=lat, longitude=lon, admin2="", actor1=draw(st.sampled_from(ACTORS)),
            actor2=draw(st.sampled_from(["fama", "civilians", ""])), fatalities_best=toll,
            fatalities_low=toll, fatalities_high=toll))
    return rows


@pytest.mark.slow
@settings(max_examples=3, deadline=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=unusual_datasets())
def test_every_chapter_runs_on_unusual_data(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("unusual")
    events = write_events(folder / "events.csv", rows)
    for notebook in refresh.chapter_notebooks():
        failure = refresh.execute(notebook, folder / notebook.name,
                                  {**refresh.DEFAULT_PARAMETERS, "events_path": str(events)})
        assert failure is None, str(failure)


@pytest.mark.slow
def test_a_chapter_says_when_there_is_too_little_data(tmp_path):
    events = write_events(tmp_path / "one.csv", [event_row(event_id="ONE-1")])
    out = tmp_path / "ihl.ipynb"
    failure = refresh.execute(paths.CHAPTERS / "ihl_classification.ipynb", out,
                              {**refresh.DEFAULT_PARAMETERS, "events_path": str(events)})
    assert failure is None
    assert charts.TOO_LITTLE in out.read_text(encoding="utf-8")


def copy_chapters(tmp_path: Path) -> list[Path]:
    shutil.copytree(paths.CHAPTERS, tmp_path / "chapters")
    return refresh.chapter_notebooks(tmp_path / "chapters")


REFRESH_SCRIPT = """
import sys
from pathlib import Path
from analysis import refresh
folder = Path(sys.argv[1])
refresh.refresh(notebooks=refresh.chapter_notebooks(folder / "chapters"),
                staging=folder / "stage", headlines=folder / "headlines.json",
                report=folder / "what-changed.md")
print("done")
"""


@pytest.mark.slow
def test_a_killed_refresh_changes_nothing_and_the_next_run_succeeds(tmp_path):
    copies = copy_chapters(tmp_path)
    (tmp_path / "headlines.json").write_text("{}", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in copies}
    process = subprocess.Popen([sys.executable, "-c", REFRESH_SCRIPT, str(tmp_path)],
                               start_new_session=True, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    time.sleep(6)  # the first chapters are executing
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert {p.name: p.read_bytes() for p in copies} == before
    assert (tmp_path / "headlines.json").read_text(encoding="utf-8") == "{}"
    secret = "acled-test-password-8f3c1"
    env = {**os.environ, "ACLED_PASSWORD": secret, "ACLED_EMAIL": "reader@example.org"}
    result = subprocess.run([sys.executable, "-c", REFRESH_SCRIPT, str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=600)
    assert "done" in result.stdout, result.stderr[-2000:]
    # Secrets: nowhere in the executed notebooks, the report or the logs.
    for path in [*copies, tmp_path / "what-changed.md", tmp_path / "headlines.json"]:
        assert secret not in path.read_text(encoding="utf-8")
    assert secret not in result.stdout + result.stderr


def test_secrets_never_reach_an_import_or_its_outputs(tmp_path):
    secret = "acled-test-password-8f3c1"
    source = ROOT / "tests" / "test_importers.py"  # any file is fine as long as it fails clearly
    env = {**os.environ, "ACLED_PASSWORD": secret}
    result = subprocess.run([sys.executable, "-m", "analysis", "import", str(source),
                             "--format", "acled", "--out", str(tmp_path / "out.csv")],
                            capture_output=True, text=True, env=env)
    assert secret not in result.stdout + result.stderr
    assert not list(tmp_path.iterdir())


HOSTILE = ['<script>document.title="PWNED-1"</script>',
           '<img src=x onerror="document.title=\'PWNED-2\'">',
           '<a href="javascript:document.title=\'PWNED-3\'">click</a>']


@pytest.mark.slow
def test_hostile_text_is_shown_as_text_in_a_real_browser(tmp_path):
    import pandas as pd

    from analysis import transforms

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed: run `make chromium`")
    table = pd.DataFrame({"year": [2019, 2020, 2021], "events": [1, 2, 3],
                          "event_type": HOSTILE})
    charts.use_book_renderer()
    chart = charts.bars_by_year(table, "events", colour="event_type")
    html_chart = chart._repr_mimebundle_()
    html_chart = (html_chart[0] if isinstance(html_chart, tuple) else html_chart)["text/html"]
    html_table = transforms.tally(table.assign(event_id=range(3), fatalities_best=pd.array(
        [1, 2, 3], dtype="Int64")), ["event_type"]).to_html()
    page = tmp_path / "page.html"
    shutil.copy(ROOT / "_static" / "vega-bundle.js", tmp_path / "vega-bundle.js")
    page.write_text("<html><head><title>SAFE</title><script src='vega-bundle.js'></script>"
                    f"</head><body>{html_table}{html_chart}</body></html>", encoding="utf-8")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=8000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    dom = result.stdout
    assert "<title>SAFE</title>" in dom and "PWNED" not in dom.split("<body")[0]
    assert 'class="marks"' in dom  # the chart was drawn
    assert "&lt;script&gt;" in dom  # the table shows the text, escaped
    assert "<img src=\"x\"" not in dom and "<img src=x" not in dom


@pytest.mark.slow
def test_the_scenarios_chapter_runs_unchanged_on_an_imported_ucdp_file(tmp_path):
    """The outlook's code is not tied to the curated data: it runs on a UCDP import."""
    from test_importers import UCDP_COLUMNS, ucdp_rows, write_csv

    from analysis.importers import import_file

    rows = []
    for month in range(36):
        for row in ucdp_rows(("best", "low", "high"))[:2]:
            day = f"{2022 + month // 12}-{1 + month % 12:02d}-15"
            rows.append({**row, "id": f"{month}{row['id']}", "date_start": day,
                         "date_end": day})
    source = write_csv(tmp_path / "ged.csv", rows, [*UCDP_COLUMNS, "best", "low", "high"])
    imported = tmp_path / "ucdp.csv"
    report = import_file(source, "ucdp", imported)
    assert report.imported == 72
    out = tmp_path / "scenarios.ipynb"
    failure = refresh.execute(paths.CHAPTERS / "scenarios.ipynb", out,
                              {**refresh.DEFAULT_PARAMETERS, "events_path": str(imported),
                               "start": "2022-01-01", "end": "2024-12-31"})
    assert failure is None, str(failure)
    text = out.read_text(encoding="utf-8")
    assert "mean_crps" in text and "outlook probability" in text
