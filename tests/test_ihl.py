"""The IHL engine: every rule on small made-up tables with known answers.

No test here compares the engine with a published classification: the chapter reports that
agreement, it is never enforced.
"""

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
ORGANIZED = {"command_structure": "yes", "military_operations": "yes", "logistics": "yes",
             "discipline_ihl": "partial", "one_voice": "yes"}
AP2_ALL = dict.fromkeys(ihl.AP2_CONDITIONS, "yes")


def evidence(group: str, start: str = "2010", end: str = "2030", **values: str) -> pd.DataFrame:
    coded = {**ORGANIZED, **AP2_ALL, **values}
    rows = [(group, start, end, indicator, value) for indicator, value in coded.items()]
    return pd.DataFrame(rows, columns=["group_id", "period_start", "period_end", "indicator",
                                       "value"]).astype("string")


def record(*frames: pd.DataFrame) -> ihl.Record:
    return ihl.Record(LINEAGE, pd.concat(frames, ignore_index=True))


def indicators(a: str, b: str, period: str, clashes: int, months: int, deaths: int,
               line_a: str | None = None, line_b: str | None = None, first: str | None = None,
               **more) -> dict:
    """One pair-period; by default two supporting indicators besides casualties point to
    intensity (spread over two regions, heavy weapons)."""
    day = pd.Timestamp(first or f"{str(period)[:4]}-03-01")
    row = {"party_a": a, "party_b": b, "period": period, "line_a": line_a or a,
           "line_b": line_b or b, "clashes": clashes, "months_with_clashes": months,
           "first_clash": day, "last_clash": day + pd.Timedelta(days=60), "fatalities": deaths,
           "regions": 2, "air_or_drone_strikes": 1, "ieds": 0, "suicide_attacks": 0,
           "artillery": 0, "state_forces": "fama", "civilian_targeting_events": 0,
           "security_council": False}
    return {**row, **more}


def classify(rows: list[dict], rec: ihl.Record, **kwargs) -> pd.DataFrame:
    return ihl.classify(pd.DataFrame(rows), rec, **kwargs).set_index(["party_a", "period"])


def test_r1_one_exchange_between_states_is_international():
    result = classify([indicators("algeria", "mali", "2025", 1, 1, 0)], record(evidence("x")))
    assert result.loc[("algeria", "2025"), "classification"] == ihl.INTERNATIONAL
    assert "R1" in result.loc[("algeria", "2025"), "reasons"]


def test_r1_an_international_conflict_ends_with_the_last_exchange():
    columns = ["event_id", "date_start", "event_type", "sub_event_type", "actor1", "actor2",
               "fatalities_best", "civilian_targeting", "admin1"]
    events = events_frame(columns, [
        ("1", "2025-04-01", "Explosions/Remote violence", "Air/drone strike", "algeria", "fama",
         0, False, "Kidal"),
        ("2", "2025-04-03", "Battles", "Armed clash", "fama", "algeria", 0, False, "Kidal"),
        ("3", "2025-04-02", "Violence against civilians", "Attack", "fama", "civilians", 5,
         True, "Kidal"),
    ], assoc_actors=None)
    spells = ihl.conflicts(events, record(evidence("x")), until="2026-12-31")
    iac = spells[spells["kind"] == ihl.INTERNATIONAL].iloc[0]
    assert (str(iac["start"]), str(iac["end"])) == ("2025-04-01", "2025-04-03")
    table = ihl.intensity_by_year(events, LINEAGE).set_index(["party_a", "party_b"])
    # Mali's own harm to civilians is not counted under its conflict with Algeria.
    assert table.loc[("algeria", "mali"), "civilian_targeting_events"] == 0


@pytest.mark.parametrize(
    ("clashes", "months", "deaths", "expected"),
    [
        (3, 2, 25, ihl.NON_INTERNATIONAL),  # protracted, three indicators point to intensity
        (2, 2, 25, ihl.BELOW_THRESHOLD),    # one clash short: not protracted
        (3, 1, 25, ihl.BELOW_THRESHOLD),    # one month short: not protracted
        (3, 2, 24, ihl.BELOW_THRESHOLD),    # casualties short: two of six indicators only
    ],
)
def test_r4_intensity_needs_protracted_confrontations_and_most_indicators(
        clashes, months, deaths, expected):
    result = classify([indicators("jnim", "mali", "2019", clashes, months, deaths)],
                      record(evidence("jnim")))
    assert result.loc[("jnim", "2019"), "classification"] == expected


