"""The cache of validated data: used when the inputs are the same, never when they differ."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import event_row

from analysis import data, paths
from analysis.errors import DataError


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setattr(paths, "CACHE", folder)
    return folder


def test_second_load_reads_the_cache_and_gives_the_same_table(cache, monkeypatch):
    first = data.load_events()
    assert len(list(cache.glob("events-*.parquet"))) == 1

    def no_validation(*args, **kwargs):
        raise AssertionError("validated again although nothing changed")

    monkeypatch.setattr(data, "check_events", no_validation)
    again = data.load_events()
    pd.testing.assert_frame_equal(again, first)
    assert again["date_start"].dtype == first["date_start"].dtype
    assert str(again["fatalities_best"].dtype) == "Int64"


def test_an_edited_file_is_validated_again(cache, events_file):
    path = events_file([event_row(), event_row(event_id="T-0002", fatalities_best="12",
                                              fatalities_low="", fatalities_high="")])
    assert data.load_events(path)["fatalities_best"].tolist() == [157, 12]
    events_file([event_row(), event_row(event_id="T-0002", fatalities_best="13",
                                        fatalities_low="", fatalities_high="")])
    assert data.load_events(path)["fatalities_best"].tolist() == [157, 13]
    events_file([event_row(), event_row(event_id="T-0002", latitude="north")])
    with pytest.raises(DataError, match="latitude"):
        data.load_events(path)
    assert len(list(cache.glob("events-*.parquet"))) == 2  # the bad version is never kept


def test_a_damaged_cache_file_is_rebuilt(cache, events_file):
    path = events_file([event_row()])
    expected = data.load_events(path)
    (copy,) = cache.glob("events-*.parquet")
    copy.write_bytes(b"not parquet at all")
    pd.testing.assert_frame_equal(data.load_events(path), expected)
    pd.testing.assert_frame_equal(pd.read_parquet(copy), expected)


def test_a_read_only_cache_folder_only_costs_time(tmp_path, monkeypatch, events_file):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setattr(paths, "CACHE", blocked)
    assert len(data.load_events(events_file([event_row()]))) == 1


def test_cached_bibliography_equals_a_fresh_parse(cache):
    entries = data.bibliography()
    assert list(cache.glob("bibliography-*.json"))
    assert data.bibliography() == entries == data._parse_bibliography(paths.REFERENCES)
    assert entries["rulac2025mali"]["title"].startswith("Classification of the armed conflicts")


def test_actor_registry_is_cached_and_an_edit_is_checked_again(cache, tmp_path, monkeypatch):
    registry = tmp_path / "actors.csv"
    registry.write_bytes(paths.ACTORS.read_bytes())
    first = data.load_actors(registry)
    checked = data._checked_actors
    monkeypatch.setattr(data, "_checked_actors", lambda file: pytest.fail("checked again"))
    pd.testing.assert_frame_equal(data.load_actors(registry), first)
    monkeypatch.setattr(data, "_checked_actors", checked)
    text = registry.read_text(encoding="utf-8").replace("\nfama,", "\nFAMA BAD,", 1)
    registry.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="actor_id"):
        data.load_actors(registry)
