"""The claims register's computed checks: each a number or table the data can give about a
claim of the source documents, written once here and run in the claims chapter on the book's
events and, through the audit, on UCDP's."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from analysis.cells import split_ids
from analysis.transforms import names_any, regional_shift, violent, yearly

VERDICTS = ("supported", "partly supported", "contradicted", "not testable with open data",
            "open")
CLAIM_TYPES = ("event", "number", "trend", "actor", "legal", "forecast", "opinion")
#: The five source documents: number in ``../shared/sources``, short name, bibliography key.
DOCUMENTS = {"000": ("Poster, 2025", "poster2025vacuums"),
             "001": ("Long War Journal, September 2023", "weiss2023stage"),
             "002": ("IHL classification 2023-2025", "rulac2025mali"),
             "003": ("Scenario brief, mid-2025", "scenarios2025mali"),
             "004": ("Wagner exit article, June 2025", "wagnerexit2025")}
#: The forces of the joint operations the documents describe.
ARMY, RUSSIANS = "fama", ("wagner", "africa_corps")


def by_year(events: pd.DataFrame, first: int | None = None, last: int | None = None
            ) -> pd.DataFrame:
    """Violent events and the deaths reported in them (all sides) per year, every year from
    ``first`` to ``last`` present (``date_start``, ``event_type``, ``fatalities_best``)."""
    table = yearly(violent(events), first=first, last=last)
    return table.set_index("year")[["events", "fatalities"]].rename(
        columns={"fatalities": "reported deaths"})


def yearly_deaths(events: pd.DataFrame) -> pd.DataFrame:
    """Check ``yearly_deaths``: violent events and reported deaths per year."""
    return by_year(events)


def actor_yearly(events: pd.DataFrame, actors: Sequence[str]) -> pd.DataFrame:
    """Violent events naming one of ``actors``, and their reported deaths, per year."""
    return by_year(events[names_any(events, actors)])


def militant_islamist_rise(events: pd.DataFrame, jihadists: Sequence[str], first: int = 2020,
                           last: int = 2023) -> pd.DataFrame:
    """Check ``militant_islamist_rise``: violent events naming a jihadist group (the
    registry's ``actor_type``), and their reported deaths, in ``first`` and ``last``, and the
    ratio of the two (the Africa Center's near three-fold rise is this ratio for events)."""
    table = actor_yearly(events, jihadists).reindex([first, last], fill_value=0)
    ratio = (table.loc[last] / table.loc[first].where(table.loc[first] > 0)).round(2)
    return pd.concat([table.T, ratio.rename(f"{last} / {first}")], axis=1).rename_axis(
        "measure")


def jnim_yearly(events: pd.DataFrame) -> pd.DataFrame:
    """Check ``jnim_yearly``: JNIM's violent events and their reported deaths per year."""
    return actor_yearly(events, ["jnim"])


def violence_shift_south_west(events: pd.DataFrame) -> pd.DataFrame:
    """Check ``violence_shift_south_west``: the share of each year's violent events in the
    north, the centre and the south and west (``transforms.regional_shift``)."""
    return regional_shift(violent(events))


def issp_menaka_gao(events: pd.DataFrame) -> pd.DataFrame:
    """Check ``issp_menaka_gao``: violent events naming the Islamic State's Sahel branch (ISGS
    before March 2022, ISSP after) in the Ménaka and Gao regions, and their reported deaths,
    per year."""
    here = events[events["admin1"].isin(["Ménaka", "Gao"])]
    return actor_yearly(here, ["isgs", "issp"])


def joint_army_wagner_civilian_harm(events: pd.DataFrame) -> pd.DataFrame:
    """Check ``joint_army_wagner_civilian_harm``: per year, the violent events naming both the
    army and Wagner or the Africa Corps, those of them targeting civilians, and the civilians
    the sources say were killed in them (``deaths_civilians``, where the split is given)."""
    joint = violent(events)
    joint = joint[names_any(joint, [ARMY]) & names_any(joint, RUSSIANS)]
    if joint.empty:
        return pd.DataFrame(columns=["joint events", "targeting civilians",
                                     "civilians reported killed"]).rename_axis("year")
    year = joint["date_start"].dt.year.rename("year")
    return pd.DataFrame({
        "joint events": joint.groupby(year).size(),
        "targeting civilians": joint["civilian_targeting"].astype(bool).groupby(year).sum(),
        "civilians reported killed": joint["deaths_civilians"].fillna(0).groupby(year).sum(),
    }).astype(int)


#: Words in an event's notes that say the attack targeted a military camp, base or post.
BASE_WORDS = r"\b(?:camp|base|post|garrison|barracks)s?\b"


def attacks_on_bases(events: pd.DataFrame, attackers: Sequence[str] = ("jnim", "issp", "isgs")
                     ) -> pd.DataFrame:
    """Check ``attacks_on_bases``: per year, the violent events ``attackers`` initiated
    against the army, and how many of them the notes describe as attacks on a camp, base or
    post (a reading of the notes, not a coded field)."""
    against = violent(events)
    against = against[against["actor1"].isin(attackers) & (against["actor2"] == ARMY)]
    on_base = against["notes"].fillna("").str.contains(BASE_WORDS, case=False, regex=True)
    year = against["date_start"].dt.year.rename("year")
    table = pd.DataFrame({"attacks on the army": against.groupby(year).size(),
                          "on a camp, base or post": on_base.groupby(year).sum()}).fillna(0)
    table = table.astype(int)
    return table.assign(share=(table["on a camp, base or post"]
                               / table["attacks on the army"]).round(2))


def peacekeeper_deaths(table: pd.DataFrame) -> pd.DataFrame:
    """Check ``peacekeeper_deaths``: MINUSMA's peacekeepers killed by hostile acts per calendar
    year, and the latest cumulative total of each year, from the UN figures as reported
    (``mission``, ``year``, ``scope``, ``as_of``, ``deaths_total``,
    ``deaths_malicious_acts``)."""
    rows = table[table["mission"] == "MINUSMA"].copy()
    for column in ("deaths_total", "deaths_malicious_acts"):
        rows[column] = pd.to_numeric(rows[column])
    rows["year"] = pd.to_numeric(rows["year"]).astype(int)
    yearly_hostile = rows[rows["scope"] == "year"].groupby("year")["deaths_malicious_acts"].max()
    cumulative = rows[rows["scope"] == "cumulative since 2013"].sort_values("as_of")
    latest = cumulative.groupby("year").agg(
        all_causes=("deaths_total", "last"), hostile_acts=("deaths_malicious_acts", "last"))
    result = pd.DataFrame({"killed by hostile acts in the year": yearly_hostile}).join(
        latest.rename(columns={"all_causes": "cumulative, all causes (latest figure)",
                               "hostile_acts": "cumulative, hostile acts (latest figure)"}),
        how="outer")
    return result.rename_axis("year")


def displacement(table: pd.DataFrame, indicator: str = "IDPs in Mali") -> pd.DataFrame:
    """Check ``displacement``: the latest figure of each year for ``indicator`` (``indicator``,
    ``value``, ``as_of``, ``source_org``), with its date and source."""
    rows = table[table["indicator"] == indicator].assign(
        value=lambda t: pd.to_numeric(t["value"]), year=lambda t: t["as_of"].str[:4].astype(int))
    latest = rows.sort_values("as_of").groupby("year").last()
    return latest[["value", "as_of", "source_org"]].rename(
        columns={"value": indicator, "as_of": "as of", "source_org": "reported by"})


#: Every computed check the register may name: what it measures, and whether it reads the
#: events or a context table. Chapter analyses are named by the chapter that runs them.
CHECKS: dict[str, str] = {
    "militant_islamist_rise": "violent events and deaths naming a jihadist group, 2020 against "
                              "2023",
    "jnim_yearly": "JNIM's violent events and deaths per year",
    "yearly_deaths": "violent events and reported deaths per year",
    "violence_shift_south_west": "share of violent events in the north, centre and south-west",
    "issp_menaka_gao": "ISGS/ISSP violent events and deaths in Ménaka and Gao per year",
    "joint_army_wagner_civilian_harm": "events naming the army with Wagner or the Africa Corps, "
                                       "those targeting civilians, civilians reported killed",
    "attacks_on_bases": "jihadist attacks on the army that the notes place at a camp, base or "
                        "post",
    "peacekeeper_deaths": "MINUSMA's peacekeepers killed, from UN figures as reported",
    "displacement": "internally displaced people, latest UN or IOM figure of each year",
    "ihl_engine_window": "the IHL chapter's classification of 2023 to the data's end",
    "vacuum_event_study": "the Vacuums chapter's event study around each departure",
    "scenario_signposts": "the Scenarios chapter's signposts",
}
EVENT_CHECKS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "yearly_deaths": yearly_deaths,
    "jnim_yearly": jnim_yearly,
    "violence_shift_south_west": violence_shift_south_west,
    "issp_menaka_gao": issp_menaka_gao,
    "joint_army_wagner_civilian_harm": joint_army_wagner_civilian_harm,
    "attacks_on_bases": attacks_on_bases,
}
CHAPTER_CHECKS = {"ihl_engine_window": "ihl_classification", "vacuum_event_study": "vacuums",
                  "scenario_signposts": "scenarios"}


def verdict_counts(register: pd.DataFrame) -> pd.DataFrame:
    """Claims per document (by its short name) and verdict, every verdict a column."""
    named = register.assign(document=register["document"].map(lambda d: DOCUMENTS[d][0]))
    return named.pivot_table(index="document", columns="verdict", values="claim_id",
                             aggfunc="size", fill_value=0).reindex(
        index=[name for name, _ in DOCUMENTS.values()], columns=list(VERDICTS),
        fill_value=0)


def for_readers(register: pd.DataFrame) -> pd.DataFrame:
    """The register as readers see it: the document's short name, the evidence in one
    column (events, check, sources), the chapter and section where it is discussed."""
    def evidence(row) -> str:
        parts = []
        if isinstance(row.evidence_events, str):
            parts.append("events: " + ", ".join(split_ids(row.evidence_events)))
        if isinstance(row.evidence_check, str):
            parts.append("check: " + row.evidence_check)
        if isinstance(row.evidence_sources, str):
            parts.append("sources: " + ", ".join(split_ids(row.evidence_sources)))
        if isinstance(row.what_would_test, str):
            parts.append("would be tested by: " + row.what_would_test)
        return "; ".join(parts)

    where = [" – ".join(p for p in (c, s) if isinstance(p, str)) for c, s in
             zip(register["chapter"], register["section"], strict=True)]
    return pd.DataFrame({
        "claim": register["claim_id"],
        "document": register["document"].map(lambda d: DOCUMENTS[d][0]),
        "type": register["claim_type"], "what the document says (paraphrase)":
            register["paraphrase"], "verdict": register["verdict"],
        "what the evidence says": register["notes"].fillna(""),
        "evidence": [evidence(r) for r in register.itertuples(index=False)],
        "discussed in": where})
