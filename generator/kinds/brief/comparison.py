"""The comparison brief's numbers, computed once in a pandas DataFrame (in the offload child).

One row per district figure of an indicator. From it: the indicator matrix (which facts fill each
cell), the comparable group of each indicator (the largest set of single figures of one period that
may be ranked), the ranking with ties, and what is set apart or missing. The brief's view turns
these into decisions (who leads, who ties, what gap) and its templates into sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMNS = ["indicator", "district", "fact", "value", "period", "rankable"]
# One row: (indicator, district, fact id or None, value or None, period or None, whether the period ranks).
Record = tuple


@dataclass
class Ranking:
    """One indicator: its ranked figures (district, fact, rank; largest first), the rest, the missing."""

    period: str | None = None
    ranked: list[tuple[str, str, int]] = field(default_factory=list)
    apart: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def frame(records: list[Record]):
    import pandas as pd

    return pd.DataFrame.from_records(records, columns=COLUMNS)


def matrix(df, indicators: list[str], districts: list[str]):
    """Return the indicator table: indicators by districts, each cell the ids of its facts."""
    cells = df.groupby(["indicator", "district"], sort=False)["fact"].agg(lambda s: [f for f in s if f])
    return cells.unstack("district").reindex(index=indicators, columns=districts)


def rank(df, indicators: list[str]) -> dict[str, Ranking]:
    """Rank each indicator's comparable group (ties share a rank) and set the rest apart."""
    reported = df[df["value"].notna()].copy()
    reported["figures"] = reported.groupby(["indicator", "district"])["fact"].transform("size")
    single = reported[(reported["figures"] == 1) & reported["rankable"]]
    sizes = single.groupby(["indicator", "period"], sort=False).size()
    sizes = sizes[sizes >= 2]
    # The largest group of each indicator; between equal sizes, the period met first.
    best = sizes.groupby(level="indicator", sort=False).idxmax()
    chosen = dict(best.tolist())  # indicator -> period
    in_group = single[[chosen.get(i) == p for i, p in zip(single["indicator"], single["period"])]].copy()
    in_group["rank"] = in_group.groupby("indicator")["value"].rank(method="min", ascending=False).astype(int)
    in_group = in_group.sort_values(["rank"], kind="stable")
    apart = reported.drop(index=in_group.index)
    has_value = set(zip(reported["indicator"], reported["district"]))
    out = {}
    for indicator in indicators:
        ranked = in_group[in_group["indicator"] == indicator]
        rest = apart[apart["indicator"] == indicator]
        districts = df[df["indicator"] == indicator]["district"].drop_duplicates()
        out[indicator] = Ranking(
            chosen.get(indicator),
            list(zip(ranked["district"], ranked["fact"], ranked["rank"].tolist())),
            list(zip(rest["district"], rest["fact"])),
            [d for d in districts if (indicator, d) not in has_value])
    return out
