"""Every dependency is pinned exactly and installed with its hashes checked."""

from __future__ import annotations

import re

from conftest import ROOT


def requirement_blocks() -> list[str]:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    return [b for b in blocks if re.match(r"^[A-Za-z0-9]", b)]


def test_every_requirement_is_pinned_with_a_hash():
    blocks = requirement_blocks()
    assert len(blocks) > 50
    for block in blocks:
        name = block.split()[0]
        assert re.match(r"^[A-Za-z0-9._-]+==[^\s\\]+", name), f"not pinned exactly: {name}"
        assert "--hash=sha256:" in block, f"no hash for {name}"


def test_the_install_checks_hashes_and_the_toolchain_is_jupyter_book_1():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.txt" in makefile
    pins = {b.split("==")[0].lower(): b.split("==")[1].split()[0] for b in requirement_blocks()}
    assert pins["jupyter-book"].startswith("1.")
