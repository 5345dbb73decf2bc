"""The PDF's sources: a copy of the book in which every chart is a static image rendered by
vl-convert, so the PDF never reuses the HTML-only chart outputs."""

from __future__ import annotations

from pathlib import Path

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


def static_notebook(source: Path, target: Path) -> int:
    """Copy a chapter with every chart replaced by a PNG rendered by vl-convert (for the PDF,
    which cannot run the HTML charts); return the number of charts rendered."""
    import base64

    import vl_convert

    nb = nbformat.read(source, as_version=4)
    rendered = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            spec = next((v for k, v in data.items() if k.startswith("application/vnd.vegalite")),
                        None)
            if spec is None:
                continue
            png = vl_convert.vegalite_to_png(spec, scale=2)
            output["data"] = {"image/png": base64.b64encode(png).decode("ascii"),
                              "text/plain": data.get("text/plain", "")}
            rendered += 1
    nbformat.write(nb, target)
    return rendered


def pdf_sources(out: Path) -> int:
    """A copy of the book's sources for the PDF build, charts as static images; the number of
    charts rendered. The HTML build's outputs are never reused."""
    import shutil

    if out.exists():
        shutil.rmtree(out)
    copy_sources(out)
    return sum(static_notebook(nb, out / "chapters" / nb.name)
               for nb in sorted(paths.CHAPTERS.glob("*.ipynb")))
