"""The migration of data/events.csv to schema v2 (tools/migrate_schema_v2.py)."""

from __future__ import annotations

import importlib.util

import pandas as pd
from factories import ROOT


def migration():
    spec = importlib.util.spec_from_file_location("migrate",
                                                  ROOT / "tools" / "migrate_schema_v2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_split_sums_to_the_toll_and_is_never_guessed():
    events = pd.DataFrame({
        "event_id": ["A", "B", "C", "D"], "fatalities_best": ["30", "12", "", "5"],
        "estimates_repaired": ["", "", "", ""],
    })
    splits = pd.DataFrame({
        "event_id": ["A", "D"], "deaths_side_a": ["10", "4"], "deaths_side_b": ["15", "4"],
        "deaths_civilians": ["", "0"], "deaths_unknown": ["", ""],
    }).set_index("event_id")
    module = migration()
    out = module.migrate(events.assign(**{c: "" for c in module.EVENT_COLUMNS
                                          if c not in events}), splits).set_index("event_id")
    parts = ["deaths_side_a", "deaths_side_b", "deaths_civilians", "deaths_unknown"]
    assert out.loc["A", parts].tolist() == ["10", "15", "0", "5"]   # the rest is unknown
    assert out.loc["B", parts].tolist() == ["0", "0", "0", "12"]   # no split: all unknown
    assert out.loc["C", parts].tolist() == ["", "", "", ""]        # no toll: no parts
    assert out.loc["D", parts].tolist() == ["0", "0", "0", "5"]    # a split above the toll
    assert (out["estimates_repaired"] == "false").all()


def test_the_published_table_is_migrated_consistently():
    events = pd.read_csv(ROOT / "data" / "events.csv", dtype=str, keep_default_na=False)
    parts = ["deaths_side_a", "deaths_side_b", "deaths_civilians", "deaths_unknown"]
    with_toll = events[events["fatalities_best"] != ""]
    sums = with_toll[parts].astype(int).sum(axis=1)
    assert (sums == with_toll["fatalities_best"].astype(int)).all()
    assert (events.loc[events["fatalities_best"] == "", parts] == "").all().all()
