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
from .numbers import LOCALES, format_fact, format_period

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

    def sentence(self, item: Item, origin: str) -> Markup:
        """Return one item as a finished sentence, its period as the opener."""
        facts = {f.id: f for f in item.facts}
        body = str(self.expand(item.text, facts, origin))
        if self.lang == "zh":
            if item.period:
                body = f"{format_period(item.period, 'zh')}，{body}"
            return Markup(body if body.endswith(("。", "！", "？")) else body + "。")
        if item.period:
            first, _, rest = body.partition(" ")
            if first in _LOWER_AFTER_OPENER:
                body = first.lower() + " " + rest
            body = f"{format_period(item.period, 'en')}, {body}"
        body = body[:1].upper() + body[1:]
        return Markup(body if body.endswith((".", "!", "?")) else body + ".")


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
