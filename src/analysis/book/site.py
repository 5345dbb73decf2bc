"""Sphinx extension: the site's title, authors, copyright and footer from ``analysis.study``,
so the book's facts are typed once (not again in ``_config.yml``)."""

from __future__ import annotations

from typing import Any

from analysis import study


def footer() -> str:
    """The line at the foot of every page: title, version, licences."""
    return (f"<p>{study.TITLE} &middot; book version {study.VERSION} &middot; text "
            f"{study.LICENCE_TEXT}, code {study.LICENCE_CODE}.</p>")


def apply_study_facts(app: Any, config: Any) -> None:
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
