"""The IHL engine: every rule on small made-up tables with known answers."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import events_frame

from analysis import ihl

LINEAGE = pd.DataFrame({
    "from_id": ["mnla", "cma", "isgs"], "to_id": ["cma", "fla", "issp"],
    "relation": ["merged_into", "renamed_to", "renamed_to"],
    "date": ["2014", "2024-11-30", "2022-03"], "source_ids": ["s", "s", "s"],
})


def evidence(group: str, command: str = "yes", capacity: str = "yes", control: str = "yes",
             start: str = "2010", end: str = "2030") -> pd.DataFrame:
    rows = [(group, start, end, "command_structure", command),
            (group, start, end, "operational_capacity", capacity),
            (group, start, end, "ap2_territorial_control", control)]
    return pd.DataFrame(rows, columns=["group_id", "period_start", "period_end", "indicator",
                                       "value"]).astype("string")


def indicators(a: str, b: str, period: str, clashes: int, months: int, deaths: int,
               line_a: str | None = None, line_b: str | None = None) -> dict:
    return {"party_a": a, "party_b": b, "period": period, "line_a": line_a or a,
            "line_b": line_b or b, "clashes": clashes, "months_with_clashes": months,
            "fatalities": deaths, **dict.fromkeys(ihl.INDICATOR_COLUMNS[3:], 0)}


def classify(rows: list[dict], ev: pd.DataFrame, **kwargs) -> pd.DataFrame:
    return ihl.classify(pd.DataFrame(rows), ev, **kwargs).set_index(["party_a", "period"])


def test_r1_one_exchange_between_states_is_international():
    result = classify([indicators("algeria", "mali", "2025", 1, 1, 0)], evidence("x"))
    assert result.loc[("algeria", "2025"), "classification"] == ihl.INTERNATIONAL
    assert "R1" in result.loc[("algeria", "2025"), "reasons"]


@pytest.mark.parametrize(
    ("clashes", "months", "deaths", "expected"),
    [
        (3, 2, 25, ihl.NON_INTERNATIONAL),  # exactly at every threshold
        (2, 2, 25, ihl.BELOW_THRESHOLD),    # one clash short
        (3, 1, 25, ihl.BELOW_THRESHOLD),    # one month short
        (3, 2, 24, ihl.BELOW_THRESHOLD),    # one death short
    ],
)
def test_r4_intensity_thresholds_are_inclusive(clashes, months, deaths, expected):
    result = classify([indicators("jnim", "mali", "2019", clashes, months, deaths)],
                      evidence("jnim"))
    assert result.loc[("jnim", "2019"), "classification"] == expected


def test_custom_thresholds():
    rows = [indicators("jnim", "mali", "2019", 5, 3, 40)]
    strict = ihl.Thresholds(min_clashes=6, min_months=3, min_fatalities=25)
    result = classify(rows, evidence("jnim"), thresholds=strict)
    assert result.loc[("jnim", "2019"), "classification"] == ihl.BELOW_THRESHOLD


@pytest.mark.parametrize(
    ("command", "capacity", "expected"),
    [("yes", "yes", ihl.NON_INTERNATIONAL), ("partial", "yes", ihl.NON_INTERNATIONAL),
     ("no", "yes", ihl.NO_CONFLICT), ("unknown", "yes", ihl.NOT_ESTABLISHED)],
)
def test_r5_organization(command, capacity, expected):
    result = classify([indicators("jnim", "mali", "2019", 9, 6, 120)],
                      evidence("jnim", command=command, capacity=capacity))
    assert result.loc[("jnim", "2019"), "classification"] == expected


def test_evidence_outside_its_period_does_not_count():
    result = classify([indicators("jnim", "mali", "2019", 9, 6, 120)],
                      evidence("jnim", start="2021", end="2025"))
    assert result.loc[("jnim", "2019"), "classification"] == ihl.NOT_ESTABLISHED


@pytest.mark.parametrize(("control", "ap2"), [("yes", "yes"), ("partial", "arguable"),
                                              ("no", "no"), ("unknown", "no")])
def test_r7_protocol_ii(control, ap2):
    result = classify([indicators("jnim", "mali", "2019", 9, 6, 120)],
                      evidence("jnim", control=control))
    assert result.loc[("jnim", "2019"), "ap2"] == ap2


def test_protocol_ii_needs_the_state_as_a_party():
    ev = pd.concat([evidence("jnim"), evidence("issp")])
    result = classify([indicators("issp", "jnim", "2023", 9, 6, 120)], ev)
    assert result.loc[("issp", "2023"), "classification"] == ihl.NON_INTERNATIONAL
    assert result.loc[("issp", "2023"), "ap2"] == "no"


def test_r9_an_established_conflict_continues_until_an_agreement():
    rows = [indicators("cma", "mali", "2014", 5, 3, 60),
            indicators("cma", "mali", "2015", 1, 1, 3),
            indicators("cma", "mali", "2016", 1, 1, 2)]
    settled = {("cma", "mali"): pd.Timestamp("2015-06-20")}
    result = classify(rows, evidence("cma"), settled=settled)
    assert result.loc[("cma", "2015"), "classification"] == ihl.NON_INTERNATIONAL
    assert "R9" in result.loc[("cma", "2015"), "reasons"]
    assert result.loc[("cma", "2016"), "classification"] == ihl.BELOW_THRESHOLD
    without_deal = classify(rows, evidence("cma"))
    assert without_deal.loc[("cma", "2016"), "classification"] == ihl.NON_INTERNATIONAL


def test_r9_continuity_follows_renamed_parties():
    rows = [indicators("csp_psd", "mali", "2023", 13, 5, 35, line_a="fla"),
            indicators("fla", "mali", "2024", 1, 1, 8)]
    ev = pd.concat([evidence("csp_psd"), evidence("fla")])
    result = classify(rows, ev)
    assert result.loc[("fla", "2024"), "classification"] == ihl.NON_INTERNATIONAL


def test_r2_r3_party_resolution():
    resolve = ihl.party_resolver(LINEAGE)
    assert resolve("wagner", pd.Timestamp("2023-01-01")) == ihl.MALI
    assert resolve("france", pd.Timestamp("2013-01-11")) == ihl.MALI
    assert resolve("mnla", pd.Timestamp("2012-06-01")) == "mnla"
    assert resolve("mnla", pd.Timestamp("2015-01-01")) == "cma"
    assert resolve("mnla", pd.Timestamp("2025-01-01")) == "fla"
    assert resolve("isgs", pd.Timestamp("2022-02-01")) == "isgs"
    assert resolve("isgs", pd.Timestamp("2022-03-01")) == "issp"


def test_intensity_indicators_from_events():
    columns = ["event_id", "date_start", "event_type", "sub_event_type", "actor1", "actor2",
               "fatalities_best", "civilian_targeting", "admin1"]
    events = events_frame(columns, [
        ("1", "2019-01-05", "Battles", "Armed clash", "jnim", "fama", 10, False, "Mopti"),
        ("2", "2019-01-20", "Explosions/Remote violence", "Air/drone strike", "france", "jnim",
         5, False, "Mopti"),
        ("3", "2019-04-02", "Explosions/Remote violence", "Remote explosive/landmine/IED",
         "jnim", "minusma", 3, False, "Kidal"),
        ("4", "2019-05-01", "Violence against civilians", "Attack", "jnim", "civilians", 7,
         True, "Mopti"),
        ("5", "2020-02-01", "Battles", "Armed clash", "isgs", "jnim", 4, False, "Gao"),
    ], assoc_actors=None)
    table = ihl.intensity_by_year(events, LINEAGE).set_index(["party_a", "party_b", "period"])
    row = table.loc[("jnim", "mali", "2019")]
    assert (row["clashes"], row["months_with_clashes"], row["fatalities"]) == (3, 2, 18)
    assert (row["air_or_drone_strikes"], row["ieds"], row["regions"]) == (1, 1, 2)
    assert row["civilian_targeting_events"] == 1
    assert ("isgs", "jnim", "2020") in table.index
    rolling = ihl.intensity_rolling(events, LINEAGE, end="2019-12-31")
    assert rolling["clashes"].tolist() == [3]


def test_settlements_from_agreement_events():
    columns = ["event_id", "date_start", "event_type", "sub_event_type", "actor1", "actor2",
               "fatalities_best", "civilian_targeting", "admin1"]
    events = events_frame(columns, [
        ("1", "2015-06-20", "Strategic developments", "Agreement", "cma", "mali_government",
         0, False, "Bamako"),
    ])
    assert ihl.settlements(events, LINEAGE) == {("fla", "mali"): pd.Timestamp("2015-06-20")}


def test_cli_classify_prints_csv():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "analysis", "classify", "--from",
                             "2025-01-01", "--to", "2025-10-31"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "party_a,party_b,classification,ap2,reasons"
    assert any(line.startswith("algeria,mali,international armed conflict") for line in lines)


def test_published_no_conflict_agrees_with_any_result_without_a_conflict():
    published = pd.DataFrame({"party_a": ["x", "y"], "party_b": ["mali", "mali"],
                              "classification_published": [ihl.NO_CONFLICT, ihl.NO_CONFLICT],
                              "ap2_published": ["no", "no"]})
    result = pd.DataFrame({"party_a": ["x", "y"], "party_b": ["mali", "mali"],
                           "classification": [ihl.BELOW_THRESHOLD, ihl.NON_INTERNATIONAL],
                           "ap2": ["no", "no"], "reasons": ["", ""]})
    agreement = ihl.agreement_with_published(result, published).set_index("party_a")
    assert agreement.loc["x", "agrees"] and not agreement.loc["y", "agrees"]


def test_organization_falls_back_to_a_predecessor_in_the_same_year():
    lineage = pd.DataFrame({"from_id": ["mujao"], "to_id": ["al_mourabitoun"],
                            "relation": ["merged_into"], "date": ["2013-08"],
                            "source_ids": ["s"]})
    ev = evidence("mujao", start="2012", end="2013")
    merged = ihl.organization_status(ev, "al_mourabitoun", 2013, lineage)
    assert merged["command_structure"] == "yes"
    assert ihl.organization_status(ev, "al_mourabitoun", 2014, lineage) == {}
    assert ihl.organization_status(ev, "al_mourabitoun", 2013) == {}


def test_sensitivity_equals_classifying_the_window_under_each_threshold():
    from analysis.data import load_events, load_lineage, load_organization

    events, lineage, evidence = load_events(), load_lineage(), load_organization()
    grid = [ihl.Thresholds(1, 1, 10), ihl.Thresholds(), ihl.Thresholds(10, 6, 100)]
    table = ihl.sensitivity(events, lineage, evidence, "2023-01-01", "2025-10-31", grid)
    assert table["thresholds"].unique().tolist() == [
        "1 clashes, 1 months, 10 deaths", "3 clashes, 2 months, 25 deaths",
        "10 clashes, 6 months, 100 deaths"]
    for limits in grid:
        alone = ihl.classify_window(events, lineage, evidence, "2023-01-01", "2025-10-31",
                                    limits)
        part = table[table["thresholds"] == ihl.threshold_label(limits)].drop(
            columns="thresholds").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, alone)
    lenient = table[table["thresholds"] == "1 clashes, 1 months, 10 deaths"]
    strict = table[table["thresholds"] == "10 clashes, 6 months, 100 deaths"]
    assert (lenient["classification"] == ihl.NON_INTERNATIONAL).sum() >= (
        strict["classification"] == ihl.NON_INTERNATIONAL).sum()


def test_a_window_is_classified_only_as_far_as_organization_is_coded():
    evidence = pd.DataFrame({"period_end": ["2014", "2025"]})
    assert ihl.evidence_window_end(evidence, "2026-04-30") == "2025-12-31"
    assert ihl.evidence_window_end(evidence, "2024-06-30") == "2024-06-30"
