"""The printed book's pieces, on constructed cases: LaTeX tables from HTML tables, Arabic set
right to left, the print options, the PDF copy's front matter and bibliography, and the site's
hygiene (no source maps, a 404 page's address)."""

from __future__ import annotations

import struct
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from analysis.book import hygiene, latex, pdf


def test_a_table_becomes_a_longtable_with_wrapped_columns_and_a_repeated_header():
    table = pd.DataFrame({"rule": ["Common Article 3 & its scope_1", "APII"],
                          "deaths": ["1,234", "–"]})
    text = latex.latex_table(table)
    assert text.count(r"\begin{longtable}") == 1 and r"\end{longtable}" in text
    assert text.count(r"\textbf{rule} & \textbf{deaths} \\") == 2  # first page and the others
    assert r"\endhead" in text and r"\endfirsthead" in text
    assert r"Common Article 3 \& its scope\_\allowbreak{}1" in text
    spec = text.splitlines()[1]
    assert spec.count("p{") == 2 and r"\raggedright" in spec and r"\raggedleft" in spec
    widths = latex.column_widths(table)
    assert widths[0] > widths[1] and sum(widths) <= 1.0


def test_a_very_wide_table_fills_the_line_and_no_more():
    table = pd.DataFrame({f"c{i}": ["a long text of many words " * 4] for i in range(6)})
    assert 0.98 <= sum(latex.column_widths(table)) <= 1.0


def test_a_table_whose_words_cannot_fit_goes_landscape_and_numbers_never_drop_a_line():
    years = {str(y): ["non-international"] for y in range(2012, 2027)}
    wide = pd.DataFrame({"opponent": ["Mali"], **years})
    narrow = pd.DataFrame({"from": ["2018"], "group": ["JNIM"]})
    assert latex.needs_landscape(wide) and not latex.needs_landscape(narrow)
    text = latex.latex_table(wide)
    assert text.startswith(r"\begin{landscape}") and text.endswith(r"\end{landscape}")
    assert sum(latex.column_widths(wide, landscape=True)) <= 1.0
    assert r"\begin{landscape}" not in latex.latex_table(narrow)
    number, words = latex.latex_table(narrow).splitlines()[1].split("}p{")[0:2]
    assert r"\raggedleft\arraybackslash" in number and r"\hspace" not in number
    assert r"\hspace{0pt}" in words  # text may hyphenate its first word
    assert r"\usepackage{pdflscape}" in latex.PREAMBLE
    assert latex.cell("2025-10-13") == r"\mbox{2025-{}10-{}13}"  # a day is never broken
    assert latex.cell("a-b") == "a-{}b"


def test_html_tables_reads_pandas_tables_with_index_names_and_spans():
    frame = pd.DataFrame({"sources": [3, 1]}, index=pd.Index(["AFP", "RFI"], name="outlet"))
    (parsed,) = latex.html_tables(frame.to_html())
    assert list(parsed.columns) == ["outlet", "sources"]
    assert parsed.values.tolist() == [["AFP", "3"], ["RFI", "1"]]
    spans = ("<table><thead><tr><th colspan=2>pair</th><th>n</th></tr></thead><tbody>"
             "<tr><td rowspan=2>JNIM</td><td>FAMa</td><td>4</td></tr>"
             "<tr><td>MINUSMA</td><td>2</td></tr></tbody></table>")
    (parsed,) = latex.html_tables(spans)
    assert parsed.values.tolist() == [["JNIM", "FAMa", "4"], ["JNIM", "MINUSMA", "2"]]


def test_html_tables_ignores_the_filter_box_and_script_of_the_filterable_table():
    from analysis.book import tables

    html = tables.filterable_html(pd.DataFrame({"claim": ["C-1"], "text": ["a <b>"]}), "c")
    (parsed,) = latex.html_tables(html)
    assert list(parsed.columns) == ["claim", "text"]
    assert parsed.values.tolist() == [["C-1", "a <b>"]]


def test_arabic_runs_are_set_right_to_left_and_other_text_escaped():
    text = latex.escape("Afrigate: مالي التنسيقية تمضي-أخيرا, 50% #1")
    assert r"\maliarabic{مالي التنسيقية تمضي{-}أخيرا}" in text
    assert text.startswith("Afrigate: ") and text.endswith(r", 50\% \#1")
    assert latex.escape("Mali: no Arabic") == "Mali: no Arabic"


def test_the_print_options_give_a4_one_sided_pages_without_blank_pages_or_index():
    config = SimpleNamespace(latex_elements={"pointsize": "11pt"}, latex_domain_indices=True)
    latex.apply_print_options(None, config)
    elements = config.latex_elements
    assert elements["papersize"] == "a4paper"
    assert "openany" in elements["extraclassoptions"]
    assert "oneside" in elements["extraclassoptions"]
    assert elements["printindex"] == "" and config.latex_domain_indices is False
    assert elements["pointsize"] == "11pt"  # what _config.yml sets wins
    assert r"\usepackage{longtable}" in elements["preamble"]
    assert latex.ARABIC_FONT in elements["preamble"] and r"\beginR" in elements["preamble"]


