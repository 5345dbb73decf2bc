"""The PDF's sources: a copy of the book in which every chart is a static image rendered by
vl-convert, so the PDF never reuses the HTML-only chart outputs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat

from analysis import paths

BOOK_SOURCES = ("_config.yml", "_toc.yml", "references.bib", "chapters", "_static",
                "CITATION.cff")


def copy_sources(target: Path) -> Path:
    """A copy of what the book is built from (not its data or code) in ``target``."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for name in BOOK_SOURCES:
        source = paths.ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


#: The resolution of the PDF's charts: 2 image pixels per chart pixel, tagged in the PNG so
#: LaTeX prints a chart at its size (a chart pixel is 1/72 inch).
PRINT_PPI = 144

#: Whether the PDF prints the chapters' code (the web pages offer it, folded; a printed page
#: shows what the code computes).
PRINT_CODE = False

#: Cells tagged so print a pointer to the web page instead of their outputs (a table too long
#: to print, such as the register of every source).
WEB_ONLY = "web-only"


def raw_latex(latex: str) -> dict[str, str]:
    """A notebook output's data printing ``latex`` as is in the PDF (a MyST ``raw`` block; the
    cell renders its Markdown as MyST, see ``static_notebook``)."""
    return {"text/markdown": f"````{{raw}} latex\n{latex}\n````\n", "text/plain": ""}


def web_address(page: str, base: str = "") -> str:
    """The web address of ``page`` (its path in the book, without suffix) under ``base`` (the
    book's ``html_baseurl``); '' when the book's address is not set."""
    return f"{base.rstrip('/')}/{page}.html" if base else ""


def web_only_note(rows: int, page: str, address: str = "") -> str:
    """The paragraph (LaTeX) printed in place of a web-only table of ``page``."""
    from analysis.book.latex import escape

    size = f" ({rows:,} rows)" if rows else ""
    text = escape(f"The table of this section{size} is not printed: it is in the web edition "
                  "of this page, where it can be searched and filtered")
    if address:
        return text + r", at \url{" + address.replace("%", r"\%").replace("#", r"\#") + "}."
    return text + escape(f" (the page {page}.html of the book's site).")


def printable(data: dict[str, Any], note: str | None = None) -> dict[str, str] | None:
    """The PDF's version of an output: ``note`` (LaTeX) when given, else its HTML tables as
    LaTeX longtables, else the text of an HTML output that has no text form; None when the
    output prints as it is."""
    from analysis.book.latex import escape, html_tables, html_text, latex_table

    html = "".join(data.get("text/html", ""))
    if not html or any(k.startswith("image/") for k in data):
        return None
    if note is not None:
        return raw_latex(note)
    tables = html_tables(html)
    if tables:
        return raw_latex("\n\n".join(latex_table(t) for t in tables))
    if "".join(data.get("text/plain", "")).startswith("<IPython.core.display"):
        return raw_latex(escape(html_text(html)))
    return None


def static_notebook(source: Path, target: Path, base: str = "") -> int:
    """Copy a chapter for the PDF, which cannot run the HTML: every chart a PNG rendered by
    vl-convert, every HTML table a LaTeX table, the outputs of cells tagged ``web-only`` a
    pointer to the web page, the code left out (``PRINT_CODE``); return the number of charts
    rendered."""
    import base64

    import vl_convert

    from analysis.book.latex import html_tables

    nb = nbformat.read(source, as_version=4)
    page = source.relative_to(source.parents[1]).with_suffix("").as_posix()
    rendered = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and not PRINT_CODE:
            tags = cell.metadata.setdefault("tags", [])
            tags[:] = [t for t in tags if t not in ("hide-input", "hide-cell")]
            tags.append("remove-input")
        web_only = WEB_ONLY in cell.get("metadata", {}).get("tags", [])
        converted = False
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            spec = next((v for k, v in data.items() if k.startswith("application/vnd.vegalite")),
                        None)
            if spec is not None:
                png = vl_convert.vegalite_to_png(spec, ppi=PRINT_PPI)
                output["data"] = {"image/png": base64.b64encode(png).decode("ascii"),
                                  "text/plain": data.get("text/plain", "")}
                rendered += 1
                continue
            note = None
            if web_only:
                html = "".join(data.get("text/html", ""))
                rows = sum(len(t) for t in html_tables(html))
                note = web_only_note(rows, page, web_address(page, base))
            new = printable(data, note)
            if new is not None:
                output["data"] = new
                converted = True
        if converted:  # the raw LaTeX blocks are MyST, not CommonMark
            cell.metadata.setdefault("mystnb", {})["markdown_format"] = "myst"
    nbformat.write(nb, target)
    return rendered