def test_r4_casualties_are_one_indicator_not_the_test():
    """Few deaths but heavy weapons, spread, foreign forces and the Council: intense."""
    row = indicators("jnim", "mali", "2019", 4, 3, 5, state_forces="fama;france",
                     security_council=True)
    result = classify([row], record(evidence("jnim")))
    assert result.loc[("jnim", "2019"), "classification"] == ihl.NON_INTERNATIONAL
    assert "casualties no" in result.loc[("jnim", "2019"), "reasons"]
    many_deaths_alone = indicators("jnim", "mali", "2019", 4, 3, 500, regions=1,
                                   air_or_drone_strikes=0)
    result = classify([many_deaths_alone], record(evidence("jnim")))
    assert result.loc[("jnim", "2019"), "classification"] == ihl.BELOW_THRESHOLD


def test_custom_thresholds():
    rows = [indicators("jnim", "mali", "2019", 5, 3, 40)]
    strict = ihl.Thresholds(min_clashes=6, min_months=3)
    result = classify(rows, record(evidence("jnim")), thresholds=strict)
    assert result.loc[("jnim", "2019"), "classification"] == ihl.BELOW_THRESHOLD
    lenient = ihl.Thresholds(min_indicators=1)
    result = classify([indicators("jnim", "mali", "2019", 5, 3, 0)], record(evidence("jnim")),
                      thresholds=lenient)
    assert result.loc[("jnim", "2019"), "classification"] == ihl.NON_INTERNATIONAL


@pytest.mark.parametrize(
    ("values", "expected"),
    [({}, ihl.NON_INTERNATIONAL),
     ({"command_structure": "partial"}, ihl.NO_CONFLICT),  # the core must be shown
     ({"military_operations": "no"}, ihl.NO_CONFLICT),
     ({"command_structure": "unknown"}, ihl.NOT_ESTABLISHED),
     ({"logistics": "no", "one_voice": "no"}, ihl.NO_CONFLICT),  # one of three others only
     ({"logistics": "unknown", "one_voice": "no"}, ihl.NOT_ESTABLISHED),
     # a self-defence group partial on every group is not organized
     (dict.fromkeys(ihl.ORGANIZATION_GROUPS, "partial"), ihl.NO_CONFLICT)],
)
def test_r5_organization_over_five_groups(values, expected):
    result = classify([indicators("jnim", "mali", "2019", 9, 6, 120)],
                      record(evidence("jnim", **values)))
    assert result.loc[("jnim", "2019"), "classification"] == expected


def test_evidence_outside_its_period_does_not_count():
    result = classify([indicators("jnim", "mali", "2019", 9, 6, 120)],
                      record(evidence("jnim", start="2021", end="2025")))
    assert result.loc[("jnim", "2019"), "classification"] == ihl.NOT_ESTABLISHED


@pytest.mark.parametrize(
    ("values", "ap2"),
    [({}, "yes"),
     ({"ap2_territorial_control": "partial"}, "arguable"),
     ({"ap2_implement_protocol": "unknown"}, "arguable"),
     ({"ap2_sustained_operations": "no"}, "no"),
     ({"ap2_territorial_control": "no"}, "no"),
     ({"ap2_territorial_control": "unknown"}, "no")],
)
def test_r7_protocol_ii_needs_all_four_conditions(values, ap2):
    result = classify([indicators("jnim", "mali", "2019", 9, 6, 120)],
                      record(evidence("jnim", **values)))
    assert result.loc[("jnim", "2019"), "ap2"] == ap2