def _chapter(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _output(html: str, text: str = "<IPython.core.display.HTML object>"):
    return nbformat.v4.new_output("execute_result", data={"text/html": html,
                                                          "text/plain": text})


def test_the_pdf_copy_prints_tables_as_latex_and_web_only_tables_as_a_pointer(tmp_path):
    table = pd.DataFrame({"actor": ["JNIM", "ISSP"], "events": [12, 7]}).to_html(index=False)
    long_table = pd.DataFrame({"key": [f"k{i}" for i in range(30)]}).to_html(index=False)
    web_only = nbformat.v4.new_code_cell("HTML(register)", outputs=[_output(long_table)])
    web_only.metadata["tags"] = ["hide-input", pdf.WEB_ONLY]
    source = _chapter(tmp_path / "book" / "chapters" / "sources.ipynb", [
        nbformat.v4.new_code_cell("table", outputs=[_output(table, "  actor  events")]),
        nbformat.v4.new_code_cell("x", outputs=[_output("<p>Just text</p>")]), web_only])
    target = tmp_path / "copy.ipynb"
    assert pdf.static_notebook(source, target, "https://example.org/book/") == 0
    cells = nbformat.read(target, as_version=4).cells
    first = cells[0].outputs[0]["data"]["text/markdown"]
    assert first.startswith("````{raw} latex") and r"\begin{longtable}" in first
    assert "JNIM & 12" in first and cells[0].metadata["mystnb"] == {"markdown_format": "myst"}
    assert "Just text" in cells[1].outputs[0]["data"]["text/markdown"]
    note = cells[2].outputs[0]["data"]["text/markdown"]
    assert "longtable" not in note and "(30 rows) is not printed" in note
    assert r"\url{https://example.org/book/chapters/sources.html}" in note
    assert "IPython.core.display" not in str([c.outputs for c in cells])
    assert all("remove-input" in c.metadata["tags"] for c in cells)  # no code in print
    assert "hide-input" not in cells[2].metadata["tags"]


def test_the_front_page_becomes_one_chapter(tmp_path):
    index = _chapter(tmp_path / "index.ipynb", [
        nbformat.v4.new_markdown_cell("# Title\n\nIntro.\n\n## How to read it\n\nText."),
        nbformat.v4.new_markdown_cell("## How to rerun it\n\n```bash\n# a comment\n```")])
    pdf.front_matter(index, "About this book")
    sources = [c.source for c in nbformat.read(index, as_version=4).cells]
    assert sources[0].startswith("# Title\n\n" + pdf.UNNUMBERED + "\n## About this book\n")
    assert "\n### How to read it" in sources[0]
    assert sources[1].startswith("### How to rerun it") and "\n# a comment\n" in sources[1]
    assert sources[1].endswith(pdf.NUMBERED)  # chapters after it numbered as in HTML


def test_the_bibliography_moves_to_the_end_of_the_pdf(tmp_path):
    import yaml

    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "_toc.yml").write_text(yaml.safe_dump({
        "format": "jb-book", "root": "chapters/index",
        "chapters": [{"file": "chapters/a"}, {"file": "chapters/bibliography"},
                     {"file": "chapters/sources"}]}))
    (book / "chapters" / "a.md").write_text("# A\n")
    (book / "chapters" / "bibliography.md").write_text(
        "# Bibliography\n\nIntro.\n\n```{bibliography}\n:filter: cited\n```\n")
    assert pdf.bibliography_at_the_end(book) == "chapters/bibliography"
    toc = yaml.safe_load((book / "_toc.yml").read_text())
    assert [c["file"] for c in toc["chapters"]] == ["chapters/a", "chapters/sources",
                                                    "chapters/bibliography"]
    assert r"\chapter" not in latex.BIBLIOGRAPHY  # the entries follow the page's heading


@pytest.mark.parametrize(("base", "prefix"), [
    ("", "/"), ("https://example.org", "/"), ("https://example.org/mali-book", "/mali-book/"),
    ("https://example.org/a/b/", "/a/b/")])
def test_the_404_page_links_under_the_books_address(base, prefix):
    assert hygiene.site_prefix(base) == prefix
    assert f'href="{prefix}index.html"' in hygiene.not_found_body(prefix)


def test_source_maps_and_a_stale_index_are_removed_from_the_site(tmp_path):
    (tmp_path / "_static" / "scripts").mkdir(parents=True)
    for name in ("_static/scripts/theme.js.map", "_static/theme.css.map", "genindex.html",
                 "_static/scripts/theme.js", "index.html"):
        (tmp_path / name).write_text("x")
    app = SimpleNamespace(builder=SimpleNamespace(format="html"), outdir=str(tmp_path),
                          config=SimpleNamespace(html_use_index=False))
    hygiene.remove_dead_weight(app, None)
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*"))
    assert left == ["_static/scripts/theme.js", "index.html"]


def png_dpi(png: bytes) -> float:
    """The resolution a PNG is tagged with (its pHYs chunk), in dots per inch."""
    at = png.index(b"pHYs")
    x, y, unit = struct.unpack(">IIB", png[at + 4:at + 13])
    assert unit == 1 and x == y  # pixels per metre, square
    return x * 0.0254


def test_print_pngs_are_tagged_with_their_resolution():
    import vl_convert

    from analysis.book import figures

    spec = {"data": {"values": [{"a": 1}]}, "mark": "point", "width": 100, "height": 50,
            "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    png = vl_convert.vegalite_to_png(spec, ppi=figures.PNG_PPI)
    assert round(png_dpi(png)) == figures.PNG_PPI
    width = struct.unpack(">I", png[16:20])[0]
    plain = struct.unpack(">I", vl_convert.vegalite_to_png(spec)[16:20])[0]
    assert width == plain * figures.PNG_PPI // 72  # the pixels the tag promises
