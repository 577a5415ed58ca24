"""Turn records into language-specific pieces of prose: names, lists, figures and sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from babel.lists import format_list
from markupsafe import Markup, escape

from .dataset import TERM_REF, Dataset, PlaceInfo
from .models import FACT_REF, PLACE_REF, District, Fact, Item, Text
from .numbers import LOCALES, NOT_REPORTED, format_fact, format_percent, format_period, growth, period_label

TOKEN = re.compile("|".join(f"(?:{rx.pattern})" for rx in (PLACE_REF, TERM_REF, FACT_REF)))
# English sentence openers that lose their capital after a period opener ("In 2019, the district ...").
_LOWER_AFTER_OPENER = {"The", "It", "Its", "A", "An", "Each", "Every", "Their", "They", "Some", "All", "Two"}


def place_name(info: PlaceInfo, lang: str, form: str = "") -> str:
    """Return a place's name: the running-text form by default, 'short' or 'full' on request."""
    p = info.place
    if lang == "zh":
        if form == "full":
            return p.zh
        if form == "short":
            return p.zh_short or p.zh
        if p.level == "autonomous-prefecture" and p.zh_short:
            return p.zh_short + "州"  # 迪庆州: the form Chinese running text uses
        return p.zh_short or p.zh
    if form == "short":
        return p.en_short or p.en
    return p.en


def join(items: list[str], lang: str) -> str:
    """Join names as each language lists them: 、 in Chinese, commas and 'and' in English."""
    if lang == "zh":
        if len(items) <= 1:
            return "".join(items)
        return "、".join(items[:-1]) + "和" + items[-1]
    return format_list(items, locale=LOCALES["en"])


def date_range(start: str, end: str, lang: str) -> str:
    """Return a run of dates in CLDR wording: 2019年10月13日至16日 / October 13 – 16, 2019."""
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    same_month = (a.year, a.month) == (b.year, b.month)
    if lang == "zh":
        return f"{a.year}年{a.month}月{a.day}日至{b.day}日" if same_month else \
            f"{a.year}年{a.month}月{a.day}日至{b.year}年{b.month}月{b.day}日"
    if same_month:
        return f"{a.day}–{b.day} {format_date(b, 'MMMM y', locale=LOCALES['en'])}"
    return f"{format_date(a, 'd MMMM y', locale=LOCALES['en'])} – {format_date(b, 'd MMMM y', locale=LOCALES['en'])}"


def typographic(text: str) -> str:
    """Return English text with curly quotes and apostrophes, as print uses them."""
    out = []
    open_quote = True
    for ch in text:
        if ch == '"':
            out.append("“" if open_quote else "”")
            open_quote = not open_quote
        elif ch == "'":
            out.append("’")
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class Printed:
    """Which facts a document printed, and where their figures came from."""

    figures: list[tuple[str, str, str]] = field(default_factory=list)  # (record path, fact id, text)