def test_protocol_ii_needs_the_state_as_a_party():
    result = classify([indicators("issp", "jnim", "2023", 9, 6, 120)],
                      record(evidence("jnim"), evidence("issp")))
    assert result.loc[("issp", "2023"), "classification"] == ihl.NON_INTERNATIONAL
    assert result.loc[("issp", "2023"), "ap2"] == "no"


CMA_YEARS = [indicators("cma", "mali", "2014", 5, 3, 60),
             indicators("cma", "mali", "2016", 1, 1, 3, first="2016-09-01")]


def test_r9_a_peace_agreement_followed_by_calm_ends_the_conflict():
    clashes = {("cma", "mali"): [pd.Timestamp("2014-03-01"), pd.Timestamp("2016-09-01")]}
    settled = {("cma", "mali"): [pd.Timestamp("2015-06-20")]}
    result = classify(CMA_YEARS, record(evidence("cma")), settled=settled, clashes=clashes)
    assert result.loc[("cma", "2016"), "classification"] == ihl.BELOW_THRESHOLD
    assert "peace agreement of 2015-06-20 ended" in result.loc[("cma", "2016"), "reasons"]


def test_r9_an_agreement_followed_by_fighting_ends_nothing():
    clashes = {("cma", "mali"): [pd.Timestamp("2014-03-01"), pd.Timestamp("2015-08-01"),
                                 pd.Timestamp("2016-09-01")]}
    settled = {("cma", "mali"): [pd.Timestamp("2015-06-20")]}
    result = classify(CMA_YEARS, record(evidence("cma")), settled=settled, clashes=clashes)
    assert result.loc[("cma", "2016"), "classification"] == ihl.NON_INTERNATIONAL
    assert "R9: the conflict established on 2014-03-01 continues" in result.loc[
        ("cma", "2016"), "reasons"]


def test_r9_a_long_lull_closes_the_conflict():
    rows = [CMA_YEARS[0], indicators("cma", "mali", "2019", 1, 1, 3)]
    clashes = {("cma", "mali"): [pd.Timestamp("2014-03-01"), pd.Timestamp("2019-03-01")]}
    result = classify(rows, record(evidence("cma")), clashes=clashes)
    assert result.loc[("cma", "2019"), "classification"] == ihl.BELOW_THRESHOLD
    assert "general close of military operations" in result.loc[("cma", "2019"), "reasons"]


AGREEMENT_COLUMNS = ["event_id", "date_start", "event_type", "sub_event_type", "actor1",
                     "actor2", "fatalities_best", "civilian_targeting", "admin1"]


def agreement_events() -> pd.DataFrame:
    return events_frame(AGREEMENT_COLUMNS, [
        ("a1", "2015-06-20", "Strategic developments", "Agreement", "cma", "mali_government",
         0, False, "Bamako"),
        ("a2", "2020-10-08", "Strategic developments", "Agreement", "mali_government", "jnim",
         0, False, "Bamako"),
        ("a3", "2024-01-25", "Strategic developments", "Agreement", "mali_government", "cma",
         0, False, "Bamako"),
        ("a4", "2017-09-20", "Strategic developments", "Agreement", "cma", "plateforme", 0,
         False, "Bamako"),
    ])


def test_settlements_are_coded_peace_agreements_only_and_all_of_them_are_kept():
    kinds = pd.DataFrame({"event_id": ["a1", "a2", "a3"],
                          "kind": ["peace agreement", "prisoner exchange", "termination"]})
    rec = ihl.Record(LINEAGE, evidence("x"), kinds)
    # The prisoner exchange with JNIM and the termination of the accord are no settlements;
    # the uncoded a4 is none either; the 2015 accord is not overwritten by the termination.
    assert ihl.settlements(agreement_events(), rec) == {
        ("fla", "mali"): [pd.Timestamp("2015-06-20")]}


