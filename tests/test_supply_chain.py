"""Every dependency is pinned exactly and installed with its hashes checked."""

from __future__ import annotations

import re

from factories import ROOT


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


def test_pyproject_declares_every_library_the_package_imports():
    """Honest packaging: each third-party module the library imports is a declared dependency
    (docutils excepted: only the Sphinx extensions import it, inside jupyter-book's Sphinx)."""
    import ast
    import sys
    import tomllib

    declared = {re.split(r"[<>=!~ ]", d)[0].lower() for d in tomllib.loads(
        (ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    names = {"vl_convert": "vl-convert-python", "zmq": "pyzmq", "jupyter_client": "jupyter-client",
             "yaml": "pyyaml"}
    imported = set()
    for file in (ROOT / "src" / "analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"analysis", "__future__", "docutils"}
    assert third_party
    missing = {names.get(m, m) for m in third_party} - declared
    assert not missing, missing


def test_tests_of_one_group_run_on_one_process(tmp_path):
    """`make test` runs `--dist loadgroup` so that the tests sharing a built book or a refresh
    run where it was built; if the installed pytest and pytest-xdist stop honouring
    `xdist_group`, the tests would still pass but build everything twice."""
    import subprocess
    import sys

    log = tmp_path / "workers"
    log.mkdir()
    (tmp_path / "test_grouped.py").write_text(
        "import os\nimport pathlib\nimport pytest\n\n"
        "pytestmark = pytest.mark.xdist_group('shared')\n\n"
        + "".join(f"def test_{i}():\n    pathlib.Path({str(log)!r}, '{i}').write_text("
                  "os.environ['PYTEST_XDIST_WORKER'])\n\n" for i in range(6)),
        encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup",
         "-p", "no:cacheprovider", str(tmp_path / "test_grouped.py")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    workers = [path.read_text() for path in log.iterdir()]
    assert len(workers) == 6
    assert len(set(workers)) == 1, workers
