"""Sphinx extension: a clean site. A 404 page (sphinx-notfound-page) whose links work from any
address, no empty index page, and none of the theme's source maps (``*.map``: a few megabytes
no reader needs) in the built site."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from analysis import study

#: Files of the built site no reader needs: the theme's source maps.
DEAD_WEIGHT = ("*.map",)


def site_prefix(base_url: str) -> str:
    """The path the book is served under ('/' when no address is set), as the 404 page's links
    need it: '/mali-book/' for 'https://example.org/mali-book'."""
    path = urlparse(base_url).path if base_url else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def not_found_body(prefix: str) -> str:
    """The 404 page's text."""
    return (f"<h1>Page not found</h1>\n<p>No page of <em>{study.TITLE}</em> has this address. "
            f"It may have moved in a new version of the book. Start from the "
            f'<a href="{prefix}index.html">front page</a>, or search the book with the box '
            f"at the top of the menu.</p>")


def configure(app: Any, config: Any) -> None:
    """The 404 page's links under the book's address; no index page."""
    prefix = site_prefix(config.html_baseurl or "")
    config.notfound_urls_prefix = prefix
    config.notfound_context = {"title": "Page not found", "body": not_found_body(prefix)}
    config.html_use_index = False


def remove_dead_weight(app: Any, exception: Exception | None) -> None:
    """Delete the source maps, and an index page left by an older build, from the HTML."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for pattern in DEAD_WEIGHT:
        for file in out.rglob(pattern):
            file.unlink()
    if not app.config.html_use_index:
        (out / "genindex.html").unlink(missing_ok=True)


def setup(app: Any) -> dict[str, Any]:
    app.setup_extension("notfound.extension")
    app.connect("config-inited", configure, priority=900)
    app.connect("build-finished", remove_dead_weight)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
