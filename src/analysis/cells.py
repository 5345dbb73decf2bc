"""Parsing single cell values, shared by the loaders, the importers and the transforms."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
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


def distinct_codes(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Each cell's position in the column's distinct values, and those values (a missing value
    is one of them): a categorical column gives its own codes, any other is factorized."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.intp)
        distinct = pd.Series(values.cat.categories)
        if (codes < 0).any():  # missing cells: one more distinct value, missing
            distinct = distinct.reindex(range(len(distinct) + 1))
            codes = np.where(codes < 0, len(distinct) - 1, codes)
        return codes, distinct
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, pd.Series(uniques, dtype=values.dtype)


def convert_distinct(values: pd.Series, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``convert`` applied to each distinct value once and spread back over ``values``: an
    export repeats the same names, places and dates many thousands of times."""
    codes, distinct = distinct_codes(values)
    converted = convert(distinct).reset_index(drop=True)
    return pd.Series(converted.take(codes).array, index=values.index, name=values.name)


def per_distinct(convert: Callable[..., pd.Series | pd.DataFrame], *columns: pd.Series
                 ) -> pd.Series | pd.DataFrame:
    """``convert`` applied once to each distinct combination of the columns' values (it gets
    one Series per column, aligned), kept as a categorical column over the rows (a frame of
    them when ``convert`` returns a frame): filtering it or converting it again then costs
    one step per distinct value, not per row."""
    coded = [distinct_codes(column) for column in columns]
    if len(coded) == 1:  # the distinct values are the combinations
        combination, distinct = coded[0]
        values = [distinct.reset_index(drop=True)]
    else:
        combination = coded[0][0]
        for codes, distinct in coded[1:]:
            combination, _ = pd.factorize(combination.astype(np.int64) * max(len(distinct), 1)
                                          + codes)
        first_row = np.zeros(combination.max() + 1 if len(combination) else 0, dtype=np.intp)
        first_row[combination[::-1]] = np.arange(len(combination))[::-1]  # a row of each
        values = [distinct.take(codes[first_row]).reset_index(drop=True)
                  for codes, distinct in coded]
    result = convert(*values)
    if isinstance(result, pd.DataFrame):  # several results per combination: one column each
        return pd.DataFrame({name: _spread(part, combination, columns[0].index)
                             for name, part in result.items()}, index=columns[0].index)
    return _spread(pd.Series(result), combination, columns[0].index)


def _spread(result: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Results per distinct combination spread over the rows as a categorical column."""
    result_codes, categories = pd.factorize(result.reset_index(drop=True))
    return pd.Series(pd.Categorical.from_codes(result_codes[codes], categories=categories),
                     index=index)
