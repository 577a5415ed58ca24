"""The comparison brief's content: indicator rows, honest rankings, summaries and chart specifications.

The pandas table and the drawing of the charts are done apart, in offload.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .charts import Chart
from .dataset import Dataset
from .models import Fact, Indicator
from .numbers import comparable, format_fact, format_plain, period_label
from .prose import Writer, join

PAIRED = "paired-counties"
MAX_BARS = 30
NAMED = 3  # districts a finding names one by one; beyond them it gives their number and range


@dataclass
class Figure:
    """One district's figure for an indicator."""

    district: str
    fact: Fact
    origin: str


@dataclass
class Row:
    """An indicator across the districts, with what may honestly be said about it."""

    indicator: Indicator
    figures: dict[str, list[Figure]] = field(default_factory=dict)
    ranked: list[Figure] = field(default_factory=list)  # one comparable group, largest first
    apart: list[Figure] = field(default_factory=list)  # reported, but not comparable with the group


def _paired_fact(ds: Dataset, did: str) -> Fact:
    count = sum(len(p.places) for p in ds.districts[did].pairings)
    return Fact(id=f"{did}-{PAIRED}", value=count, unit="items", qualifier="exact", period="current",
                src="pairings")


def gather(ds: Dataset) -> list[Row]:
    """Return one Row per indicator, with the comparable group ranked and the rest set apart."""
    rows = []
    for indicator in ds.indicators:
        row = Row(indicator)
        for did in ds.districts:
            if indicator.computed == PAIRED:
                row.figures[did] = [Figure(did, _paired_fact(ds, did), f"{ds.district_files[did]}/pairings")]
                continue
            facts = [f for f in ds.facts(did).values() if f.measure in indicator.measures]
            row.figures[did] = [Figure(did, f, f"{ds.district_files[did]}/{f.id}") for f in facts]
        single = [figs[0] for figs in row.figures.values() if len(figs) == 1 and figs[0].fact.value is not None]
        groups: dict[str, list[Figure]] = {}
        for fig in single:
            groups.setdefault(fig.fact.period, []).append(fig)
        best = max((g for p, g in groups.items() if comparable(p, p) and len(g) >= 2), key=len, default=[])
        row.ranked = sorted(best, key=lambda f: -f.fact.value)
        row.apart = [f for figs in row.figures.values() for f in figs
                     if f.fact.value is not None and f not in row.ranked]
        rows.append(row)
    return rows


def records(rows: list[Row]) -> list[tuple[str, str, str | None]]:
    """Return (indicator, district, fact id) for every district figure, None where none is reported."""
    out: list[tuple[str, str, str | None]] = []
    for row in rows:
        for did, figs in row.figures.items():
            out += [(row.indicator.id, did, fig.fact.id) for fig in figs] or [(row.indicator.id, did, None)]
    return out


