"""Where the book's files live, whatever folder a notebook is run from; how they are written
(atomically); and the content hash that names the version a file holds.

Jupyter Book and nbval run a notebook in its own folder, Papermill in the caller's:
every path in the book is therefore resolved here, from the package's location.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

ROOT = Path(os.environ.get("MALI_BOOK_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "data"
CHAPTERS = ROOT / "chapters"
EVENTS = DATA / "events.csv"
ACTORS = DATA / "actors.csv"
DATAPACKAGE = DATA / "datapackage.json"
REFERENCES = ROOT / "references.bib"
STATIC = ROOT / "_static"
BUILD = ROOT / "_build"
#: Validated tables kept between runs; tests point it elsewhere (``MALI_BOOK_CACHE``).
CACHE = Path(os.environ.get("MALI_BOOK_CACHE", BUILD / "cache"))
#: Files shared beside the book, never committed (UCDP's real exports in ``data/ucdp/``); a
#: checkout elsewhere (a git worktree) points to them with ``MALI_BOOK_SHARED``.
SHARED = Path(os.environ.get("MALI_BOOK_SHARED", ROOT.parent / "shared"))


def resolve(path: str | os.PathLike[str] | None, default: Path = EVENTS) -> Path:
    """An absolute path: ``path`` as given when absolute, else relative to the book's root."""
    if path is None or str(path) == "":
        return default
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else (ROOT / candidate).resolve()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dataset_version(path: str | Path | None = None) -> str:
    """A short content hash that names one exact version of an event file."""
    return file_digest(resolve(path))[:12]


def write_atomically(target: Path, content: str | bytes) -> None:
    """Write text (UTF-8) or bytes to a temporary file beside ``target``, then rename it into
    place, so a reader never sees a half-written file and a failed write leaves the old one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
