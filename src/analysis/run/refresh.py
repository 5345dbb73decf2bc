"""Re-executing the chapters with Papermill: staged, then promoted all together or not at all."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import papermill
import zmq
from jupyter_client.manager import AsyncKernelManager

from analysis import paths
from analysis.book.chapter import HEADLINES_ENV
from analysis.data import check_events
from analysis.errors import RefreshError
from analysis.ingest.importers import as_csv_frame, csv_text
from analysis.ingest.merge import merge

#: Parameters every chapter's ``parameters`` cell defines, with the defaults it holds: empty
#: means the book's own events, the study's first day and the data's last month.
DEFAULT_PARAMETERS: dict[str, Any] = {"events_path": "", "start": "", "end": ""}
KERNEL = "python3"
VOLATILE_METADATA = ("papermill", "execution")


class EncryptedKernelManager(AsyncKernelManager):
    """A kernel manager that gives each kernel CurveZMQ keys when the kernel supports them, so
    the chapters' kernels never talk in plain TCP (and ipykernel does not warn that they do)."""

    transport_encryption = "auto" if zmq.has("curve") else "disabled"


@dataclass(frozen=True)
class Failure:
    notebook: Path
    cell: int | None
    error: str

    def __str__(self) -> str:
        where = f"{self.notebook.name}" + (f", cell {self.cell}" if self.cell is not None else "")
        return f"{where}: {self.error}"


def chapter_notebooks(folder: Path = paths.CHAPTERS) -> list[Path]:
    """The chapter notebooks, in file-name order."""
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def clean(notebook: Path) -> None:
    """Drop run-specific metadata (timings, papermill bookkeeping) so reruns diff cleanly, and
    fold the parameters Papermill injects, as the chapter's own parameters cell is."""
    nb = nbformat.read(notebook, as_version=4)
    for key in VOLATILE_METADATA:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "hide-cell" not in tags:
            cell.metadata["tags"] = [*tags, "hide-cell"]  # folded, like the parameters cell
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                output.get("metadata", {}).pop("papermill", None)
    nbformat.write(nb, notebook)


