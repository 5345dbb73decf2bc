"""The printed book's LaTeX: tables as real LaTeX tables, Arabic set right to left, and a Sphinx
extension with the print options (A4, one-sided, chapters on any page, no empty index).

The PDF is built from a copy of the chapters (``analysis.book.pdf``) in which every HTML table
of an output becomes a ``longtable`` with wrapped columns (``latex_table``), since the LaTeX
builder cannot print HTML. Arabic runs (a few source titles) are wrapped in ``\\maliarabic``,
which sets them in an Arabic font and from right to left with XeTeX's TeX--XeT primitives, so no
``bidi`` package is needed.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser
from typing import Any

import pandas as pd

#: Unicode blocks of the Arabic script.
ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
#: Arabic words with the spaces and hyphens between them: one right-to-left run.
ARABIC_RUN = re.compile(f"[{ARABIC}]+(?:[ \\-]+[{ARABIC}]+)*")
#: The font the Arabic runs are set in (Debian's fonts-hosny-amiri; `make latex` installs it).
ARABIC_FONT = "Amiri"

_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
             "#": r"\#", "^": r"\^{}", "_": r"\_\allowbreak{}", "%": r"\%",
             "~": r"\textasciitilde{}",
             "<": r"\textless{}", ">": r"\textgreater{}", "-": "-{}", "\n": r"\newline{}",
             "/": r"/\allowbreak{}", ";": r";\allowbreak{}"}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _SPECIALS))


def arabic(run: str) -> str:
    """An Arabic run as LaTeX, set right to left in the Arabic font."""
    return r"\maliarabic{" + run.replace("-", "{-}") + "}"


def escape(text: object) -> str:
    """``text`` as LaTeX: special characters escaped, Arabic runs set right to left."""
    text = str(text)
    out, last = [], 0
    for run in ARABIC_RUN.finditer(text):
        out.append(_SPECIAL.sub(lambda m: _SPECIALS[m.group(0)], text[last:run.start()]))
        out.append(arabic(run.group(0)))
        last = run.end()
    out.append(_SPECIAL.sub(lambda m: _SPECIALS[m.group(0)], text[last:]))
    return "".join(out)


_NUMBER = re.compile(r"[-+−]?[\d,.\s]*\d[\d,.]*\s*%?")
#: A day, a month or a time: printed on one line, never broken at its hyphens.
_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?(?: \d{2}:\d{2})?")


def cell(value: object) -> str:
    """One table cell as LaTeX: ``escape``d, and a date kept on one line."""
    text = escape(value)
    return r"\mbox{" + text + "}" if _DATE.fullmatch(str(value)) else text


#: The width of a line of the A4 page in the tables' small type, counted in lower-case letters.
LINE_CHARACTERS = 120
#: The space between two columns, in the same unit.
COLUMN_GAP = 4


def text_width(text: str) -> float:
    """``text``'s width in lower-case letters of the tables' type: capitals and digits are
    wider, spaces narrower."""
    return sum(1.5 if c.isupper() else 1.1 if c.isdigit() else 0.6 if c.isspace() else 1.0
               for c in text)


#: Tables of more columns than this are set in the smaller type, ``\scriptsize`` (7 points
#: against ``\footnotesize``'s 8).
MANY_COLUMNS = 7


#: How much longer a line is on a landscape page (A4's text block turned).
LANDSCAPE = 1.4


def line_characters(frame: pd.DataFrame, landscape: bool = False) -> float:
    """The line's width in the type ``frame`` is set in (``latex_table``), on a portrait page
    or a landscape one."""
    return (LINE_CHARACTERS * (8 / 7 if frame.shape[1] > MANY_COLUMNS else 1)
            * (LANDSCAPE if landscape else 1))


def _floors_and_naturals(frame: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Each column's least width (its longest word, a header's bold word counting a little
    wider) and natural width (its longest text, a long cell counting 60 letters), gap
    included."""
    floors, naturals = [], []
    for position, header in enumerate(frame.columns):
        cells = frame.iloc[:, position].astype(str).tolist()
        words = [text_width(w) for c in cells for w in re.split(r"[\s/_;]+", c)]
        head = [text_width(w) * 1.1 for w in str(header).split()]
        floor = max(words + head + [3])
        floors.append(floor + COLUMN_GAP)
        naturals.append(max(min(max((text_width(c) for c in cells), default=0), 60), floor)
                        + COLUMN_GAP)
    return floors, naturals


#: A table whose longest words need more than this many portrait lines goes landscape; one a
#: little wider is set a little tighter (a word may reach into the space between columns).
TIGHT = 1.15


