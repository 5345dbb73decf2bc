"""The book's key findings for the front page: short statements, each with its number, how far
the evidence carries it, and the chapter that shows the work.

Every number is computed here from the events or from a committed table the chapters use (the
audit's aggregates, the claims register), so the front page never repeats a number by hand.
Confidence follows one scale:

* **high**: measured directly on the book's sourced events or registers, and it agrees with an
  independent dataset where one exists;
* **medium**: an estimate with an interval that excludes no change, or a classification that
  depends on coded judgements (its sensitivity is shown in the chapter);
* **low**: a summary the chapter's own checks (placebos, hindcasts) do not back as a prediction
  or a causal effect.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analysis import claims, data, ihl, scenarios, transforms
from analysis.book.tables import percent, short_names

CONFIDENCE = {
    "high": "measured on the sourced events or registers; agrees with an independent dataset",
    "medium": "an estimate with an interval, or a classification resting on coded judgements",
    "low": "a summary the chapter's own checks do not back as a prediction or an effect",
}


def _finding(statement: str, number: str, confidence: str, chapter: str, anchor: str = ""
             ) -> dict[str, str]:
    return {"finding": statement, "number": number, "confidence": confidence,
            "chapter": chapter, "anchor": anchor}


def full_years(events: pd.DataFrame, end: str) -> int:
    """The last calendar year the data cover in full (``end`` is the data's last day)."""
    last = pd.Timestamp(end)
    return last.year if (last.month, last.day) == (12, 31) else last.year - 1


def deadliest_year(events: pd.DataFrame, end: str) -> dict[str, str]:
    """The deadliest year of the record and the last full year, in reported deaths of violent
    events (``date_start``, ``fatalities_best``)."""
    yearly = transforms.yearly(transforms.violent(events)).set_index("year")["fatalities"]
    if yearly.empty:
        return _finding("The data hold no violent event.", "—", "high", "history")
    top, last = int(yearly.idxmax()), full_years(events, end)
    return _finding(f"The deadliest year in the record is {top}.",
                    f"{int(yearly[top]):,} reported deaths in {top}; "
                    f"{int(yearly.get(last, 0)):,} in {last}", "high", "history")


def shift_south_west(events: pd.DataFrame, end: str) -> dict[str, str]:
    """The share of violent events in the south and west in the last full year against the
    mean of 2021-2023 (``claims.violence_shift_south_west``)."""
    shares = claims.violence_shift_south_west(events)
    last = full_years(events, end)
    zone = shares["south and west"] if "south and west" in shares else pd.Series(dtype=float)
    before = zone.reindex([2021, 2022, 2023]).mean()
    now = float(zone.get(last, 0.0))
    if pd.isna(before):
        return _finding("The shift toward the south and west cannot be measured on these data "
                        "(no event in 2021-2023).", "—", "high", "claims")
    verb = "has shifted toward" if now > before else "has not shifted toward"
    return _finding(f"Violence {verb} the south and west (Kayes, Koulikoro, Bamako).",
                    f"{now:.0%} of violent events in {last}, against {before:.0%} a year in "
                    "2021-2023", "high", "claims")


def conflicts_now(events: pd.DataFrame, end: str) -> dict[str, str]:
    """The non-international armed conflicts the engine finds from 2023 to the end of its
    evidence, as in the IHL chapter, with the actors' short names."""

    record = data.load_ihl_record()
    window = ihl.classify_window(events, record, "2023-01-01",
                                 ihl.evidence_window_end(record.organization, end))
    niac = window[window["classification"] == "non-international armed conflict"]
    names = short_names(data.load_actors())
    pairs = sorted(f"{names.get(a, a)} v {names.get(b, b)}"
                   for a, b in zip(niac["party_a"], niac["party_b"], strict=True))
    return _finding("Several non-international armed conflicts are under way in Mali.",
                    f"{len(niac)} since 2023: " + "; ".join(pairs), "medium",
                    "ihl_classification")


def minusma_vacuum() -> dict[str, str]:
    """The rate ratio of violent events near MINUSMA's bases after they were left, on UCDP's
    events (the audit's committed aggregate)."""
    table = data.load_vacuums_ucdp()
    row = table[(table["analysis"] == "outcome") & (table["row"] == "violent events")
                & table["withdrawal"].str.startswith("MINUSMA")]
    if row.empty or pd.isna(row["rate_ratio"].iloc[0]):
        return _finding("Violence near MINUSMA's former bases could not be estimated.", "—",
                        "low", "vacuums")
    r = row.iloc[0]
    return _finding("Violent events rose near MINUSMA's bases after the mission left them, "
                    "an association, not a measured cause.",
                    f"rate ratio {r['rate_ratio']:.1f} (95% interval {r['low']:.1f} to "
                    f"{r['high']:.1f}) on UCDP's events", "medium", "vacuums")


def scenario_probabilities(events: pd.DataFrame, end: str) -> dict[str, str]:
    """The brief's scenario probabilities after the signposts' monthly updates to ``end``."""
    signposts, brief = data.load_signposts(), data.load_scenarios()
    final = scenarios.posterior(scenarios.update_from(
        events, signposts, brief["probability"], brief["as_of"].iloc[0], end))
    leader = brief.loc[final.idxmax(), "name"]

    return _finding(f"Updated from the signposts since mid-2025, the brief's likeliest future "
                    f"is \"{leader}\": a summary of the evidence, not a forecast.",
                    ", ".join(f"{s} {percent(p)}" for s, p in final.items()), "low",
                    "scenarios")


def coverage_against_ucdp() -> dict[str, str]:
    """The audit's recall of UCDP's events of 10 and of 25 deaths or more."""
    recall = data.load_recall()
    total = recall[recall["year"] == "all years"].set_index("min_deaths")
    parts = [f"{int(total.loc[b, 'found'])} of {int(total.loc[b, 'reference_events'])} "
             f"({total.loc[b, 'recall']:.0%}) of {b}+ deaths" for b in total.index]
    return _finding("The book's table holds most, not all, of the deadly events an independent "
                    "dataset records for 2012-2023.", "; ".join(parts), "high",
                    "data_and_methods")


def claims_checked() -> dict[str, str]:
    """The verdicts of the claims register."""
    register = data.load_claims()
    counts = register["verdict"].value_counts()
    return _finding("Most claims of the five source documents hold up against the record; "
                    "some do not.",
                    f"{counts.get('supported', 0)} supported, "
                    f"{counts.get('partly supported', 0)} partly, "
                    f"{counts.get('contradicted', 0)} contradicted, of {len(register)}",
                    "high", "claims")


def key_findings(events: pd.DataFrame, end: str) -> pd.DataFrame:
    """The front page's findings, one row each: ``finding``, ``number``, ``confidence``,
    ``chapter`` (a chapter's file name) and ``anchor``; ``events`` need the event columns."""
    makers: list[Callable[[], dict[str, str]]] = [
        lambda: deadliest_year(events, end), lambda: shift_south_west(events, end),
        lambda: conflicts_now(events, end), minusma_vacuum,
        lambda: scenario_probabilities(events, end), coverage_against_ucdp, claims_checked]
    return pd.DataFrame([make() for make in makers])