def _failed_cell(executed: Path, source: Path) -> int | None:
    """Number (from 0) of the failing cell in the source notebook, found by the cell's id."""
    try:
        ran = nbformat.read(executed, as_version=4)
        original = nbformat.read(source, as_version=4)
    except Exception:
        return None
    failing = next((c for c in ran.cells
                    if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
    if failing is None:
        return None
    ids = [c.get("id") for c in original.cells]
    return ids.index(failing.get("id")) if failing.get("id") in ids else None


def execute(notebook: Path, out: Path, parameters: dict[str, Any]) -> Failure | None:
    """Run one notebook into ``out``, in the notebook's own folder; the failure, if any."""
    changed = {k: v for k, v in parameters.items() if DEFAULT_PARAMETERS.get(k) != v}
    try:
        papermill.execute_notebook(
            str(notebook), str(out), parameters=changed or None, kernel_name=KERNEL,
            cwd=str(notebook.parent), progress_bar=False, log_output=False,
            report_mode=False, request_save_on_cell_execute=False,
            kernel_manager_class=EncryptedKernelManager,
        )
    except Exception as err:  # papermill.PapermillExecutionError and kernel failures
        detail = str(getattr(err, "evalue", err)).strip().splitlines()
        message = (getattr(err, "ename", type(err).__name__) + ": "
                   + (detail[0][:300] if detail else "(no message)"))
        return Failure(notebook, _failed_cell(out, notebook) if out.exists() else None, message)
    clean(out)
    return None


def execute_all(notebooks: Sequence[Path], outputs: Sequence[Path], parameters: dict[str, Any],
                jobs: int | None = None) -> list[Failure]:
    """Run every notebook into its output, ``jobs`` at a time (one per processor by default:
    each has its own kernel); the failures, in notebook order."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(notebooks)))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda pair: execute(pair[0], pair[1], parameters),
                                zip(notebooks, outputs, strict=True)))
    return [failure for failure in results if failure]


def promote(staged: Sequence[Path], targets: Sequence[Path], backup_dir: Path) -> None:
    """Replace every target by its staged copy; on any error put every target back as it was."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    backups = []
    for target in targets:
        backup = backup_dir / target.name
        shutil.copy2(target, backup)
        backups.append((target, backup))
    try:
        for source, target in zip(staged, targets, strict=True):
            incoming = target.with_name(f".{target.name}.incoming")
            shutil.copy2(source, incoming)
            os.replace(incoming, target)
    except BaseException:
        for target, backup in backups:
            shutil.copy2(backup, target)
            target.with_name(f".{target.name}.incoming").unlink(missing_ok=True)
        raise


HEADLINES = paths.DATA / "headlines.json"


def what_changed(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
                 ) -> pd.DataFrame:
    """Every headline number before and after a refresh, and whether it changed."""
    rows = []
    for chapter in sorted(set(before) | set(after)):
        old, new = before.get(chapter, {}), after.get(chapter, {})
        for name in sorted(set(old) | set(new)):
            rows.append({"chapter": chapter, "headline": name, "before": old.get(name),
                         "after": new.get(name), "changed": old.get(name) != new.get(name)})
    table = pd.DataFrame(rows, columns=["chapter", "headline", "before", "after", "changed"],
                         dtype=object)
    return table.astype({"changed": bool})


def report_text(changes: pd.DataFrame, parameters: dict[str, Any]) -> str:
    """The 'what changed' report as Markdown."""
    lines = ["# What changed", "", "Parameters: " + ", ".join(
        f"{k} = {v!r}" for k, v in parameters.items()), "",
        f"{int(changes['changed'].sum())} of {len(changes)} headline numbers changed.", "",
        "| chapter | headline | before | after |", "|---|---|---|---|"]
    def shown(value: Any) -> str:
        return "—" if value is None else str(value)

    for row in changes[changes["changed"]].itertuples(index=False):
        lines.append(f"| {row.chapter} | {row.headline} | {shown(row.before)} | "
                     f"{shown(row.after)} |")
    return "\n".join(lines) + "\n"


def refresh(parameters: dict[str, Any] | None = None, notebooks: Sequence[Path] | None = None,
            staging: Path | None = None, headlines: Path | None = None,
            report: Path | None = None, jobs: int | None = None) -> pd.DataFrame:
    """Re-execute the chapters into staging (``jobs`` at a time, see ``execute_all``); promote
    them, with their headline numbers, only if every one succeeded. Returns the 'what changed'
    table (also written to ``report``)."""
    parameters = {**DEFAULT_PARAMETERS, **(parameters or {})}
    notebooks = list(notebooks or chapter_notebooks())
    headlines = headlines or HEADLINES
    staging_root = staging or paths.BUILD / "staging"
    staging_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="refresh-", dir=staging_root) as tmp:
        (Path(tmp) / "executed").mkdir()
        recorded = Path(tmp) / "headlines"
        recorded.mkdir()
        staged = [Path(tmp) / "executed" / nb.name for nb in notebooks]
        previous = os.environ.get(HEADLINES_ENV)
        os.environ[HEADLINES_ENV] = str(recorded)
        try:
            failures = execute_all(notebooks, staged, parameters, jobs)
        finally:
            if previous is None:
                os.environ.pop(HEADLINES_ENV, None)
            else:
                os.environ[HEADLINES_ENV] = previous
        if failures:
            raise RefreshError(
                "refresh failed; the committed notebooks are unchanged:\n"
                + "\n".join(f"  {f}" for f in failures))
        after = {p.stem: json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted(recorded.glob("*.json"))}
        before = json.loads(headlines.read_text(encoding="utf-8")) if headlines.exists() else {}
        changes = what_changed(before, after)
        new_headlines = Path(tmp) / "headlines.json"
        new_headlines.write_text(json.dumps(after, indent=1, ensure_ascii=False,
                                            sort_keys=True) + "\n", encoding="utf-8")
        if not headlines.exists():
            headlines.write_text("{}\n", encoding="utf-8")
        promote([*staged, new_headlines], [*notebooks, headlines], Path(tmp) / "backup")
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(report_text(changes, parameters), encoding="utf-8")
    return changes


MERGED = paths.DATA / "external" / "merged-events.csv"


def events_for_refresh(files: Sequence[Path], merged: Path = MERGED) -> tuple[str, str]:
    """Validate the events files (a DataError names every problem) and return the
    ``events_path`` parameter for the chapters with a line saying what was done: one file is
    used as it is; several are merged (``ingest.merge``) into ``merged``, written atomically."""
    tables = [check_events(f) for f in files]
    if not files:
        return "", "the book's own events"
    if len(files) == 1:
        return str(files[0]), f"events from {files[0]}"
    combined, dropped = merge(tables)
    paths.write_atomically(merged, csv_text(as_csv_frame(combined)))
    return str(merged), (f"merged {len(files)} files: {sum(map(len, tables))} rows, {dropped} "
                         f"merged as duplicates, {len(combined)} events -> {merged}")


OUTLOOKS = paths.DATA / "forecasts"


def archive_outlook(events_path: str | None, through: str, model: str,
                    folder: Path = OUTLOOKS, issued: str | None = None) -> Path:
    """Store the outlook of ``model`` computed from the events up to the end of the month
    ``through`` (YYYY-MM) in ``folder``; an outlook already archived is never overwritten (a
    FileExistsError says so). Returns the file written."""
    from analysis import forecast, study
    from analysis.data import load_events
    from analysis.transforms import in_period, monthly, violent

    events = load_events(events_path)
    end = str((pd.Timestamp(f"{through}-01") + pd.offsets.MonthEnd(0)).date())
    kept = in_period(events, study.START, end)
    violence = violent(kept)
    series = monthly(violence, study.START, end).set_index("month")["fatalities"]
    table = forecast.archived_outlook(series, model, issued or str(pd.Timestamp.today().date()),
                                      paths.dataset_version(events_path), events=violence)
    target = forecast.archive_file(folder, table)
    if target.exists():
        raise FileExistsError(f"{target} is already archived; an outlook is never rewritten")
    paths.write_atomically(target, table.to_csv(index=False, lineterminator="\n"))
    return target
