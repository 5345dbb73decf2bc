"""Inter-coder agreement: the published coding of a random sample of events against a second,
independent coding made from the events' sources only."""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.inter_rater import cohens_kappa

from analysis.data import typed_like_events

#: The double-coded sample: a simple random sample of 10% of the 853 rows of data/events.csv
#: as released on 3 December 2026 (pandas ``DataFrame.sample`` in file order, seed below);
#: its ids are those of data/audit/second_coding.csv.
SAMPLE_SHARE = 0.10
SAMPLE_SEED = 20261203

MEASURES = {
    "first day, exact": lambda f, s: f["date_start"] == s["date_start"],
    "first day, within 3 days": lambda f, s: (f["date_start"] - s["date_start"]).abs()
    <= pd.Timedelta(days=3),
    "region (admin1)": lambda f, s: f["admin1"].astype("string") == s["admin1"].astype("string"),
    "event type": lambda f, s: f["event_type"] == s["event_type"],
    "sub-event type": lambda f, s: f["sub_event_type"] == s["sub_event_type"],
    "initiator (actor1)": lambda f, s: f["actor1"] == s["actor1"],
    "pair of actors": lambda f, s: pd.Series(
        [{a, b} == {c, d} for a, b, c, d in zip(f["actor1"], f["actor2"].fillna(""),
                                                  s["actor1"], s["actor2"].fillna(""),
                                                  strict=True)], index=f.index),
    "civilians targeted": lambda f, s: f["civilian_targeting"] == s["civilian_targeting"],
    "best toll, exact": lambda f, s: f["fatalities_best"].fillna(-1) == s["fatalities_best"]
    .fillna(-1),
    "best toll, within 20%": lambda f, s: ((f["fatalities_best"] - s["fatalities_best"]).abs()
                                           <= 0.2 * f["fatalities_best"].clip(lower=1))
    .fillna(f["fatalities_best"].isna() & s["fatalities_best"].isna()),
}


def typed_second_coding(second: pd.DataFrame) -> pd.DataFrame:
    """The second coding (text cells) with the published table's types, coded rows only."""
    coded = second[pd.to_numeric(second["found_sources"]) > 0]
    return typed_like_events(coded).set_index("event_id")


def agreement(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Per measure, the share of the double-coded events on which the two codings agree, and
    Cohen's kappa for the event type: over every event of ``second`` coded from at least one
    source, and over those where both coders coded the same event (``same_event``: the review
    found that a source reporting two events led the second coder to code the other one)."""
    coded = typed_second_coding(second)
    coded = coded[coded.index.isin(first["event_id"])]  # other data: no event in common
    published = first.set_index("event_id").loc[coded.index]
    same_event = (coded["same_event"].astype("string").str.lower() != "false"
                  if "same_event" in coded else pd.Series(True, index=coded.index))
    columns = {}
    for label, keep in (("all coded events", pd.Series(True, index=coded.index)),
                        ("the same event", same_event)):
        rows = {}
        for name, measure in MEASURES.items():
            agreed = measure(published[keep], coded[keep]).astype(bool)
            rows[name] = round(float(agreed.mean()), 2) if len(agreed) else float("nan")
        rows["Cohen's kappa, event type"] = round(kappa(published.loc[keep, "event_type"],
                                                        coded.loc[keep, "event_type"]), 2)
        rows["events compared"] = int(keep.sum())
        columns[f"agreement, {label}"] = rows
    return pd.DataFrame(columns).rename_axis("measure")


def kappa(first: pd.Series, second: pd.Series) -> float:
    """Cohen's kappa of two codings of the same items (statsmodels); NaN without items."""
    if len(first) == 0:
        return float("nan")
    categories = sorted(set(first) | set(second))
    table = pd.crosstab(pd.Categorical(first, categories), pd.Categorical(second, categories),
                        dropna=False)
    return float(cohens_kappa(table.to_numpy()).kappa)
