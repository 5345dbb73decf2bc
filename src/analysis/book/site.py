"""Sphinx extension: the site's title, authors, copyright and footer from ``analysis.study``,
so the book's facts are typed once (not again in ``_config.yml``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from analysis import study
from analysis.errors import DataError, Problem

#: The environment variable that gives the published book's address (``html_baseurl``).
ADDRESS_VARIABLE = "MALI_BOOK_BASEURL"


def footer() -> str:
    """The line at the foot of every page: title, version, licences."""
    return (f"<p>{study.TITLE} &middot; book version {study.VERSION} &middot; text "
            f"{study.LICENCE_TEXT}, code {study.LICENCE_CODE}.</p>")


def published_address(configured: str, environ: Mapping[str, str] = os.environ) -> str:
    """The address the book is published at, for absolute links in citations: the
    ``MALI_BOOK_BASEURL`` variable when it is set, else ``html_baseurl`` of ``_config.yml``
    (empty: the book has no address yet and citations give the page's path). An address that is
    not an absolute http(s) URL is an error naming where it came from."""
    value = environ.get(ADDRESS_VARIABLE, "").strip() or (configured or "").strip()
    origin = ADDRESS_VARIABLE if environ.get(ADDRESS_VARIABLE, "").strip() else "_config.yml"
    if value:
        parts = urlparse(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise DataError([Problem(origin, None, "html_baseurl",
                                     f"{value!r} is not an absolute http(s) address")])
        value = value.rstrip("/") + "/"
    return value


def apply_study_facts(app: Any, config: Any) -> None:
    config.html_baseurl = published_address(config.html_baseurl)
    config.project = study.TITLE
    config.html_title = study.TITLE
    config.author = study.AUTHORS
    config.copyright = study.YEAR
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = footer()
    config.html_theme_options = options
    latex_title(config)


def latex_title(config: Any) -> None:
    """The PDF's title and authors, the study's."""
    config.latex_documents = [(start, target, study.TITLE, study.AUTHORS, kind, *rest)
                              for start, target, _title, _author, kind, *rest
                              in (config.latex_documents or [])]


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", apply_study_facts, priority=900)
    # Jupyter Book writes its own default title ("My Jupyter Book") into the LaTeX documents
    # after the configuration is read: the study's title is set again before the build.
    app.connect("env-before-read-docs", lambda app, env, docnames: latex_title(app.config))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