class Writer:
    """Writes prose for one language, resolving references against the dataset."""

    def __init__(self, dataset: Dataset, lang: str, printed: Printed | None = None):
        self.ds = dataset
        self.lang = lang
        self.printed = printed or Printed()

    def term(self, term_id: str, short: bool = False) -> str:
        t = self.ds.terms[term_id]
        if self.lang == "zh":
            return t.zh
        return typographic((t.en_short or t.en) if short else t.en)

    def place(self, place_id: str, form: str = "") -> str:
        name = place_name(self.ds.places[place_id], self.lang, form)
        return typographic(name) if self.lang == "en" else name

    def figure(self, fact: Fact, origin: str) -> Markup:
        text = format_fact(fact, self.lang)
        self.printed.figures.append((origin, fact.id, text))
        return Markup('<span class="figure">{}</span>').format(text)

    def expand(self, text: Text, facts: dict[str, Fact] | None = None, origin: str = "") -> Markup:
        """Return the text in this language with every reference resolved, HTML-escaped."""
        raw = getattr(text, self.lang)
        if self.lang == "en":
            raw = typographic(raw)
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
                out.append(self.figure((facts or {})[fid], f"{origin}/{fid}"))
            last = m.end()
        out.append(escape(raw[last:]))
        return Markup("".join(out))

    def measure(self, measure_id: str) -> str:
        label = getattr(self.ds.measures[measure_id].label, self.lang)
        return typographic(label) if self.lang == "en" else label

    def not_reported(self, facts: list[Fact]) -> Markup:
        """Return the sentence that stands for figures a record does not give."""
        labels = [self.measure(f.measure) for f in facts if f.measure]
        for f in facts:
            self.printed.figures.append(("", f.id, NOT_REPORTED[self.lang]))
        if self.lang == "zh":
            return Markup(escape(join(labels, "zh") + "：" + NOT_REPORTED["zh"] + "。"))
        text = join(labels, "en")
        return Markup(escape(text[:1].upper() + text[1:] + ": " + NOT_REPORTED["en"] + "."))

    def change(self, fact: Fact) -> str | None:
        """Word a fact against its earlier figure: up, down or unchanged; or its stated growth."""
        zh = self.lang == "zh"
        if fact.value is None:
            return None
        if fact.previous is not None:
            before = fact.previous
            when = period_label(before.period, self.lang)
            earlier = format_fact(fact.model_copy(update={"value": before.value, "qualifier": "exact",
                                                          "value_to": None}), self.lang)
            if not _same_span(before.period, fact.period):
                # Different spans (a half-year against a year so far) are set side by side, never as growth.
                return f"{when}为{earlier}" if zh else f"against {earlier} in {when}"
            pct = growth(before.value, fact.value)
            if pct is None or fact.value == before.value:
                return f"与{when}持平" if zh else f"unchanged from {when}"
            worded = format_percent(abs(pct), self.lang)
            if pct > 0:
                return f"比{when}的{earlier}增长{worded}" if zh else f"up {worded} from {earlier} in {when}"
            return f"比{when}的{earlier}下降{worded}" if zh else f"down {worded} from {earlier} in {when}"
        if fact.growth_stated is not None:
            worded = format_percent(abs(fact.growth_stated), self.lang)
            if fact.growth_stated > 0:
                return f"同比增长{worded}" if zh else f"up {worded} year on year"
            if fact.growth_stated < 0:
                return f"同比下降{worded}" if zh else f"down {worded} year on year"
            return "与上年持平" if zh else "unchanged from a year earlier"
        return None

    def counties(self, ids: list[str]) -> str | None:
        """Name the counties taking part: none, one by name, or several with their number."""
        if not ids:
            return None
        names = [self.place(pid) for pid in ids]
        if len(ids) == 1:
            return names[0]
        if self.lang == "zh":
            return f"{join(names, 'zh')}（共{len(ids)}个）"
        return f"{join(names, 'en')} ({len(ids)} in all)"

    def date(self, start: str | None, end: str | None = None) -> str | None:
        """Word a full or partial date (2019, 2019-10, 2019-10-13) or a run of them."""
        if start is None:
            return None
        if end is None:
            return _partial_date(start, self.lang)
        a, b = start.split("-"), end.split("-")
        if self.lang == "zh":
            tail = _partial_date(end, "zh")
            if len(a) == len(b) == 3 and a[:2] == b[:2]:
                tail = f"{int(b[2])}日"
            elif len(a) == len(b) and a[0] == b[0] and len(a) >= 2:
                tail = tail.removeprefix(f"{a[0]}年")
            return f"{_partial_date(start, 'zh')}至{tail}"
        first, last = _partial_date(start, "en", bare=True), _partial_date(end, "en", bare=True)
        if len(a) == len(b) == 3 and a[:2] == b[:2]:
            first = str(int(a[2]))
        return f"from {first} to {last}"

    def sentence(self, item: Item, origin: str, facts: dict[str, Fact] | None = None,
                 opener: str | None = None) -> Markup:
        """Return one item as a finished sentence, its period (or the given opener) first."""
        facts = facts if facts is not None else {f.id: f for f in item.facts}
        used = [facts[m.group(1)] for m in FACT_REF.finditer(getattr(item.text, self.lang)) if m.group(1) in facts]
        missing = [f for f in used if f.value is None]
        if missing:
            return self.not_reported(missing)
        body = str(self.expand(item.text, facts, origin))
        changes = [c for c in (self.change(f) for f in item.facts) if c]
        if changes:
            body += ("，" if self.lang == "zh" else ", ") + ("，" if self.lang == "zh" else "; ").join(changes)
        if item.period:
            opener = format_period(item.period, self.lang)
        if self.lang == "zh":
            if opener:
                body = f"{opener}，{body}"
            return Markup(body if body.endswith(("。", "！", "？")) else body + "。")
        if opener:
            first, _, rest = body.partition(" ")
            if first in _LOWER_AFTER_OPENER:
                body = first.lower() + " " + rest
            body = f"{opener[:1].upper()}{opener[1:]}, {body}"
        body = body[:1].upper() + body[1:]
        return Markup(body if body.endswith((".", "!", "?")) else body + ".")


def _same_span(a: str, b: str) -> bool:
    """Return whether two periods cover spans of the same kind (two years, two half-years)."""
    kind = lambda p: "half" if re.fullmatch(r"\d{4}H[12]", p) else "year" if re.fullmatch(r"\d{4}", p) else p  # noqa: E731
    return kind(a) == kind(b) and kind(a) in {"half", "year", "annual", "half-yearly"}


def _partial_date(value: str, lang: str, bare: bool = False) -> str:
    parts = [int(p) for p in value.split("-")]
    if lang == "zh":
        return "".join(f"{n}{u}" for n, u in zip(parts, ("年", "月", "日")))
    d = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    if len(parts) == 1:
        text = str(parts[0])
    elif len(parts) == 2:
        text = format_date(d, "MMMM y", locale=LOCALES["en"])
    else:
        text = format_date(d, "d MMMM y", locale=LOCALES["en"])
    if bare:
        return text
    return f"on {text}" if len(parts) == 3 else f"in {text}"


@dataclass
class BoxLine:
    label: str
    groups: list[tuple[str, list[str]]]  # (prefecture prefix, county names)


def box_lines(w: Writer, district: District) -> list[BoxLine]:
    """Return the paired-counties box: one line per relation, counties grouped by prefecture."""
    lines = []
    for pairing in district.pairings:
        groups: list[tuple[str, list[str]]] = []
        current: str | None = None
        for pid in pairing.places:
            info = w.ds.places[pid]
            prov, pref = info.province, info.prefecture
            if w.lang == "zh":
                prefix = (prov.zh_short or prov.zh if prov else "") + (pref.zh_short or pref.zh if pref else "")
                name = info.place.zh_short or info.place.zh
            else:
                parts = [p.en_short or p.en for p in (pref, prov) if p is not None]
                prefix = typographic(", ".join(parts))
                name = typographic(info.place.en + (f" ({info.place.en_alt})" if info.place.en_alt else ""))
            if prefix != current:
                groups.append((prefix, []))
                current = prefix
            groups[-1][1].append(name)
        label = w.term(pairing.relation, short=True)
        lines.append(BoxLine(label[:1].upper() + label[1:], groups))
    return lines