def test_a_prisoner_exchange_does_not_end_a_conflict():
    events = pd.concat([agreement_events(), events_frame(AGREEMENT_COLUMNS, [
        (f"c{i}", f"2019-0{m}-10", "Battles", "Armed clash", "jnim", "fama", 20, False, region)
        for i, (m, region) in enumerate([(2, "Mopti"), (4, "Ségou"), (6, "Mopti")])] + [
        ("d1", "2020-11-10", "Battles", "Armed clash", "jnim", "fama", 2, False, "Mopti"),
        ("d2", "2021-06-10", "Battles", "Armed clash", "jnim", "fama", 2, False, "Mopti")])],
        ignore_index=True)
    kinds = pd.DataFrame({"event_id": ["a2"], "kind": ["prisoner exchange"]})
    rec = ihl.Record(LINEAGE, evidence("jnim"), kinds)
    two = ihl.Thresholds(min_indicators=2)
    spells = ihl.conflicts(events, rec, two, until="2021-12-31")
    jnim = spells[spells["party_a"] == "jnim"].iloc[0]
    assert jnim["end"] is None and jnim["ended_by"] == "ongoing"
    as_peace = ihl.Record(LINEAGE, evidence("jnim"), kinds.assign(kind="peace agreement"))
    calm = events[~events["event_id"].isin(["d1", "d2"])]
    ended = ihl.conflicts(calm, as_peace, two, until="2021-12-31")
    assert str(ended[ended["party_a"] == "jnim"].iloc[0]["end"]) == "2020-10-08"


def test_r2_r3_party_resolution():
    resolve = ihl.party_resolver(LINEAGE)
    assert resolve("wagner", pd.Timestamp("2023-01-01")) == ihl.MALI
    assert resolve("france", pd.Timestamp("2013-01-11")) == ihl.MALI
    assert resolve("mnla", pd.Timestamp("2012-06-01")) == "mnla"
    assert resolve("mnla", pd.Timestamp("2015-01-01")) == "cma"
    assert resolve("mnla", pd.Timestamp("2025-01-01")) == "fla"
    assert resolve("isgs", pd.Timestamp("2022-02-01")) == "isgs"
    assert resolve("isgs", pd.Timestamp("2022-03-01")) == "issp"


def intensity_events() -> pd.DataFrame:
    columns = ["event_id", "date_start", "event_type", "sub_event_type", "actor1", "actor2",
               "fatalities_best", "civilian_targeting", "admin1", "assoc_actors"]
    return events_frame(columns, [
        ("1", "2019-01-05", "Battles", "Armed clash", "jnim", "fama", 10, False, "Mopti", ""),
        ("2", "2019-01-20", "Explosions/Remote violence", "Air/drone strike", "france", "jnim",
         5, False, "Mopti", ""),
        ("3", "2019-04-02", "Explosions/Remote violence", "Remote explosive/landmine/IED",
         "jnim", "minusma", 3, False, "Kidal", "chad_army"),
        ("4", "2019-05-01", "Violence against civilians", "Attack", "jnim", "civilians", 7,
         True, "Mopti", ""),
        ("5", "2019-06-01", "Violence against civilians", "Attack", "fama", "civilians", 9,
         True, "Mopti", ""),
        ("6", "2020-02-01", "Battles", "Armed clash", "isgs", "jnim", 4, False, "Gao", ""),
    ])


def test_intensity_indicators_from_events():
    events = intensity_events()
    council = frozenset({2019})
    table = ihl.intensity_by_year(events, LINEAGE, council).set_index(
        ["party_a", "party_b", "period"])
    row = table.loc[("jnim", "mali", "2019")]
    assert (row["clashes"], row["months_with_clashes"], row["fatalities"]) == (3, 2, 18)
    assert (row["air_or_drone_strikes"], row["ieds"], row["regions"]) == (1, 1, 2)
    # JNIM's attack on civilians counts for the pair, the army's does not.
    assert row["civilian_targeting_events"] == 1
    assert row["state_forces"] == "chad_army;fama;france;minusma"
    assert row["security_council"] and not table.loc[("isgs", "jnim", "2020"),
                                                     "security_council"]
    rolling = ihl.intensity_rolling(events, LINEAGE, end="2019-12-31")
    assert rolling["clashes"].tolist() == [3]


def test_parties_by_year_lists_each_force_that_fought():
    events = intensity_events()
    by_year = ihl.classify_years(events, record(evidence("jnim"), evidence("isgs")),
                                 ihl.Thresholds(min_indicators=1))
    parties = ihl.parties_by_year(by_year)
    assert set(parties[parties["year"] == 2019]["force"]) == {"chad_army", "fama", "france",
                                                              "minusma"}


