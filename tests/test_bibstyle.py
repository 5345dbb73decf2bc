"""The bibliography's style: author-year labels, titles as written, dates in words."""

from __future__ import annotations

import pytest
from pybtex.database import parse_string

from analysis.book import bibstyle

BIB = r"""
@article{afp2024, author = {{AFP}}, title = {Attack near Timbuktu kills 10 in Mali},
  journal = {Le Monde}, date = {2024-09-19}, year = {2024}}
@article{dupont2025, author = {Jean Dupont}, title = {La MINUSMA quitte Kidal},
  journal = {RFI}, year = {2025}, month = {6}}
@article{three2025, author = {Jean Dupont and Ann Lee and Xavier Yao}, title = {Gao},
  journal = {RFI}, date = {2025-07}}
@article{afp2024b, author = {{AFP}}, title = {Second}, journal = {RFI}, date = {2024-10-01}}
@misc{anon2015, title = {Classification of the armed conflicts in Mali}, howpublished = {X},
  year = {2015}}
"""


@pytest.fixture(scope="module")
def formatted():
    entries = parse_string(BIB, "bibtex").entries.values()
    return {e.key: e for e in bibstyle.AuthorYearStyle().format_entries(entries)}


def test_titles_keep_their_proper_nouns(formatted):
    text = formatted["afp2024"].text.render_as("text")
    assert "Attack near Timbuktu kills 10 in Mali." in text
    assert "MINUSMA quitte Kidal" in formatted["dupont2025"].text.render_as("text")


def test_dates_print_in_words_never_month_number_and_year(formatted):
    assert "Le Monde, 19 September 2024." in formatted["afp2024"].text.render_as("text")
    dupont = formatted["dupont2025"].text.render_as("text")
    assert "June 2025" in dupont and "6 2025" not in dupont
    assert "RFI, July 2025." in formatted["three2025"].text.render_as("text")


def test_labels_are_author_year_as_cited_and_entries_sorted_by_them(formatted):
    assert formatted["afp2024"].label == "AFP, 2024a"  # two by AFP in 2024, in date order
    assert formatted["afp2024b"].label == "AFP, 2024b"
    assert formatted["dupont2025"].label == "Dupont, 2025"
    assert formatted["three2025"].label == "Dupont et al., 2025"
    assert formatted["anon2015"].label == "Classification of the armed conflicts in Mali, 2015"
    assert list(formatted) == ["afp2024", "afp2024b", "anon2015", "dupont2025",
                              "three2025"]


@pytest.mark.parametrize(("date", "year", "month", "expected"), [
    ("2024-09-19", "2024", "", "19 September 2024"), ("2014-10", "2014", "", "October 2014"),
    ("", "2025", "06", "June 2025"), ("", "2025", "jun", "June 2025"), ("2013", "", "", "2013"),
    ("", "2019", "", "2019"), ("2024-09-05", "", "12", "5 September 2024")])
def test_date_text(date, year, month, expected):
    assert bibstyle.date_text(date, year, month) == expected


def test_the_style_is_registered_for_sphinxcontrib_bibtex():
    from pybtex.plugin import find_plugin

    bibstyle.register()
    assert find_plugin("pybtex.style.formatting", bibstyle.STYLE_NAME) is bibstyle.AuthorYearStyle
