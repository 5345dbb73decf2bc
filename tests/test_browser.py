"""Every page of the built book in headless Chromium, with every other host unreachable."""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import shutil
import subprocess
import threading
import time

import pytest

from analysis import paths
from analysis.data import load_actors
from benchmarks.headless import Chromium

#: Tests sharing a session fixture run on one worker under `pytest -n 2 --dist loadgroup`.
pytestmark = pytest.mark.xdist_group("book")


CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=20000", "--dump-dom"]
IGNORED_CONSOLE = ("[PST]", "Got invalid theme mode", "[togglebutton]",
                   # Vega-Lite's note that a chart drawn to its container's width keeps its
                   # fixed row height (heatmaps): expected, not an error
                   'WARN Dropping "fit-y" because spec has discrete height')


@pytest.fixture(scope="module")
def site(built_book):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", built_book
    server.shutdown()


def render(url: str, profile) -> tuple[str, str]:
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: run `make chromium` (Debian's package)")
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", url],
                            capture_output=True, text=True, timeout=120)
    return result.stdout, result.stderr


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line
            and not any(noise in line for noise in IGNORED_CONSOLE)]


@pytest.mark.slow
def test_every_page_draws_its_charts_offline_without_console_errors(site, tmp_path):
    base, root = site
    # the site's root index.html only redirects to chapters/index.html, the front page
    pages = sorted(f"chapters/{p.name}" for p in (root / "chapters").glob("*.html"))
    drawn = 0
    for page in pages:
        dom, stderr = render(f"{base}/{page}", tmp_path / "profile")
        expected = (root / page).read_text(encoding="utf-8").count('class="book-chart"')
        charts = re.findall(r'<div id="vis-[0-9a-f]+" class="book-chart[^"]*".*?</div>\s*<script',
                            dom, flags=re.S)
        assert len(charts) == expected, page
        for chart in charts:
            assert re.search(r'<svg[^>]*class="marks"', chart), f"a chart is not drawn on {page}"
            assert re.search(r"<(path|rect|circle|line|text)\b", chart)
            assert "could not be drawn" not in chart
        messages = console_messages(stderr)
        assert not messages, f"{page}: {messages[:3]}"
        drawn += len(charts)
    assert drawn >= 15


# ---- the event explorer, driven through the DevTools protocol (benchmarks/headless.py)

EXPLORER = "chapters/explorer.html"
READY = "window.MALI_EXPLORER_READY"
LOCAL = ("file:", "data:", "blob:", "http://127.0.0.1:")


def book_events():
    from analysis.data import load_events

    return load_events()


def count_shown(browser) -> int:
    text = browser.evaluate("document.getElementById('explorer-count').textContent")
    return int(text.split(" of ")[0].replace(",", ""))


def choose(browser, control: str, value: str | bool) -> None:
    """Set a filter as a reader does: the control's value, then its change event."""
    prop = "checked" if isinstance(value, bool) else "value"
    browser.evaluate(f"(() => {{ const c = document.getElementById('explorer-{control}'); "
                     f"c.{prop} = {json.dumps(value)}; "
                     "c.dispatchEvent(new Event(c.type === 'search' ? 'input' : 'change')); })()")
    if control == "q":
        time.sleep(0.4)  # the search box waits for the reader to stop typing


def explorer_problems(browser) -> list[str]:
    messages = [m for m in browser.console if not any(n in m for n in IGNORED_CONSOLE)
                and not m.endswith("/favicon.ico)")]  # the browser's own request, not the page's
    elsewhere = [u for u in browser.requests if not u.startswith(LOCAL)]
    return messages + [f"request to {u}" for u in elsewhere]


