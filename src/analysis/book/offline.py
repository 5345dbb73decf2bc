"""Sphinx extension: keep the built pages offline.

Jupyter Book 1 always loads sphinx-thebe, whose inline configuration names a script on a CDN
and is added twice to each page (a console error). The book has no live-code launcher, so
this extension drops thebe's scripts from every page.
"""

from __future__ import annotations

from typing import Any


def _is_thebe(script: Any) -> bool:
    filename = str(getattr(script, "filename", "") or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in filename or "THEBE_JS_URL" in body


def drop_thebe(app: Any, pagename: str, templatename: str, context: dict[str, Any],
               doctree: Any) -> None:
    """Remove thebe's scripts from the page's script list."""
    scripts = context.get("script_files")
    if scripts is not None:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