def test_explain_gives_every_rule_for_one_pair():
    events = intensity_events()
    text = ihl.explain(events, record(evidence("jnim")), "mali", "jnim", "2019-01-01",
                       "2019-12-31", ihl.Thresholds(min_indicators=1))
    assert text.splitlines()[0].startswith("jnim – mali")
    assert any(line.strip().startswith("R5: jnim") for line in text.splitlines())
    assert "no violent event" in ihl.explain(events, record(evidence("jnim")), "mali", "cma",
                                             "2019-01-01", "2019-12-31")


@pytest.mark.slow
def test_cli_classify_prints_csv_and_explains():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "analysis", "classify", "--from",
                             "2025-01-01", "--to", "2025-10-31"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "party_a,party_b,classification,ap2,conflict_start,reasons"
    assert len(lines) > 2
    explained = subprocess.run([sys.executable, "-m", "analysis", "classify", "--from",
                                "2025-01-01", "--explain", "jnim", "mali"],
                               capture_output=True, text=True)
    assert explained.returncode == 0, explained.stderr
    assert "R4:" in explained.stdout and "R5: jnim" in explained.stdout


def test_published_no_conflict_agrees_with_any_result_without_a_conflict():
    published = pd.DataFrame({"party_a": ["x", "y"], "party_b": ["mali", "mali"],
                              "classification_published": [ihl.NO_CONFLICT, ihl.NO_CONFLICT],
                              "ap2_published": ["no", "no"]})
    result = pd.DataFrame({"party_a": ["x", "y"], "party_b": ["mali", "mali"],
                           "classification": [ihl.BELOW_THRESHOLD, ihl.NON_INTERNATIONAL],
                           "ap2": ["no", "no"], "reasons": ["", ""]})
    agreement = ihl.agreement_with_published(result, published).set_index("party_a")
    assert agreement.loc["x", "agrees"] and not agreement.loc["y", "agrees"]


def test_against_independent_matches_pairs_and_years():
    by_year = pd.DataFrame({
        "party_a": ["mnla", "ansar_dine", "ansar_dine"], "party_b": ["mali"] * 3,
        "period": ["2012", "2012", "2013"],
        "classification": [ihl.NON_INTERNATIONAL, ihl.NOT_ESTABLISHED, ihl.NON_INTERNATIONAL],
        "reasons": ["R4: met", "R4: met; R5: unknown", "R4: met"]})
    independent = pd.DataFrame({
        "classifier": ["A", "A", "B", "B"], "party_a": ["mali", "mali", "france", "mali"],
        "party_b": ["mnla", "ansar_dine", "ansar_dine", "mujao"],
        "period_start": ["2012", "2012", "2013", "2012"],
        "period_end": ["2012", "2012", "", "2012"],
        "classification": [ihl.NON_INTERNATIONAL] * 3 + ["not assessed"]})
    table = ihl.against_independent(independent, by_year, LINEAGE)
    assert table["agrees"].tolist() == [True, False, True]
    assert table.loc[1, "engine_finds"] == ihl.NOT_ESTABLISHED
    assert table.loc[1, "deciding_reason"] == "R5: unknown"
    summary = ihl.agreement_by_classifier(table)
    assert summary.loc["A", "share"] == 0.5 and summary.loc["B", "share"] == 1.0


def test_organization_falls_back_to_a_predecessor_in_the_same_year():
    lineage = pd.DataFrame({"from_id": ["mujao"], "to_id": ["al_mourabitoun"],
                            "relation": ["merged_into"], "date": ["2013-08"],
                            "source_ids": ["s"]})
    ev = evidence("mujao", start="2012", end="2013")
    merged = ihl.organization_status(ev, "al_mourabitoun", 2013, lineage)
    assert merged["command_structure"] == "yes"
    assert ihl.organization_status(ev, "al_mourabitoun", 2014, lineage) == {}
    assert ihl.organization_status(ev, "al_mourabitoun", 2013) == {}