class BriefWriter:
    """Words the brief in one language."""

    def __init__(self, ds: Dataset, w: Writer, labels: dict):
        self.ds = ds
        self.w = w
        self.lang = w.lang
        self.labels = labels

    def district(self, did: str) -> str:
        return self.w.place(self.ds.districts[did].place, "full" if self.lang == "zh" else "short")

    def cell(self, row: Row, did: str, fact_ids: list[str] | None = None) -> Markup:
        """Return a table cell: each figure with its qualifier, scope and period, or 'not reported'."""
        figs = row.figures[did] if fact_ids is None else [f for f in row.figures[did] if f.fact.id in fact_ids]
        if not figs:
            return Markup(escape(self.labels["not_reported"]))
        parts = []
        for fig in figs:
            f = fig.fact
            text = self.w.figure(f, fig.origin) if f.value is not None else escape(self.labels["not_reported"])
            if len(row.indicator.measures) > 1 and f.measure:
                text = (escape(self.w.measure(f.measure)) + text) if self.lang == "zh" else \
                    text + escape(" " + self.w.measure(f.measure))
            if row.indicator.computed == PAIRED:
                text = text + escape(self._paired_detail(did))
            notes = [str(self.w.expand(f.scope))] if f.scope else []
            notes.append(period_label(f.period, self.lang))
            open_, close, sep = ("（", "）", "，") if self.lang == "zh" else (" (", ")", ", ")
            parts.append(text + escape(f"{open_}{sep.join(notes)}{close}"))
        return Markup(escape("；" if self.lang == "zh" else "; ")).join(parts)

    def _paired_detail(self, did: str) -> str:
        bits = [f"{self.w.term(p.relation, short=True)} {len(p.places)}" for p in self.ds.districts[did].pairings]
        return f"：{'，'.join(b.replace(' ', '') for b in bits)}" if self.lang == "zh" else f": {', '.join(bits)}"

    def summary(self, row: Row) -> str:
        """Say who leads and by how much only where the figures are comparable."""
        zh = self.lang == "zh"
        out = []
        if len(row.ranked) >= 2:
            lead, rest = row.ranked[0], row.ranked[1:]
            when = period_label(lead.fact.period, self.lang)
            fig = lambda f: format_fact(f.fact, self.lang)  # noqa: E731
            diffs = []
            others = rest[NAMED:]
            for other in rest[:NAMED]:
                exact = lead.fact.qualifier == other.fact.qualifier == "exact"
                if exact and lead.fact.value_to is None and other.fact.value_to is None:
                    gap = lead.fact.model_copy(update={"value": lead.fact.value - other.fact.value})
                    if zh:
                        diffs.append(f"比{self.district(other.district)}（{fig(other)}）多{format_fact(gap, 'zh')}")
                    else:
                        diffs.append(f"{format_fact(gap, 'en')} more than {self.district(other.district)} "
                                     f"({fig(other)})")
                else:
                    diffs.append(f"高于{self.district(other.district)}（{fig(other)}）" if zh else
                                 f"ahead of {self.district(other.district)} ({fig(other)})")
            if lead.fact.value == rest[0].fact.value:
                names = join([self.district(f.district) for f in row.ranked if f.fact.value == lead.fact.value],
                             self.lang)
                out.append(f"{when}，{names}并列最多，均为{fig(lead)}。" if zh else
                           f"{when[:1].upper() + when[1:]}, {names} share the lead with {fig(lead)} each.")
            elif zh:
                out.append(f"{when}，{self.district(lead.district)}以{fig(lead)}居首，{'，'.join(diffs)}。")
            else:
                out.append(f"{when[:1].upper() + when[1:]}, {self.district(lead.district)} leads with {fig(lead)}, "
                           f"{join(diffs, 'en')}.")
            if others:
                low, high = fig(others[-1]), fig(others[0])
                out.append(f"其余{len(others)}个区的数字在{low}至{high}之间。" if zh else
                           f"The other {len(others)} range from {low} to {high}.")
        elif row.apart:
            out.append("各区数字的统计时段或口径不同，不作排序。" if zh else
                       "The districts' figures cover different periods or scopes, so they are not ranked.")
        if len(row.ranked) >= 2 and len(row.apart) > NAMED:
            out.append(f"另有{len(row.apart)}个数字统计时段或口径不同，未参与排序，见上表。" if zh else
                       f"{len(row.apart)} other figures cover a different period or scope and are not ranked; "
                       "see the table.")
        elif len(row.ranked) >= 2:
            for f in row.apart:
                when = period_label(f.fact.period, self.lang)
                figure = format_fact(f.fact, self.lang)
                out.append(f"{self.district(f.district)}的数字（{figure}，{when}）统计时段或口径不同，未参与排序。" if zh
                           else f"{self.district(f.district)}’s figure ({figure}, {when}) covers a different period "
                                f"or scope and is not ranked.")
        missing = [did for did, figs in row.figures.items() if not figs or all(f.fact.value is None for f in figs)]
        if len(missing) > NAMED:
            out.append(f"{len(missing)}个区未披露该项数字。" if zh else f"{len(missing)} districts did not report a figure.")
        elif missing:
            names = join([self.district(d) for d in missing], self.lang)
            out.append(f"{names}未披露该项数字。" if zh else f"{names} did not report a figure.")
        return "".join(out) if zh else " ".join(out)

    def chart(self, row: Row) -> Chart | None:
        """Chart an indicator (to be drawn): only its comparable group, the rest named in the note."""
        zh = self.lang == "zh"
        label = getattr(row.indicator.label, self.lang)
        if row.indicator.computed == PAIRED:
            dids = list(self.ds.districts)
            relations: list[str] = []
            for did in dids:
                for p in self.ds.districts[did].pairings:
                    if p.relation not in relations:
                        relations.append(p.relation)
            series = [(self.w.term(rel, short=True),
                       [float(sum(len(p.places) for p in self.ds.districts[d].pairings if p.relation == rel))
                        for d in dids]) for rel in relations]
            totals = [sum(len(p.places) for p in self.ds.districts[d].pairings) for d in dids]
            note = ""
        else:
            if len(row.ranked) < 2:
                return None
            dids = [f.district for f in row.ranked]
            series = [("", [float(f.fact.value) for f in row.ranked])]
            totals = [f.fact.value for f in row.ranked]
            when = period_label(row.ranked[0].fact.period, self.lang)
            label = f"{label}（{when}）" if zh else f"{label} ({when})"
            apart = [f"{self.district(f.district)} {format_fact(f.fact, self.lang)}（{period_label(f.fact.period, 'zh')}）"
                     if zh else f"{self.district(f.district)} {format_fact(f.fact, 'en')} "
                                f"({period_label(f.fact.period, 'en')})" for f in row.apart]
            note = ("未列入图中（统计时段或口径不同）：" + "；".join(apart) + "。" if zh else
                    "Not charted (different period or scope): " + "; ".join(apart) + ".") if apart else ""
        if len(dids) > MAX_BARS:
            # A chart of hundreds of bars says nothing: the largest are shown, the table has them all.
            keep = sorted(range(len(dids)), key=lambda i: -totals[i])[:MAX_BARS]
            keep.sort()
            dids = [dids[i] for i in keep]
            totals = [totals[i] for i in keep]
            series = [(label, [values[i] for i in keep]) for label, values in series]
            shown = (f"图中列出数字最大的{MAX_BARS}个区，全部数字见上表。" if zh else
                     f"The chart shows the {MAX_BARS} largest figures; the table above has them all.")
            note = f"{note} {shown}".strip()
        names = [self.district(d) for d in dids]
        values = [format_plain(v, self.lang) for v in totals]
        pairs = "，".join(f"{n}{v}" for n, v in zip(names, values)) if zh else \
            ", ".join(f"{n} {v}" for n, v in zip(names, values))
        alt = f"条形图：{label}。{pairs}。" if zh else f"Bar chart: {label}. {pairs}."
        return Chart(row.indicator.id, label, names, series, values, alt, note)
