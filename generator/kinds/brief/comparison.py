"""The comparison brief's numbers, from the tidy frame of facts (records/table.py), in the offload child.

The frame holds the districts' figures, each under the indicator that gathers it. From it: the
indicator matrix (which facts fill each cell), the comparable group of each indicator (the largest
set of single figures of one period that may be ranked), the ranking with ties, and what is set apart
or missing. The brief's view turns these into decisions (who leads, who ties, what gap) and its
templates into sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Ranking:
    """One indicator: its ranked figures (district, fact, rank; largest first), the rest, the missing."""

    period: str | None = None
    ranked: list[tuple[str, str, int]] = field(default_factory=list)
    apart: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def gathered(df, districts: list[str]):
    """The frame's rows the comparison reads: the districts' figures that an indicator gathers."""
    return df[df["indicator"].notna() & df["record"].isin(districts)]


def matrix(df, indicators: list[str], districts: list[str]):
    """Return the indicator table: indicators by districts, each cell the ids of its facts (NaN: none)."""
    cells = df.groupby(["indicator", "record"], sort=False)["fact"].agg(list)
    return cells.unstack("record").reindex(index=indicators, columns=districts)


def rank(df, indicators: list[str], districts: list[str]) -> dict[str, Ranking]:
    """Rank each indicator's comparable group (ties share a rank) and set the rest apart."""
    reported = df[df["value"].notna()].copy()
    reported["value"] = reported["value"].astype(float)
    reported["figures"] = reported.groupby(["indicator", "record"])["fact"].transform("size")
    single = reported[(reported["figures"] == 1) & (reported["period"] != "cumulative")]
    sizes = single.groupby(["indicator", "period"], sort=False).size()
    sizes = sizes[sizes >= 2]
    # The largest group of each indicator; between equal sizes, the period met first.
    best = sizes.groupby(level="indicator", sort=False).idxmax()
    chosen = dict(best.tolist())  # indicator -> period
    in_group = single[[chosen.get(i) == p for i, p in zip(single["indicator"], single["period"])]].copy()
    in_group["rank"] = in_group.groupby("indicator")["value"].rank(method="min", ascending=False).astype(int)
    in_group = in_group.sort_values(["rank"], kind="stable")
    apart = reported.drop(index=in_group.index)
    has_value = set(zip(reported["indicator"], reported["record"]))
    out = {}
    for indicator in indicators:
        ranked = in_group[in_group["indicator"] == indicator]
        rest = apart[apart["indicator"] == indicator]
        out[indicator] = Ranking(
            chosen.get(indicator),
            list(zip(ranked["record"], ranked["fact"], ranked["rank"].tolist())),
            list(zip(rest["record"], rest["fact"])),
            [d for d in districts if (indicator, d) not in has_value])
    return out
