"""The library's errors, in one module: a problem names file, row and column; a DataError
carries every problem found; pandera's failures are translated here and nowhere else."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import pandera.errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, row or file."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class DataError(Exception):
    """Raised when a file cannot be used; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RefreshError(Exception):
    """A chapter failed during a refresh; nothing was promoted."""


def pandera_problems(
    name: str,
    err: pandera.errors.SchemaErrors,
    describe: Callable[[str, str | None, Any], tuple[str | None, str]] | None = None,
) -> list[Problem]:
    """One Problem per failure case of a lazy pandera validation. ``describe(check, column,
    value)`` may give a schema's own wording (column, message); otherwise the message names the
    value and the check that failed. A row-wide check fails once per column of the row in
    pandera's report: each problem is listed once."""
    problems: list[Problem] = []
    for case in err.failure_cases.itertuples(index=False):
        check = str(case.check)
        column = case.column if isinstance(case.column, str) else None
        row = int(case.index) if pd.notna(case.index) else None
        value = case.failure_case
        value = value.item() if hasattr(value, "item") else value
        if describe is not None:
            column, message = describe(check, column, value)
        else:
            message = f"{value!r} fails {check}"
        problems.append(Problem(name, row, column, message))
    return list(dict.fromkeys(problems))
