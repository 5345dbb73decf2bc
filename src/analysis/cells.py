"""Parsing single cell values, shared by the loaders, the importers and the transforms."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def is_missing(value: object) -> bool:
    """Whether a cell is empty: None, NA/NaN or the empty string."""
    return value is None or (not isinstance(value, str) and pd.isna(value)) or str(value) == ""


def split_ids(value: object) -> list[str]:
    """The ids in a ';'-separated cell (empty for a missing value)."""
    if is_missing(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def partial_date(value: object) -> pd.Timestamp:
    """'2014', '2014-06' or '2014-06-14' as the first day it can mean; missing stays missing."""
    if is_missing(value):
        return pd.NaT
    text = str(value)
    return pd.Timestamp(text + {4: "-01-01", 7: "-01"}.get(len(text), ""))


def convert_distinct(values: pd.Series, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``convert`` applied to each distinct value once and spread back over ``values``: an
    export repeats the same names, places and dates many thousands of times."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    converted = convert(pd.Series(distinct, dtype=values.dtype)).reset_index(drop=True)
    return pd.Series(converted.take(codes).array, index=values.index, name=values.name)
