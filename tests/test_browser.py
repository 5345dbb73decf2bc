"""Every page of the built book in headless Chromium, with every other host unreachable."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading

import pytest

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=20000", "--dump-dom"]
IGNORED_CONSOLE = ("[PST]", "Got invalid theme mode", "[togglebutton]")


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
    pages = ["index.html", *sorted(f"chapters/{p.name}" for p in (root / "chapters").glob(
        "*.html"))]
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