def needs_landscape(frame: pd.DataFrame) -> bool:
    """Whether ``frame``'s columns cannot show their longest words on a portrait line, even
    set a little tighter (``TIGHT``): such a table is printed on a landscape page."""
    return sum(_floors_and_naturals(frame)[0]) > TIGHT * line_characters(frame)


def column_widths(frame: pd.DataFrame, landscape: bool = False) -> list[float]:
    """Each column's share of the line. A column gets at least its longest word (a header's
    bold word counting a little wider) and at most its longest text (a long cell counting 60
    letters); the rest of the line goes to the columns whose text wraps, in proportion to
    what they lack. A table whose text fits is narrower than the line."""
    floors, naturals = _floors_and_naturals(frame)
    line = line_characters(frame, landscape)
    if sum(naturals) <= line:
        chars = naturals
    elif sum(floors) >= line:
        chars = floors
    else:
        spare = line - sum(floors)
        lacking = [n - f for n, f in zip(naturals, floors, strict=True)]
        chars = [f + spare * lack / sum(lacking)
                 for f, lack in zip(floors, lacking, strict=True)]
    scale = min(1.0, line / sum(chars)) / line
    return [math.floor(c * scale * 1000) / 1000 for c in chars]


def latex_table(frame: pd.DataFrame) -> str:
    """``frame`` as a LaTeX ``longtable``: wrapped columns as wide as their text needs, the
    header repeated on every page, numbers aligned right, every cell escaped; on a landscape
    page when its columns cannot show their longest words on a portrait one."""
    landscape = needs_landscape(frame)
    widths = column_widths(frame, landscape)
    spec = []
    for position, width in enumerate(widths):
        cells = frame.iloc[:, position].astype(str)
        filled = cells[~cells.isin(["", "–", "-", "nan", "<NA>"])]
        numeric = len(filled) > 0 and bool(filled.str.fullmatch(_NUMBER).all())
        # a number is never broken: no glue before it, so it cannot drop to a second line
        align = (r"\raggedleft\arraybackslash" if numeric
                 else r"\raggedright\arraybackslash\hspace{0pt}")
        spec.append(f">{{{align}}}p{{\\dimexpr{width}\\linewidth-2\\tabcolsep}}")
    head = " & ".join(r"\textbf{" + escape(c) + "}" for c in frame.columns) + r" \\"
    rows = [" & ".join(cell(v) for v in row) + r" \\" for row in frame.itertuples(index=False)]
    columns = len(widths)
    return "\n".join([
        *([r"\begin{landscape}"] if landscape else []),
        r"\begingroup" + (r"\scriptsize" if frame.shape[1] > MANY_COLUMNS else r"\footnotesize"),
        r"\begin{longtable}[l]{" + "".join(spec) + "}",
        r"\toprule", head, r"\midrule", r"\endfirsthead",
        rf"\multicolumn{{{columns}}}{{l}}{{\emph{{(continued)}}}} \\",
        r"\toprule", head, r"\midrule", r"\endhead",
        r"\bottomrule", r"\endlastfoot",
        *rows,
        r"\end{longtable}",
        r"\endgroup",
        *([r"\end{landscape}"] if landscape else []),
    ])