#: The one chapter the front page's sections become in the PDF.
FRONT_MATTER_TITLE = "About this book"
_HEADING = re.compile(r"^(#{2,5})(\s)", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)


def demote_headings(markdown: str) -> str:
    """``markdown`` with its headings of level 2 to 5 one level lower (code blocks untouched)."""
    parts = re.split(r"(^(?:```|~~~).*?^(?:```|~~~)[^\n]*$)", markdown,
                     flags=re.MULTILINE | re.DOTALL)
    return "".join(part if _FENCE.match(part) else _HEADING.sub(r"#\1\2", part)
                   for part in parts)


#: Raw LaTeX around the front chapter: unnumbered (it does not step the chapter counter), so
#: the chapters after it keep the numbers they have in the HTML book, and so their figures.
UNNUMBERED = "```{raw} latex\n\\setcounter{secnumdepth}{-1}\n```\n"
NUMBERED = "\n\n```{raw} latex\n\\setcounter{secnumdepth}{2}\n```\n"


def front_matter(notebook: Path, title: str = FRONT_MATTER_TITLE) -> None:
    """Make the front page one unnumbered chapter of the PDF: LaTeX prints the root page's
    sections as chapters (its title is the book's), so they become sections of one chapter,
    ``title``, which leaves the numbering of the chapters after it as in the HTML book."""
    nb = nbformat.read(notebook, as_version=4)
    seen_title = False
    last = None
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        source = demote_headings(cell.source)
        if not seen_title and re.search(r"^# ", source, re.MULTILINE):
            source = re.sub(r"^(# .*)$",
                            lambda m: f"{m.group(1)}\n\n{UNNUMBERED}\n## {title}\n",
                            source, count=1, flags=re.MULTILINE)
            seen_title = True
        cell.source = source
        last = cell
    if last is not None:
        last.source += NUMBERED
    nbformat.write(nb, notebook)


def bibliography_at_the_end(book: Path) -> str | None:
    """Move the page holding the ``{bibliography}`` directive to the end of the PDF's table of
    contents: LaTeX prints the works cited at the very end of the book, so they follow the
    page's introduction there instead of leaving its chapter empty. The page moved, or None."""
    import yaml

    toc_file = book / "_toc.yml"
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    chapters = toc.get("chapters", [])
    for entry in chapters:
        page = book / f"{entry.get('file', '')}.md"
        if page.exists() and "{bibliography}" in page.read_text(encoding="utf-8"):
            break
    else:
        return None
    chapters.remove(entry)
    chapters.append(entry)
    toc_file.write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return entry["file"]


def pdf_sources(out: Path) -> int:
    """A copy of the book's sources for the PDF build: charts as static images, HTML tables
    as LaTeX tables, the front page one chapter, the works cited at the end; the number of
    charts rendered. The HTML build's outputs are never reused."""
    import shutil

    import yaml

    if out.exists():
        shutil.rmtree(out)
    copy_sources(out)
    config = yaml.safe_load((out / "_config.yml").read_text(encoding="utf-8"))
    base = str(config.get("sphinx", {}).get("config", {}).get("html_baseurl") or "")
    charts = sum(static_notebook(nb, out / "chapters" / nb.name, base)
                 for nb in sorted(paths.CHAPTERS.glob("*.ipynb")))
    root = out / f"{yaml.safe_load((out / '_toc.yml').read_text(encoding='utf-8'))['root']}"
    if root.with_suffix(".ipynb").exists():
        front_matter(root.with_suffix(".ipynb"))
    bibliography_at_the_end(out)
    return charts
