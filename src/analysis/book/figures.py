"""Figures: the registry of every figure in the book, its downloads and its citation.

A figure is a chapter code cell with ``mystnb: figure: {name, caption}`` metadata whose output
holds a Vega-Lite spec. At build time, ``register`` (a Sphinx extension) places under each
figure its downloads (SVG, PNG, PDF, the data as CSV, the spec) and a ready citation, and
writes them with a manifest, ``figures/index.json``, into the built site.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import nbformat

from analysis import paths
from analysis.study import (
    AUTHORS,
    FULL_TITLE,
    LICENCE_TEXT,
    LICENCE_URL,
    VERSION,
    YEAR,
)

FORMATS = ("svg", "png", "pdf", "csv", "json")
#: The print PNG's resolution: vl-convert counts a chart's pixel as 1/72 inch and draws
#: ``PNG_PPI / 72`` image pixels for it, tagging the file with this resolution (pHYs), so a
#: chart 560 pixels wide is 2,240 pixels, 7.8 inches at 288 dpi.
PNG_PPI = 288


@dataclass
class Figure:
    """One figure of the book, as found in a chapter notebook."""

    figure_id: str
    caption: str
    chapter: str
    notebook: str
    spec: dict[str, Any] = field(repr=False)
    parameters: dict[str, Any] = field(default_factory=dict)
    number: str = ""
    dataset_version: str = ""

    @property
    def page(self) -> str:
        return f"chapters/{self.chapter}.html#{self.figure_id}"

    def files(self) -> dict[str, str]:
        return {fmt: f"figures/{self.figure_id}/{self.figure_id}.{fmt}" for fmt in FORMATS}


def _parameters(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """The values set in the notebook's parameters cells (injected ones last, so they win)."""
    values: dict[str, Any] = {}
    tagged = [c for c in nb.cells if {"parameters", "injected-parameters"}
              & set(c.metadata.get("tags", []))]
    for cell in tagged:
        for line in cell.source.splitlines():
            match = re.match(r"^(\w+)\s*=\s*(.+?)\s*(#.*)?$", line)
            if match:
                values[match.group(1)] = match.group(2)
    return values


def _spec_of(cell: nbformat.NotebookNode) -> dict[str, Any] | None:
    for output in cell.get("outputs", []):
        for mime, data in output.get("data", {}).items():
            if mime.startswith("application/vnd.vegalite"):
                return data
    return None


def collect(chapters: Path = paths.CHAPTERS, names: Iterable[str] | None = None
            ) -> list[Figure]:
    """Every figure in the chapter notebooks (or in those named, without '.ipynb'), in file
    and cell order."""
    figures = []
    wanted = None if names is None else set(names)
    for notebook in sorted(chapters.glob("*.ipynb")):
        if wanted is not None and notebook.stem not in wanted:
            continue
        nb = nbformat.read(notebook, as_version=4)
        parameters = _parameters(nb)
        for cell in nb.cells:
            meta = cell.metadata.get("mystnb", {}).get("figure")
            spec = _spec_of(cell) if meta else None
            if meta and spec:
                figures.append(Figure(meta["name"], meta.get("caption", ""), notebook.stem,
                                      notebook.name, spec, parameters))
    return figures