class _TableParser(HTMLParser):
    """The tables of an HTML fragment as rows of cells (colspans and rowspans expanded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[list[str]], list[list[str]]]] = []
        self._head: list[list[tuple[str, int, int]]] = []
        self._body: list[list[tuple[str, int, int]]] = []
        self._section: list[list[tuple[str, int, int]]] | None = None
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._depth = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._depth += 1
            if self._depth == 1:
                self._head, self._body, self._section = [], [], None
        elif self._depth != 1:
            return
        elif tag == "thead":
            self._section = self._head
        elif tag in ("tbody", "tfoot"):
            self._section = self._body
        elif tag == "tr":
            (self._section if self._section is not None else self._body).append([])
        elif tag in ("td", "th"):
            self._cell = []
            self._span = (int(attributes.get("colspan") or 1),
                          int(attributes.get("rowspan") or 1))
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "table":
            self._depth -= 1
            if self._depth == 0:
                self.tables.append((_grid(self._head), _grid(self._body)))
        elif self._depth == 1 and tag in ("td", "th") and self._cell is not None:
            rows = self._section if self._section is not None else self._body
            if not rows:
                rows.append([])
            text = re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v]*", "\n", "".join(self._cell))
            text = re.sub(r"[ \t\r\f\v]+", " ", text).strip()
            rows[-1].append((text, *self._span))
            self._cell = None
        elif self._depth == 1 and tag == "thead":
            self._section = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def _grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Rows of (text, colspan, rowspan) as a rectangular grid of texts."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still spanned)
    for row in rows:
        out: list[str] = []
        cells = iter(row)
        column = 0
        while True:
            if column in pending:
                text, left = pending.pop(column)
                out.append(text)
                if left > 1:
                    pending[column] = (text, left - 1)
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text, colspan, rowspan = cell
            for _ in range(colspan):
                out.append(text)
                if rowspan > 1:
                    pending[column] = (text, rowspan - 1)
                column += 1
        grid.append(out)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]


def html_tables(html: str) -> list[pd.DataFrame]:
    """The tables of an HTML fragment (a pandas or Styler table, the book's filterable
    table), each as a DataFrame of texts whose columns join the header rows ('' when none)."""
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    frames = []
    for head, body in parser.tables:
        if not head and body and len(body) > 1 and not any(body[0][1:]):
            head, body = [], body  # no header row
        width = max([len(r) for r in head + body] or [0])
        columns = [" ".join(dict.fromkeys(r[i] for r in head if i < len(r) and r[i]))
                   for i in range(width)]
        frames.append(pd.DataFrame([r + [""] * (width - len(r)) for r in body],
                                   columns=columns))
    return frames


def html_text(html: str) -> str:
    """The text of an HTML fragment (scripts and styles left out), paragraphs kept apart."""
    parser = _TableParser()
    text: list[str] = []
    parser.handle_data = lambda data: None if parser._skip else text.append(data)
    parser.feed(re.sub(r"<(?:br|/p|/div|/li|/h\d)\b[^>]*>", "\n", html))
    parser.close()
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t]+", " ", "".join(text))).strip()


#: The preamble of the printed book: the packages of ``latex_table`` and ``\maliarabic``;
#: long web addresses may break after a hyphen.
PREAMBLE = r"""
\usepackage{array}
\usepackage{longtable}
\usepackage{booktabs}
\usepackage{pdflscape}
\TeXXeTstate=1
\newfontfamily\maliarabicfont[Script=Arabic]{ARABIC_FONT}
\newcommand{\maliarabic}[1]{{\maliarabicfont\beginR #1\endR}}
\setlength{\LTleft}{0pt}
\setlength{\LTright}{0pt}
\makeatletter\g@addto@macro\UrlBreaks{\do\-}\makeatother
""".replace("ARABIC_FONT", ARABIC_FONT)

#: The works cited follow the Bibliography page's introduction (the last page of the PDF,
#: ``analysis.book.pdf``) under its heading, with no chapter of their own; each entry begins
#: with its author-year label in bold, in the paragraph, so a long label wraps (LaTeX's
#: default puts the labels in a margin as wide as the longest label); the citations link to
#: the entries' anchors, ``cite.<key>``.
BIBLIOGRAPHY = r"""
\makeatletter
\renewenvironment{sphinxthebibliography}[1]{%
  \par\medskip
  \list{}{\leftmargin=1.5em \itemindent=-1.5em \labelwidth=0pt \labelsep=0pt
    \itemsep=0.3em \parsep=0pt}%
  \def\@lbibitem[##1]##2{\item[]\hypertarget{cite.##2}{}\textbf{##1.}\ \ignorespaces}%
  \raggedright\sloppy}{\endlist}
\makeatother
"""

#: LaTeX options of the printed book, merged into ``latex_elements`` (``_config.yml`` may add).
LATEX_ELEMENTS = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "extraclassoptions": "openany,oneside",
    "printindex": "",
    "makeindex": "",
    "preamble": PREAMBLE + BIBLIOGRAPHY,
}


def apply_print_options(app: Any, config: Any) -> None:
    """The print options: A4, one-sided, chapters starting on any page (no blank pages), no
    index pages; options ``_config.yml`` sets win."""
    config.latex_elements = {**LATEX_ELEMENTS, **(config.latex_elements or {})}
    config.latex_domain_indices = False


def arabic_to_latex(app: Any, doctree: Any, docname: str) -> None:
    """In the LaTeX build, every Arabic run of the text becomes ``\\maliarabic{...}``."""
    from docutils import nodes

    if app.builder.format != "latex":
        return
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or isinstance(parent, (nodes.FixedTextElement, nodes.raw)):
            continue
        value = str(text)
        if not ARABIC_RUN.search(value):
            continue
        pieces: list[nodes.Node] = []
        last = 0
        for run in ARABIC_RUN.finditer(value):
            if run.start() > last:
                pieces.append(nodes.Text(value[last:run.start()]))
            pieces.append(nodes.raw("", arabic(run.group(0)), format="latex"))
            last = run.end()
        if last < len(value):
            pieces.append(nodes.Text(value[last:]))
        index = parent.index(text)
        parent.remove(text)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", apply_print_options, priority=900)
    app.connect("doctree-resolved", arabic_to_latex)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
