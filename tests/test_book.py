"""The HTML build: strict, complete, offline; a broken reference or citation fails it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths

JB = str(Path(sys.executable).with_name("jupyter-book"))
BOOK_FILES = ("_config.yml", "_toc.yml", "references.bib", "chapters", "_static")


def copy_book(target: Path) -> Path:
    for name in BOOK_FILES:
        source = paths.ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


def build(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run([JB, "build", str(book), "--builder", "html", "-W", "-n",
                           "--keep-going"], capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_book_builds_strictly_and_offline(tmp_path):
    if not (paths.STATIC / "vega-bundle.js").exists():
        pytest.fail("_static/vega-bundle.js is missing: run `make vendor`")
    book = copy_book(tmp_path)
    result = build(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pages = sorted((book / "_build" / "html" / "chapters").glob("*.html"))
    assert len(pages) >= 7
    charts = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        external = re.findall(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=\"(?:https?:)?//",
                              html)
        assert not external, f"{page.name} loads from another host: {external[:3]}"
        assert html.count("vega-bundle.js") <= 1
        charts += html.count('class="book-chart"')
    assert charts >= 6


@pytest.mark.slow
def test_unknown_citation_and_broken_reference_fail_the_build(tmp_path):
    book = copy_book(tmp_path)
    page = book / "chapters" / "bibliography.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + "\nSee {cite}`no_such_source_2099` and {numref}`fig-no-such-figure`.\n",
                    encoding="utf-8")
    result = build(book)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "no_such_source_2099" in output
    assert "fig-no-such-figure" in output
