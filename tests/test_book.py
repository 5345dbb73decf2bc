"""The HTML build: strict, complete, offline, with every figure registered and citable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from factories import build_book, copy_book

from analysis import paths
from analysis.book import figures, pdf

#: Tests sharing a session fixture run on one worker under `pytest -n 2 --dist loadgroup`.
pytestmark = pytest.mark.xdist_group("book")



@pytest.mark.slow
def test_book_builds_strictly_and_offline(built_book):
    pages = sorted((built_book / "chapters").glob("*.html"))
    assert len(pages) >= 8
    charts = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        external = re.findall(
            r"<(?:script|link|img|iframe|source)[^>]+(?:src|href)=\"(?:https?:)?//", html)
        assert not external, f"{page.name} loads from another host: {external[:3]}"
        assert "THEBE_JS_URL" not in html
        assert html.count("vega-bundle.js") <= 1
        assert "book version 0.1.0" in html
        charts += html.count('class="book-chart"')
    assert charts >= 6


@pytest.mark.slow
def test_every_figure_is_registered_once_with_its_files(built_book):
    index = json.loads((built_book / "figures" / "index.json").read_text(encoding="utf-8"))
    entries = index["figures"]
    ids = [e["figure_id"] for e in entries]
    assert len(ids) == len(set(ids)) >= 15
    assert {f.figure_id for f in figures.collect()} == set(ids)
    for entry in entries:
        assert entry["number"], entry["figure_id"]
        assert re.fullmatch(r"[0-9a-f]{12}", entry["dataset_version"])
        for path in entry["files"].values():
            file = built_book / path
            assert file.exists() and file.stat().st_size > 0, path
        page = (built_book / entry["page"].split("#")[0]).read_text(encoding="utf-8")
        assert page.count(f'data-figure="{entry["figure_id"]}"') == 1
        assert f'id="{entry["figure_id"]}"' in page
    svg = (built_book / entries[0]["files"]["svg"]).read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg")
    png = (built_book / entries[0]["files"]["png"]).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_figure_citations(built_book):
    index = json.loads((built_book / "figures" / "index.json").read_text(encoding="utf-8"))
    entry = next(e for e in index["figures"] if e["figure_id"] == "fig-history-timeline")
    text = entry["citation"]
    assert "Mali's Security Crisis since 2012: An Executable Book, version 0.1.0" in text
    assert f"Figure {entry['number']} (fig-history-timeline)" in text
    assert "chapters/history.html#fig-history-timeline" in text
    assert f"Data: the book's event dataset (data version {entry['dataset_version']})" in text
    assert "Licence CC BY 4.0" in text and re.search(r"Built \d{4}-\d{2}-\d{2}\.", text)
    assert entry["bibtex"].startswith("@misc{malibook-fig-history-timeline,")
    page = (built_book / "chapters" / "history.html").read_text(encoding="utf-8")
    assert "Cite this figure" in page


@pytest.mark.slow
def test_figure_data_files_are_deterministic(built_book, tmp_path):
    """The data and spec of every figure, and the SVG of a few, come out byte for byte again."""
    import vl_convert

    found = figures.collect()
    assert found
    for figure in found:
        files = figure.files()
        assert figures.data_csv(figure.spec) == (built_book / files["csv"]).read_text("utf-8")
        spec = json.loads((built_book / files["json"]).read_text("utf-8"))
        assert spec == figure.spec, figure.figure_id
    for figure in found[:3]:
        svg = (built_book / figure.files()["svg"]).read_text("utf-8")
        assert vl_convert.vegalite_to_svg(figure.spec) == svg, figure.figure_id


def probe_book(target: Path, text: str) -> Path:
    """A copy of the book's configuration and bibliography with one page, ``text``, as its
    only chapter (the whole book's strict build is the test above)."""
    book = copy_book(target)
    for page in (book / "chapters").iterdir():
        page.unlink()
    (book / "chapters" / "probe.md").write_text(
        "# Probe\n\n" + text + "\n\n```{bibliography}\n:filter: cited\n```\n",
        encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/probe\n", encoding="utf-8")
    return book


@pytest.mark.slow
def test_unknown_citation_and_broken_reference_fail_the_build(tmp_path):
    """With the book's strict settings (the whole book builds: test above), a page with an
    unknown citation and a broken figure reference fails the build, which names both."""
    result = build_book(probe_book(tmp_path, "As {cite}`scenarios2025mali` says. See "
                                   "{cite}`no_such_source_2099` and {numref}`fig-no-such-figure`."))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "no_such_source_2099" in output
    assert "fig-no-such-figure" in output


@pytest.mark.slow
def test_pdf_sources_replace_every_chart_by_a_static_image(tmp_path):
    import nbformat

    count = pdf.pdf_sources(tmp_path / "pdf")
    assert count >= len(figures.collect())
    for notebook in sorted((tmp_path / "pdf" / "chapters").glob("*.ipynb")):
        nb = nbformat.read(notebook, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                assert not any(k.startswith("application/vnd.vegalite") for k in data)
                assert "vegaEmbed" not in str(data.get("text/html", ""))
    outputs = [o for nb in sorted((tmp_path / "pdf" / "chapters").glob("*.ipynb"))
               for c in nbformat.read(nb, as_version=4).cells for o in c.get("outputs", [])]
    png = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(png) == count
    # every table prints as a LaTeX table, no output as a repr of an HTML object
    assert not [o for o in outputs if "<table" in str(o.get("data", {}).get("text/html", ""))]
    printed_as_text = [o["data"] for o in outputs if "text/plain" in o.get("data", {})
                       and not {"text/markdown", "image/png"} & set(o["data"])]
    assert not [d for d in printed_as_text if "IPython.core.display" in str(d["text/plain"])]
    latex = [o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})
             and "{raw} latex" in str(o["data"]["text/markdown"])]
    assert sum("begin{longtable}" in str(t) for t in latex) >= 40
    assert any("is not printed: it is in the web edition" in str(t) for t in latex)
    toc = (tmp_path / "pdf" / "_toc.yml").read_text(encoding="utf-8")
    assert toc.rstrip().endswith("chapters/bibliography")  # the works cited close the book
    front = nbformat.read(tmp_path / "pdf" / "chapters" / "index.ipynb", as_version=4)
    assert sum(c.source.count(f"\n## {pdf.FRONT_MATTER_TITLE}") for c in front.cells) == 1


@pytest.mark.slow
def test_each_chapter_page_offers_its_notebook(built_book):
    for notebook in (built_book.parent.parent / "chapters").glob("*.ipynb"):
        page = (built_book / "chapters" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert f"_sources/chapters/{notebook.name}" in page, notebook.name
        assert (built_book / "_sources" / "chapters" / notebook.name).exists()


@pytest.mark.slow
def test_every_source_key_is_findable_in_the_book(built_book):
    from analysis.data import bibliography

    register = (built_book / "chapters" / "sources.html").read_text(encoding="utf-8")
    missing = [key for key in bibliography()
               if f'<tr id="src-{key}"><td>{key}</td>' not in register]
    assert not missing, missing[:5]  # every source has its row and its address, #src-KEY
    assert 'id="src-filter"' in register
    cited = (built_book / "chapters" / "bibliography.html").read_text(encoding="utf-8")
    entries = cited.count('role="doc-biblioentry"')
    assert 50 <= entries < len(bibliography())  # the works cited in the text, not every source


@pytest.mark.slow
def test_the_bibliography_is_author_year_with_titles_and_dates_as_written(built_book):
    import html as html_module

    page = (built_book / "chapters" / "bibliography.html").read_text(encoding="utf-8")
    labels = re.findall(r'<span class="label"><span class="fn-bracket">\[</span>(.*?)<', page)
    assert len(labels) >= 50
    assert not [label for label in labels if label.isdigit()]  # no [1]-[103]
    assert all(re.search(r", (\d{4}|n\.d\.)[a-z]?$", label) for label in labels), labels[:5]
    text = html_module.unescape(re.sub(r"<[^>]+>", "", page))
    from analysis.data import bibliography

    capitalised = {e["title"].strip("{}") for e in bibliography().values()
                   if re.search(r"\s[A-Z]", e.get("title", "")) and "{" not in e["title"]}
    kept = [t for t in capitalised if f"{t}." in text or f"{t}\n" in text]
    assert len(kept) >= 40  # titles print as written: 'Mali', 'Timbuktu', not 'mali'
    assert not re.search(r"\b\d{1,2} (19|20)\d\d\b", text)  # no "6 2025"
    assert re.search(r"\b\d{1,2} (January|February|March|April|May|June|July|August|"
                     r"September|October|November|December) (19|20)\d\d\b", text)
    chapter = (built_book / "chapters" / "actors.html").read_text(encoding="utf-8")
    assert re.search(r"\[<a [^>]*href=\"bibliography.html#[^\"]+\"[^>]*>[^<]+, \d{4}[a-z]?</a>\]",
                     chapter)  # a citation reads [Author, year] and links to its entry


@pytest.mark.slow
def test_the_site_has_a_404_page_no_index_no_source_maps_and_an_offline_search(built_book):
    from test_print import png_dpi

    not_found = (built_book / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in not_found and 'href="/index.html"' in not_found
    assert not (built_book / "genindex.html").exists()
    assert not list(built_book.rglob("*.map"))
    assert "genindex.html" not in (built_book / "chapters" / "history.html").read_text(
        encoding="utf-8")
    search = (built_book / "search.html").read_text(encoding="utf-8")
    assert not re.findall(r"<script[^>]+src=\"(?:https?:)?//", search)
    index = (built_book / "searchindex.js").read_text(encoding="utf-8")
    assert "timbuktu" in index.lower() and "minusma" in index.lower()
    figure = json.loads((built_book / "figures" / "index.json").read_text("utf-8"))["figures"][0]
    assert round(png_dpi((built_book / figure["files"]["png"]).read_bytes())) == figures.PNG_PPI


def test_figure_files_are_remade_only_when_their_sources_change(tmp_path, monkeypatch):
    import os

    from analysis import __version__, paths

    chapters = tmp_path / "chapters"
    chapters.mkdir()
    for name in ("history.ipynb", "_toc.yml", "_config.yml", "events.csv"):
        (chapters / name if name.endswith("ipynb") else tmp_path / name).write_text("x")
    monkeypatch.setattr(paths, "CHAPTERS", chapters)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(paths, "EVENTS", tmp_path / "events.csv")
    index = tmp_path / "index.json"
    assert not figures._up_to_date(index, "")
    index.write_text(json.dumps({"version": __version__, "site": "", "figures": []}))
    later = index.stat().st_mtime + 10
    os.utime(index, (later, later))
    assert figures._up_to_date(index, "")
    assert not figures._up_to_date(index, "https://example.org/book")  # another address
    os.utime(chapters / "history.ipynb", (later + 1, later + 1))
    assert not figures._up_to_date(index, "")


@pytest.mark.slow
def test_the_data_page_offers_the_dataset(built_book):
    import pandas as pd

    from analysis.data import load_events

    folder = built_book / "downloads"
    events = load_events()
    assert len(pd.read_parquet(folder / "events.parquet")) == len(events)
    assert (folder / "events.csv").read_bytes() == (paths.EVENTS).read_bytes()
    assert json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    page = (built_book / "chapters" / "data.html").read_text(encoding="utf-8")
    for name in ("events.csv", "events.parquet", "datapackage.json", "CHANGELOG.md"):
        assert f'href="../downloads/{name}"' in page
    assert "data version" in page and "CC BY 4.0" in page
