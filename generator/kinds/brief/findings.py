"""The comparison brief's decisions: from an indicator's ranking (comparison.py), who leads, who ties,
by how much, who is named and who is summed up, what is set apart and what is missing.

Values and decisions only; `templates/brief.<lang>.j2` words them. The rules hold for any number
of districts: a tie is said as a tie, one remaining district is named rather than counted, equal
figures make one group, and a gap is given only between exact figures and is never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from .comparison import Ranking
from ...records.models import Fact
from ...view.prose import Writer

NAMED = 3  # districts a finding names one by one after the leader; beyond them it sums them up


@dataclass
class Figure:
    figure: str  # worded
    period: str
    measure: str | None = None  # where the indicator counts more than one measure


@dataclass
class Apart:
    """A district's figures that are reported but not ranked (another period or scope)."""

    district: str  # its name
    figures: list[Figure]


@dataclass
class Group:
    """Districts with one equal figure, and how far behind the leader they are (None: not exact)."""

    names: list[str]
    figure: str
    gap: str | None


@dataclass
class Finding:
    label: str
    total: int  # districts in the brief
    when: str | None = None  # the ranked group's period, as an opener
    leaders: list[str] = field(default_factory=list)
    lead: str = ""
    following: list[Group] = field(default_factory=list)
    others: dict[str, Any] | None = None  # {count, low, high}; never fewer than two
    apart: list[Apart] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    reported: int = 0
    ref: str = ""  # the indicator's id: what the references of the figures it derives start with

    @property
    def ranked(self) -> bool:
        return bool(self.leaders)

    @property
    def named(self) -> int:
        return NAMED

    @property
    def apart_figures(self) -> int:
        return sum(len(a.figures) for a in self.apart)


def finding(w: Writer, label: str, ranking: Ranking, figures: dict[tuple[str, str], tuple[Fact, str]],
            names: dict[str, str], classifier: str | None, total: int, measures: dict[str, str],
            ref: str = "") -> Finding:
    """Decide what may be said about one indicator (figures: (district, fact id) -> (fact, origin)).

    Each figure it names is marked with its fact's id, each it derives (a gap) with a reference of the
    indicator's (`investment.gap-2`: the gap to the second group), so an editor's override keeps them live.
    """
    plain = lambda d, fid: w.worded(figures[(d, fid)][0], figures[(d, fid)][1], classifier)  # noqa: E731
    worded = lambda d, fid: w.derived(plain(d, fid), fid)  # noqa: E731
    out = Finding(label, total, missing=[names[d] for d in ranking.missing], ref=ref)
    for d, fid in ranking.apart:
        fact = figures[(d, fid)][0]
        if not out.apart or out.apart[-1].district != names[d]:
            out.apart.append(Apart(names[d], []))
        out.apart[-1].figures.append(Figure(worded(d, fid), w.period(fact.period), measures.get(fact.measure)))
    out.reported = len({d for d, _ in ranking.apart} | {d for d, _, _ in ranking.ranked})
    if len(ranking.ranked) < 2:
        return out
    out.when = w.period(ranking.period, opener=True)
    top = [(d, fid) for d, fid, rank in ranking.ranked if rank == 1]
    out.leaders = [names[d] for d, _ in top]
    out.lead = worded(*top[0])
    lead = figures[top[0]][0]
    groups: list[tuple[list[str], tuple[str, str]]] = []  # (districts, one figure's key): a shared rank, a tie
    for _, tied in groupby(ranking.ranked[len(top):], key=lambda r: r[2]):
        tied = list(tied)
        groups.append(([d for d, _, _ in tied], (tied[0][0], tied[0][1])))
    named, count = [], 0
    for i, (districts, key) in enumerate(groups):
        rest = sum(len(g[0]) for g in groups[i:])
        if count >= NAMED and rest >= 2:
            low, high = worded(*groups[-1][1]), worded(*key)
            out.others = {"count": rest, "low": low, "high": high, "same": plain(*groups[-1][1]) == plain(*key)}
            break
        gap = _gap(w, lead, figures[key][0], classifier)
        named.append(Group([names[d] for d in districts], worded(*key),
                           w.derived(gap, f"{ref}.gap-{i + 2}") if gap and ref else gap))
        count += len(districts)
    out.following = named
    return out


def _gap(w: Writer, lead: Fact, other: Fact, classifier: str | None) -> str | None:
    """Return how far other is behind lead, worded, where both are exact single figures."""
    exact = lead.qualifier == other.qualifier == "exact" and lead.value_to is None and other.value_to is None
    if not exact or lead.value is None or other.value is None or lead.value <= other.value:
        return None
    gap = lead.model_copy(update={"value": lead.value - other.value, "classifier": classifier or lead.classifier})
    return w.lang.fact(gap)
