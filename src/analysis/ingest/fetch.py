"""Downloading UCDP's GED with verification: complete files only, recorded in a lock file.

The file is downloaded by pooch into a temporary folder, checked (hash, a CSV inside the zip),
and only then moved into ``data/external/``; the lock file records its URL, version, size and
SHA-256, and later fetches of the same file must match it.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pooch

from analysis import paths
from analysis.errors import DataError, Problem
from analysis.paths import file_digest

EXTERNAL = paths.DATA / "external"
LOCK = paths.DATA / "data.lock.json"
UCDP_URL = "https://ucdp.uu.se/downloads/ged/ged{code}-csv.zip"
#: UCDP's monthly Candidate Events, as its download page names them: version 25.0.3 is the
#: third monthly release of 2025 (``--url`` takes another address).
CANDIDATE_URL = "https://ucdp.uu.se/downloads/candidateged/GEDEvent_v{code}.csv"


def read_lock(lock: Path = LOCK) -> dict[str, Any]:
    return json.loads(lock.read_text(encoding="utf-8")) if lock.exists() else {}


def write_lock(entries: dict[str, Any], lock: Path = LOCK) -> None:
    paths.write_atomically(lock, json.dumps(entries, indent=2, sort_keys=True) + "\n")


def ucdp_file_name(version: str, candidate: bool = False) -> str:
    if candidate:
        return f"GEDEvent_v{version.replace('.', '_')}.csv"
    return f"ged{version.replace('.', '')}-csv.zip"


def check_candidate_csv(path: Path, url: str) -> None:
    """A clear error unless the file is a CSV whose header has UCDP's event columns."""
    with open(path, "rb") as handle:
        header = handle.readline().decode("utf-8-sig", errors="replace").strip().lower()
    names = {name.strip().strip('"') for name in header.split(",")}
    if not {"id", "date_start", "side_a", "side_b"} <= names:
        raise DataError([Problem(url, 1, None, "not a UCDP event file: the header lacks id, "
                                 "date_start, side_a or side_b")])


def check_ged_zip(path: Path, url: str) -> None:
    """A clear error unless the file is a zip holding the GED CSV."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise DataError([Problem(url, None, None, "the download is not a zip file")]) from None
    if not any(n.lower().endswith(".csv") for n in names):
        raise DataError([Problem(url, None, None,
                                 "the zip holds no CSV (expected GEDEvent_*.csv): "
                                 + ", ".join(names[:5]))])


def fetch_ucdp(version: str, url: str | None = None, folder: Path = EXTERNAL,
               lock: Path = LOCK, progress: bool = True, candidate: bool = False) -> Path:
    """Download UCDP's bulk GED for ``version`` (e.g. '25.1'), or with ``candidate`` its
    monthly Candidate Events (e.g. '25.0.3'); return the verified file."""
    name = ucdp_file_name(version, candidate)
    template = CANDIDATE_URL if candidate else UCDP_URL
    source = url or template.format(code=version.replace(".", "_" if candidate else ""))
    entries = read_lock(lock)
    known = entries.get(name, {}).get("sha256")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=folder) as staging:
        try:
            downloaded = Path(pooch.retrieve(
                source, known_hash=f"sha256:{known}" if known else None, fname=name,
                path=staging, progressbar=progress))
        except ValueError as err:  # pooch: the hash does not match the lock file
            raise DataError([Problem(source, None, None,
                                     f"SHA-256 does not match {lock.name}: {err}")]) from None
        except Exception as err:  # HTTP errors, dropped connections
            raise DataError([Problem(source, None, None, f"download failed: {err}")]) from None
        (check_candidate_csv if candidate else check_ged_zip)(downloaded, source)
        target = folder / name
        os.replace(downloaded, target)
    entries[name] = {"url": source, "version": version, "size": target.stat().st_size,
                     "sha256": file_digest(target),
                     "dataset": "UCDP Candidate Events" if candidate else "UCDP GED"}
    write_lock(entries, lock)
    return target