@pytest.mark.slow
def test_explorer_filters_cards_and_exports_offline(site, tmp_path):
    from analysis import ihl, transforms
    from analysis.book.explorer import NO_TOLL, death_bands
    from analysis.data import bibliography, check_events, load_lineage

    base, _ = site
    events = book_events()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with Chromium(tmp_path / "profile", downloads=downloads) as browser:
        browser.open(f"{base}/{EXPLORER}")
        browser.wait_for(READY)
        assert count_shown(browser) == len(events)
        # keyboard: every control has a label, every listed event is a link
        assert browser.evaluate("[...document.querySelectorAll('#explorer input, #explorer "
                                "select')].every(c => c.labels.length > 0)")
        assert browser.evaluate("document.querySelectorAll('#explorer-list li > a[href^=\"#\"]')"
                                ".length") == min(50, len(events))

        choose(browser, "region", "Mopti")
        choose(browser, "type", "Battles")
        wanted = events[(events["admin1"] == "Mopti") & (events["event_type"] == "Battles")]
        assert 0 < count_shown(browser) == len(wanted) < len(events)
        assert browser.evaluate("window.MALI_EXPLORER_VIEWS.map.data('points').length") == len(
            wanted)

        saved = browser.download("document.getElementById('explorer-csv').click()")
        assert saved["name"].endswith(f"-{len(wanted)}.csv")
        first, rest = saved["path"].read_text(encoding="utf-8").split("\n", 1)
        assert "Mali's Security Crisis since 2012" in first and "region Mopti" in first
        assert paths.dataset_version() in first
        exported = tmp_path / "exported.csv"
        exported.write_text(rest, encoding="utf-8")
        again = check_events(exported)  # the rows are a valid event file of the same events
        assert sorted(again["event_id"]) == sorted(wanted["event_id"])
        merged = again.merge(wanted, on="event_id", suffixes=("", "_book"))
        assert (merged["fatalities_best"].fillna(-1) == merged["fatalities_best_book"].fillna(-1)
                ).all()

        saved = browser.download("document.getElementById('explorer-geojson').click()")
        geojson = json.loads(saved["path"].read_text(encoding="utf-8"))
        assert len(geojson["features"]) == len(wanted)
        assert geojson["metadata"]["dataset_version"] == paths.dataset_version()

        browser.evaluate("document.getElementById('explorer-reset').click()")
        choose(browser, "actor", "jnim")
        family = ["jnim", *ihl.ancestors(load_lineage())["jnim"]]
        assert count_shown(browser) == int(transforms.names_any(events, family).sum())
        choose(browser, "lineage", False)
        assert count_shown(browser) == int(transforms.names_any(events, ["jnim"]).sum())
        assert count_shown(browser) < int(transforms.names_any(events, family).sum())

        browser.evaluate("document.getElementById('explorer-reset').click()")
        choose(browser, "band", NO_TOLL)
        assert count_shown(browser) == int((death_bands(events) == NO_TOLL).sum())
        choose(browser, "band", "")
        choose(browser, "civilians", "yes")
        choose(browser, "from", "2024-01-01")
        choose(browser, "to", "2024-12-31")
        in_2024 = events[events["civilian_targeting"].astype(bool)
                         & (events["date_end"] >= "2024-01-01")
                         & (events["date_start"] <= "2024-12-31")]
        assert count_shown(browser) == len(in_2024)

        browser.evaluate("document.getElementById('explorer-reset').click()")
        choose(browser, "q", "segou")  # accents do not matter
        text = (events["location"].fillna("") + " " + events["admin2"].fillna("") + " "
                + events["admin1"].fillna("") + " " + events["notes"].fillna("")).str.lower()
        assert count_shown(browser) == int(text.str.contains("ségou|segou").sum()) > 0

        event = events[events["event_id"] == "MLI-2024-0022"].iloc[0]
        browser.open(f"{base}/{EXPLORER}#MLI-2024-0022")
        browser.wait_for(READY)
        card = browser.wait_for("!document.getElementById('explorer-card').hidden && "
                                "document.getElementById('explorer-card').innerHTML")
        assert browser.evaluate("document.activeElement.id") == "explorer-card"
        names = load_actors().set_index("actor_id")["name_en"]
        assert event["location"] in card and f"{event['date_start']:%Y-%m-%d}" in card
        assert names[event["actor1"]] in card and names[event["actor2"]] in card
        entries = bibliography()
        for key in event["source_ids"].split(";"):
            assert f'href="sources.html#src-{key}"' in card
            if entries[key].get("url"):
                assert html.escape(entries[key]["url"]) in card
        assert str(event["fatalities_best"]) in card and "MLI-2024-0022" in card
        problems = explorer_problems(browser)
    assert not problems, problems[:5]


@pytest.mark.slow
def test_explorer_works_from_disk_on_a_phone(built_book, tmp_path):
    events = book_events()
    page = (built_book / EXPLORER).as_uri()
    with Chromium(tmp_path / "profile", width=360, height=740, mobile=True) as browser:
        browser.open(f"{page}?type=Battles#MLI-2024-0022")
        browser.wait_for(READY)
        assert count_shown(browser) == int((events["event_type"] == "Battles").sum())
        assert browser.wait_for("!document.getElementById('explorer-card').hidden")
        widths = browser.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1] == 360, widths
        assert browser.evaluate("document.querySelector('#explorer-map canvas') !== null")
        problems = explorer_problems(browser)
    assert not problems, problems[:5]


#: What a reader must never meet: the page or a chart wider than the screen, a missing-value
#: marker or an object's repr in the text, a table cell cut short with '...', a raw truth value
#: or a midnight time in a table cell.
READER_PROBLEMS = """(() => {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth)
    problems.push('page overflows: ' + document.documentElement.scrollWidth);
  document.querySelectorAll('div.book-chart').forEach(el => {
    const svg = el.querySelector('svg');
    const wide = svg ? svg.getBoundingClientRect().width : 0;
    if (wide > el.clientWidth + 1) problems.push('chart ' + el.id + ' ' + Math.round(wide));
  });
  const text = (document.querySelector('main') || document.body).innerText;
  for (const mark of ['<NA>', 'NaN', 'Thresholds(', 'object at 0x', '<IPython', 'None\\t'])
    if (text.includes(mark)) problems.push('text shows ' + mark);
  document.querySelectorAll('table td, table th').forEach(cell => {
    const shown = cell.innerText.trim();
    if (/\\.\\.\\.$/.test(shown)) problems.push('cut: ' + shown.slice(-30));
    if (/^(True|False)$/.test(shown) || / 00:00:00$/.test(shown))
      problems.push('raw value: ' + shown);
  });
  return problems;
})()"""
CHARTS_DRAWN = ("document.readyState === 'complete' && document.body !== null && "
                "Array.from(document.querySelectorAll('div.book-chart'))"
                ".every(el => el.querySelector('svg.marks'))")


@pytest.mark.slow
@pytest.mark.parametrize("width", [390, 1400])
def test_pages_read_well_on_a_phone_and_a_desk(site, tmp_path, width):
    base, root = site
    pages = sorted(f"chapters/{p.name}" for p in (root / "chapters").glob("*.html")
                   if p.name != "explorer.html")
    found = {}
    with Chromium(tmp_path / "profile", width=width, height=900, mobile=width < 500) as browser:
        for page in pages:
            browser.open(f"{base}/{page}")
            browser.wait_for(CHARTS_DRAWN)
            assert browser.evaluate("window.innerWidth") == width
            problems = browser.evaluate(READER_PROBLEMS)
            if problems:
                found[page] = problems[:5]
    assert not found, found
