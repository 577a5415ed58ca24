"""The values a template words: names, figures, record texts with their references resolved, and
the parts of a sentence (its opener, body, changes, missing figures). No sentence is made here:
the templates (`templates/prose.<lang>.j2` and each kind's own) put the parts together.

Everything is read through the document's `Reads`, so what a document prints is what it depends on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from .dataview import DataView
from .deps import Reads, unwrap
from ..words.lang import Language, is_year
from ..records.lookups import Dataset
from ..records.models import FACT_REF, PLACE_REF, TERM_REF, Fact, Text
from ..records.rules import growth

TOKEN = re.compile("|".join(f"(?:{rx.pattern})" for rx in (PLACE_REF, TERM_REF, FACT_REF)))


@dataclass
class Printed:
    """Which facts a document printed, and where their figures came from."""

    figures: list[tuple[str, str, str]] = field(default_factory=list)  # (record path, fact id, text)


@dataclass
class Change:
    """A figure against its earlier one: how (up, down, same, apart; stated-up, -down, -same), by how much."""

    how: str
    when: str = ""
    earlier: str = ""
    percent: str = ""
    ref: str = ""  # its reference in an override's text: <fact id>.change (render/overrides.py)


@dataclass
class When:
    """A date or a run of dates, worded: its precision (year, month, day) picks the preposition."""

    text: str
    precision: str
    first: str = ""  # of a run: its first date, as short as the run allows
    last: str = ""


@dataclass
class Sentence:
    """One record item, ready for a template: opener, body, changes; or the figures it lacks."""

    body: Markup
    opener: str | When | None = None
    changes: list[Change] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    block: str = ""  # its block id (<record block>.<item>), which an editor's override is keyed by


class Writer:
    """Resolves references and words values for one document in one language, noting what it reads."""

    def __init__(self, ds: Dataset | DataView, lang: Language, reads: Reads | None = None,
                 printed: Printed | None = None):
        self.lang = lang
        self.reads = reads or Reads()
        # The dataset as this document reads it: every read noted in its Reads.
        self.ds = ds if isinstance(ds, DataView) else DataView(ds, self.reads)
        self.printed = printed or Printed()

    # Records, read through the document's Reads -------------------------------------------------

    def district(self, did: str) -> Any:
        return self.ds.districts[did]

    def event(self, eid: str) -> Any:
        return self.ds.events[eid]

    @property
    def series(self) -> Any:
        return self.ds.series

    def facts_of(self, did: str) -> Mapping[str, Fact]:
        return self.ds.facts(did)

    # Names and figures ---------------------------------------------------------------------------

    def _place_info(self, pid: str):
        return self.ds.places[pid]

    def place(self, place_id: str, form: str = "") -> str:
        return self.lang.place_name(self._place_info(place_id), form)

    def place_parts(self, place_id: str) -> tuple[str, str, str]:
        """Return a county's name with its alternate, its prefecture and its province (short forms)."""
        info = self._place_info(place_id)
        short = lambda p: self.lang.place_name(self.ds.places[p.id], "short") if p else ""  # noqa: E731
        return self.place(place_id, "short"), short(info.prefecture), short(info.province)

    def alternate(self, place_id: str) -> str:
        """Return a place's other English name (Poskam for Zepu), if the language prints one."""
        alt = getattr(self._place_info(place_id).place, f"{self.lang.code}_alt", None)
        return self.lang.text(alt) if alt else ""

    def term(self, term_id: str, short: bool = False) -> str:
        t = self.ds.terms[term_id]
        name = getattr(t, f"{self.lang.code}_short", None) if short else None
        return self.lang.text(name or getattr(t, self.lang.code))

    def measure(self, measure_id: str) -> str:
        m = self.ds.measures[measure_id]
        return self.lang.text(getattr(m.label, self.lang.code))

    def classifier(self, measure_id: str | None) -> str | None:
        """Return the measure word a measure's figures take (one per measure), if it sets one."""
        if not measure_id:
            return None
        return self.ds.measures[measure_id].classifier

    def text(self, text: Text | Any) -> str:
        """Return a plain record text (no references) in this language."""
        return self.lang.text(getattr(text, self.lang.code))

    def figure(self, fact: Fact | Any, origin: str, classifier: str | None = None) -> Markup:
        """Return a fact's figure as printed: noted as read, and as printed (for the parity check)."""
        fact = self._note_fact(fact, origin)
        if classifier and fact.classifier != classifier:
            fact = fact.model_copy(update={"classifier": classifier})
        text = self.lang.fact(fact)
        self.printed.figures.append((origin, fact.id, text))
        return Markup('<span class="figure" data-ref="{}">{}</span>').format(fact.id, text)

    def derived(self, text: str, ref: str) -> Markup:
        """Return a figure the document derives (a total, a gap, a count) with the reference an override names
        it by (render/overrides.py)."""
        return Markup('<span class="figure" data-ref="{}">{}</span>').format(ref, text)

    def worded(self, fact: Fact | Any, origin: str, classifier: str | None = None) -> str:
        """Return a fact's figure as plain text (for alt texts and notes), noted as read."""
        fact = self._note_fact(fact, origin)
        if classifier and fact.classifier != classifier:
            fact = fact.model_copy(update={"classifier": classifier})
        return self.lang.fact(fact)

    def _note_fact(self, fact: Fact | Any, origin: str) -> Fact:
        fact = unwrap(fact)
        path, _, fid = origin.rpartition("/")
        if path.startswith("data/") and fact.id == fid:  # a figure made from a record (a count) is read there
            self.reads.note(f"{path}#facts[{fid}]", fact)
        return fact

    def expand(self, text: Text | Any, facts: dict[str, Fact] | None = None, origin: str = "") -> Markup:
        """Return a record text in this language with every reference resolved, HTML-escaped."""
        raw = self.lang.text(getattr(text, self.lang.code))
        out: list[str] = []
        last = 0
        for m in TOKEN.finditer(raw):
            out.append(escape(raw[last : m.start()]))
            token = m.group(0)
            if token.startswith("@"):
                pid, _, form = token[1:].partition(":")
                out.append(escape(self.place(pid, form)))
            elif token.startswith("#"):
                out.append(escape(self.term(token[1:])))
            else:
                fid = token[1:-1]
                out.append(self.figure((facts if facts is not None else {})[fid], f"{origin}/{fid}"))
            last = m.end()
        out.append(escape(raw[last:]))
        return Markup("".join(out))

    # Parts of sentences ----------------------------------------------------------------------------

    def period(self, period: str, opener: bool = False) -> str:
        return self.lang.period(period, opener)

    def when(self, start: str | None, end: str | None = None) -> When | None:
        """Word a full or partial date, or a run of them."""
        if start is None:
            return None
        precision = ("year", "month", "day")[start.count("-")]
        if end is None:
            return When(self.lang.date(start), precision)
        return When(self.lang.date_run(start, end), "run", *self.lang.date_span(start, end))

    def sentence(self, item: Any, origin: str, facts: dict[str, Fact] | None = None,
                 opener: str | When | None = None, block: str = "") -> Sentence:
        """Return one record item's parts: its period (or the given opener), body and changes; `block` is the
        id of the block it stands in, which with the item's id is the sentence's own block id."""
        ident = f"{block}.{item.id}" if block and getattr(item, "id", None) else ""
        own = list(item.facts)
        facts = facts if facts is not None else {f.id: f for f in own}
        used = [facts[m.group(1)] for m in FACT_REF.finditer(getattr(item.text, self.lang.code))
                if m.group(1) in facts]
        missing = [f for f in used if f.value is None]
        if missing:
            for f in missing:
                self._note_fact(f, f"{origin}/{f.id}")
                self.printed.figures.append(("", f.id, self.lang.not_reported))
            return Sentence(Markup(""), missing=[self.measure(f.measure) for f in missing if f.measure], block=ident)
        body = self.expand(item.text, facts, origin)
        changes = [c for c in (self.change(f, origin) for f in own) if c]
        if item.period:
            opener = self.period(item.period, opener=True)
        return Sentence(body, opener, changes, block=ident)

    def change(self, fact: Fact | Any, origin: str = "") -> Change | None:
        """Compare a fact with its earlier figure (or say its stated growth)."""
        fact = self._note_fact(fact, f"{origin}/{getattr(fact, 'id', '')}") if origin else unwrap(fact)
        if fact.value is None:
            return None
        ref = f"{fact.id}.change"
        if fact.previous is not None:
            before = fact.previous
            when = self.period(before.period)
            earlier = self.lang.fact(fact.model_copy(update={"value": before.value, "qualifier": "exact",
                                                               "value_to": None}))
            if not _same_span(before.period, fact.period):
                # Different spans (a half-year against a year so far) are set side by side, never as growth.
                return Change("apart", when, earlier, ref=ref)
            pct = growth(before.value, fact.value)
            if pct is None or fact.value == before.value:
                return Change("same", when, earlier, ref=ref)
            return Change("up" if pct > 0 else "down", when, earlier, self.lang.percent(abs(pct)), ref)
        if fact.growth_stated is not None:
            how = "stated-up" if fact.growth_stated > 0 else "stated-down" if fact.growth_stated < 0 else "stated-same"
            return Change(how, percent=self.lang.percent(abs(fact.growth_stated)), ref=ref)
        return None


def _same_span(a: str, b: str) -> bool:
    """Return whether two periods cover spans of the same kind (two years, two half-years)."""
    kind = lambda p: "half" if re.fullmatch(r"\d{4}H[12]", p) else "year" if is_year(p) else p  # noqa: E731
    return kind(a) == kind(b) and kind(a) in {"half", "year", "annual", "half-yearly"}
