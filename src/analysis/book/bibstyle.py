"""The bibliography's style (a Sphinx extension registering a pybtex plugin): author-year,
titles as the sources wrote them, dates in words.

pybtex's ``plain`` style lower-cases every title but its first letter ("mali", "timbuktu"),
prints a numeric month before the year ("6 2025") and ignores the ``date`` field the entries
carry. This style keeps each title's case, prints the most precise date known ("19 September
2024", "June 2025", "2014"), labels each entry by author and year ("Ferraro, 2013", not [12];
"AFP, 2012a" and "AFP, 2012b" when two share them) and sorts the entries by those labels.
``_config.yml`` selects it (``bibtex_default_style: mali_author_year``) and cites by label
(``bibtex_reference_style: label``), so a citation reads "[Ferraro, 2013]" and names one entry.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable
from string import ascii_lowercase
from typing import Any

from pybtex.database import Entry
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import field, sentence

STYLE_NAME = "mali_author_year"
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def date_text(date: str = "", year: str = "", month: str = "") -> str:
    """A BibTeX date in words: the ``date`` field ('2024-09-19', '2024-09' or '2024') when it
    parses, else ``month`` (a number or a name) and ``year``: '19 September 2024',
    'September 2024', '2024'."""
    found = _DATE.fullmatch(date.strip())
    if found:
        year, month, day = found.group(1), found.group(2) or "", found.group(3) or ""
    else:
        day = ""
    month = month.strip()
    if month.isdigit():
        month = calendar.month_name[int(month)] if 1 <= int(month) <= 12 else ""
    elif month:
        month = next((name for name in calendar.month_name[1:]
                      if name.lower().startswith(month.lower()[:3])), month)
    return " ".join(part for part in (str(int(day)) if day else "", month if year else "",
                                      year.strip()) if part)


def _plain(text: str) -> str:
    """BibTeX text without its braces and LaTeX markup."""
    return Text.from_latex(text).render_as("text")


def entry_year(entry: Entry) -> str:
    """The year a citation of ``entry`` shows: its ``year``, else its date's, else 'n.d.'."""
    found = _DATE.fullmatch(entry.fields.get("date", "").strip())
    return entry.fields.get("year") or (found.group(1) if found else "n.d.")


def who(entry: Entry) -> str:
    """Who an author-year citation names: 'Ferraro', 'Henckaerts and Doswald-Beck',
    'Raleigh et al.' (authors, else editors, by last name), else the title."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_plain(" ".join(p.last_names)) or _plain(str(p)) for p in persons]
    if len(names) > 2:
        return f"{names[0]} et al."
    if names:
        return " and ".join(names)
    return _plain(entry.fields.get("title", "")) or entry.key


def label(entry: Entry) -> str:
    """The entry's label, as the book's author-year citations print it: 'Ferraro, 2013'."""
    return f"{who(entry)}, {entry_year(entry)}"


def labels(entries: Iterable[Entry]) -> list[str]:
    """The labels of ``entries`` (in their order), 'a', 'b'... added to the year where two
    share one: 'AFP, 2012a', 'AFP, 2012b'."""
    entries = list(entries)
    plain = [label(e) for e in entries]
    counts = Counter(plain)
    seen: Counter[str] = Counter()
    out = []
    for text in plain:
        if counts[text] > 1:
            out.append(text + ascii_lowercase[seen[text] % 26])
            seen[text] += 1
        else:
            out.append(text)
    return out


def sort_key(entry: Entry) -> tuple[str, str, str, str]:
    """Entries in the order of their labels, then of their dates and titles."""
    return (who(entry).casefold(), entry_year(entry), entry.fields.get("date", ""),
            _plain(entry.fields.get("title", "")).casefold())


class AuthorYearStyle(UnsrtStyle):
    """pybtex's ``unsrt`` entries in author-year order, labelled as they are cited
    ('Ferraro, 2013'), titles as written, dates in words."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.format_labels = labels
        self.sort = lambda entries: sorted(entries, key=sort_key)

    def format_title(self, e: Entry, which_field: str, as_sentence: bool = True) -> Any:
        title = field(which_field)  # as written: no sentence case, proper nouns kept
        return sentence[title] if as_sentence else title

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> Any:
        fields = dict(entry.fields)
        fields["year"] = date_text(fields.pop("date", ""), fields.get("year", ""),
                                   fields.pop("month", "")) or "n.d."
        shown = Entry(entry.type, fields=fields, persons=entry.persons)
        shown.key = entry.key
        return super().format_entry(label, shown, bib_data=bib_data)


def register() -> None:
    """Make the style known to pybtex (and so to sphinxcontrib-bibtex) by its name."""
    from pybtex.plugin import find_plugin, register_plugin

    try:
        find_plugin("pybtex.style.formatting", STYLE_NAME)
    except Exception:  # pybtex raises PluginNotFound: not yet registered
        register_plugin("pybtex.style.formatting", STYLE_NAME, AuthorYearStyle)


def setup(app: Any) -> dict[str, Any]:
    register()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