@pytest.mark.slow
def test_sensitivity_equals_classifying_the_window_under_each_threshold():
    from analysis.data import load_events, load_ihl_record

    events, rec = load_events(), load_ihl_record()
    grid = [ihl.Thresholds(1, 1, 10, 1), ihl.Thresholds(), ihl.Thresholds(10, 6, 100, 5)]
    table = ihl.sensitivity(events, rec, "2023-01-01", "2025-10-31", grid)
    assert table["thresholds"].unique().tolist() == [ihl.threshold_label(t) for t in grid]
    for limits in grid:
        alone = ihl.classify_window(events, rec, "2023-01-01", "2025-10-31", limits)
        part = table[table["thresholds"] == ihl.threshold_label(limits)].drop(
            columns="thresholds").reset_index(drop=True)
        pd.testing.assert_frame_equal(part, alone)
    lenient = table[table["thresholds"] == ihl.threshold_label(grid[0])]
    strict = table[table["thresholds"] == ihl.threshold_label(grid[-1])]
    assert (lenient["classification"] == ihl.NON_INTERNATIONAL).sum() >= (
        strict["classification"] == ihl.NON_INTERNATIONAL).sum()


def test_organization_sensitivity_reports_only_changes():
    events = intensity_events()
    rec = record(evidence("jnim"))
    table = ihl.organization_sensitivity(events, rec, "2019-01-01", "2019-12-31",
                                         ihl.Thresholds(min_indicators=1))
    # Moving a core group of JNIM down removes the conflict; moving the AP II control down
    # changes Protocol II only.
    down = table[table["direction"] == "down"].set_index("indicator")
    assert "non-international armed conflict" not in down.loc["command_structure", "result"]
    assert down.loc["ap2_territorial_control", "result"].endswith("(AP II arguable)")
    assert "logistics" not in set(down.index)  # one of three others down: still organized


def test_a_window_is_classified_only_as_far_as_organization_is_coded():
    evidence = pd.DataFrame({"period_end": ["2014", "2025"]})
    assert ihl.evidence_window_end(evidence, "2026-04-30") == "2025-12-31"
    assert ihl.evidence_window_end(evidence, "2024-06-30") == "2024-06-30"


def test_every_agreement_event_of_the_book_is_coded():
    from analysis.data import load_agreements, load_events

    events = load_events()
    agreements = events[events["sub_event_type"] == "Agreement"]["event_id"]
    assert len(agreements) > 0
    assert set(agreements) <= set(load_agreements()["event_id"])


def test_the_deciding_reason_is_the_first_negative_step():
    reasons = "R4: a: intensity met; R5: jnim: x: organized; R5: y: z: unknown"
    assert ihl.deciding_reason(reasons) == "R5: y: z: unknown"
    assert ihl.deciding_reason("R1: two states") == "R1: two states"


def test_a_conflict_carried_forward_without_recorded_clash_dates_continues():
    result = classify([indicators("jnim", "mali", "2019", 1, 1, 0)], record(evidence("jnim")),
                      established=[("jnim", "mali", pd.Timestamp("2015-01-01"))])
    assert result.loc[("jnim", "2019"), "classification"] == ihl.NON_INTERNATIONAL
    assert result.loc[("jnim", "2019"), "conflict_start"] == "2015-01-01"


def test_associated_actors_are_parties_to_the_clash():
    columns = ["event_id", "date_start", "event_type", "sub_event_type", "actor1", "actor2",
               "fatalities_best", "civilian_targeting", "admin1", "assoc_actors"]
    events = events_frame(columns, [
        ("1", "2012-01-24", "Battles", "Armed clash", "mnla", "fama", 80, False, "Kidal",
         "ansar_dine;aqim;france"),
    ])
    pairs = ihl.party_events(events, LINEAGE)
    assert sorted(zip(pairs["party_a"], pairs["party_b"], strict=True)) == [
        ("ansar_dine", "mali"), ("aqim", "mali"), ("mali", "mnla")]
    assert set(pairs["state_forces"]) == {"fama;france"}