def tables(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The inline datasets of a spec that are tables (lists of records)."""
    found = {name: rows for name, rows in spec.get("datasets", {}).items()
             if rows and isinstance(rows[0], dict) and "geometry" not in rows[0]}
    data = spec.get("data", {})
    if isinstance(data.get("values"), list) and data["values"]:
        found.setdefault("data", data["values"])
    return found


def data_csv(spec: dict[str, Any]) -> str:
    """The data behind a figure as CSV: the largest table, with every column."""
    candidates = tables(spec)
    if not candidates:
        return ""
    rows = max(candidates.values(), key=len)
    columns = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


#: Datasets credited in a figure's citation when its source line names them.
CREDITS = {
    "UCDP": "UCDP Georeferenced Event Dataset (Sundberg and Melander 2013), CC BY 4.0",
    "ACLED": "Armed Conflict Location & Event Data (ACLED), under its terms of use",
}


def credits(figure: Figure) -> str:
    """The data a figure is drawn from: the book's event dataset, and UCDP's or ACLED's when
    the figure's source line (its subtitle) names them."""
    title = figure.spec.get("title", {})
    line = " ".join(title.get("subtitle", [])) if isinstance(title, dict) else ""
    named = [text for key, text in CREDITS.items() if key in line]
    return "; ".join([f"the book's event dataset (data version {figure.dataset_version})",
                      *named])


def _link(figure: Figure, base_url: str) -> str:
    return base_url.rstrip("/") + "/" + figure.page if base_url else figure.page


def citation_text(figure: Figure, base_url: str = "", built: str = "") -> str:
    """A plain-text citation of the figure: authors, caption, number and name, the book and
    its version, the data credited, the licence, the day it was built and its address."""
    built = built or date.today().isoformat()
    return (f"{AUTHORS} ({YEAR}). {figure.caption.rstrip('.')}. Figure {figure.number} "
            f"({figure.figure_id}) in {FULL_TITLE}, version {VERSION}. Data: {credits(figure)}. "
            f"Licence {LICENCE_TEXT} ({LICENCE_URL}). Built {built}. {_link(figure, base_url)}")


def citation_bibtex(figure: Figure, base_url: str = "", built: str = "") -> str:
    """A BibTeX entry for the figure."""
    built = built or date.today().isoformat()
    key = "malibook-" + figure.figure_id
    return (f"@misc{{{key},\n"
            f"  author = {{{{{AUTHORS}}}}},\n"
            f"  title = {{{figure.caption.rstrip('.')}}},\n"
            f"  howpublished = {{Figure {figure.number} ({figure.figure_id}) in {FULL_TITLE}, "
            f"version {VERSION}}},\n"
            f"  year = {{{YEAR}}},\n"
            f"  note = {{Data: {credits(figure)}. Licence {LICENCE_TEXT}. Built {built}}},\n"
            f"  url = {{{_link(figure, base_url)}}}\n}}")


def export(figure: Figure, outdir: Path) -> dict[str, str]:
    """Write the figure's files under ``outdir/figures/<id>/``; return their relative paths."""
    import vl_convert

    target = outdir / "figures" / figure.figure_id
    target.mkdir(parents=True, exist_ok=True)
    files = figure.files()
    spec = figure.spec
    spec_text = json.dumps(spec, indent=1, sort_keys=True)
    done = [outdir / f for f in files.values()]
    if all(p.exists() for p in done) and (outdir / files["json"]).read_text(
            encoding="utf-8") == spec_text:
        return files  # unchanged since the last build
    (outdir / files["svg"]).write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
    (outdir / files["png"]).write_bytes(vl_convert.vegalite_to_png(spec, ppi=PNG_PPI))
    (outdir / files["pdf"]).write_bytes(vl_convert.vegalite_to_pdf(spec))
    (outdir / files["csv"]).write_text(data_csv(spec), encoding="utf-8")
    (outdir / files["json"]).write_text(spec_text, encoding="utf-8")
    return files


def manifest(figures: list[Figure], base_url: str = "") -> dict[str, Any]:
    """The list of all figures with their files and citations (``figures/index.json``)."""
    entries = []
    for figure in figures:
        entry = {k: v for k, v in asdict(figure).items() if k != "spec"}
        entry.update(page=figure.page, files=figure.files(),
                     citation=citation_text(figure, base_url),
                     bibtex=citation_bibtex(figure, base_url))
        entries.append(entry)
    return {"book": FULL_TITLE, "version": VERSION, "site": base_url, "figures": entries}


def tools_html(figure: Figure, prefix: str, base_url: str = "") -> str:
    """The downloads and the citation shown under a figure in the HTML book."""
    files = figure.files()
    labels = {"svg": "SVG", "png": "PNG (print)", "pdf": "PDF", "csv": "data (CSV)",
              "json": "Vega-Lite spec"}
    links = " · ".join(f'<a href="{escape(prefix + files[f])}" download>{labels[f]}</a>'
                       for f in FORMATS)
    return (f'<div class="figure-tools" data-figure="{escape(figure.figure_id)}">'
            f"<p><strong>Download:</strong> {links}</p>"
            f"<details><summary>Cite this figure</summary>"
            f'<p class="citation-text">{escape(citation_text(figure, base_url))}</p>'
            f"{COPY_BUTTON}"
            f"<pre>{escape(citation_bibtex(figure, base_url))}</pre></details></div>")


#: Copies the plain-text citation above it (no external script; the page works offline).
COPY_BUTTON = ('<button type="button" class="copy-citation" onclick="navigator.clipboard && '
               "navigator.clipboard.writeText(this.previousElementSibling.textContent)"
               '.then(() => { this.textContent = \'Copied\'; })">Copy the citation</button>')


def _number(app: Any, docname: str, figure_id: str) -> str:
    numbers = app.env.toc_fignumbers.get(docname, {}).get("figure", {})
    value = numbers.get(figure_id)
    return ".".join(map(str, value)) if value else ""


def _up_to_date(index_file: Path, base_url: str) -> bool:
    """Whether the figure files and manifest are newer than everything they are made from
    (the chapters, the table of contents, the configuration, the events), for the same site
    address and book version: a prose-only rebuild then leaves them alone."""
    if not index_file.exists():
        return False
    made_from = [*paths.CHAPTERS.glob("*.ipynb"), paths.ROOT / "_toc.yml",
                 paths.ROOT / "_config.yml", paths.EVENTS]
    built = index_file.stat().st_mtime
    if any(p.exists() and p.stat().st_mtime >= built for p in made_from):
        return False
    recorded = json.loads(index_file.read_text(encoding="utf-8"))
    return recorded.get("site") == base_url and recorded.get("version") == VERSION


def setup(app: Any) -> dict[str, Any]:
    """Sphinx extension: figure tools in each page, files and manifest in the built site."""
    from docutils import nodes

    def with_versions(found: list[Figure]) -> dict[str, Figure]:
        versions: dict[str, str] = {}  # each events file hashed once
        for figure in found:
            events = figure.parameters.get("events_path", '""').strip("\"'")
            if events not in versions:
                versions[events] = paths.dataset_version(events or None)
            figure.dataset_version = versions[events]
        return {figure.figure_id: figure for figure in found}

    def add_tools(app: Any, doctree: Any, docname: str) -> None:
        if app.builder.format != "html" or not docname.startswith("chapters/"):
            return
        known = with_versions(collect(names=[docname.removeprefix("chapters/")]))
        depth = docname.count("/")
        prefix = "../" * depth
        for node in list(doctree.findall(nodes.figure)):
            for figure_id in node.get("ids", []):
                figure = known.get(figure_id)
                if figure is None:
                    continue
                figure.number = _number(app, docname, figure_id)
                html = tools_html(figure, prefix, app.config.html_baseurl)
                node.parent.insert(node.parent.index(node) + 1,
                                   nodes.raw("", html, format="html"))

    def write_files(app: Any, exception: Exception | None) -> None:
        if exception is not None or app.builder.format != "html":
            return
        outdir = Path(app.outdir)
        index_file = outdir / "figures" / "index.json"
        if _up_to_date(index_file, app.config.html_baseurl):
            return
        known = with_versions(collect())
        for figure in known.values():
            figure.number = _number(app, f"chapters/{figure.chapter}", figure.figure_id)
            export(figure, outdir)
        index = manifest(list(known.values()), app.config.html_baseurl)
        index_file.write_text(json.dumps(index, indent=1, ensure_ascii=False), encoding="utf-8")

    app.connect("doctree-resolved", add_tools)
    app.connect("build-finished", write_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
