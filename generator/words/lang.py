"""The per-language object: what differs between the languages below the level of a sentence.

Punctuation, brackets, list joining, capitalisation, typographic quotes, the forms of place names,
and the wording of numbers, figures, periods and dates (CLDR through Babel, with our own rules for
万/亿 and the qualifiers). Sentences are not here: they are in the templates, one per language.
Code asks the language object, and never asks which language it is.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date, get_month_names
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal
from markupsafe import Markup, escape

from ..records.models import PERIOD_PATTERN, Fact

def _exact(value: float | int) -> Decimal:
    """Return the value rounded as both languages print it: at most two decimals, no trailing zeros."""
    exact = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    return exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact


def parse_period(period: str) -> tuple[str, str, int]:
    """Split a period into its kind (half, year, since, by, word), its year (or word) and its half or month."""
    m = PERIOD_PATTERN.match(period)
    if m is None:  # validated when loaded; a bug if reached
        raise ValueError(period)
    g = m.groupdict()
    if g["year"]:
        return ("half", g["year"], int(g["half"])) if g["half"] else ("year", g["year"], 0)
    if g["since"]:
        return "since", g["since"], 0
    if g["by_year"]:
        return "by", g["by_year"], int(g["by_month"])
    return "word", g["word"], 0


class Language:
    """One language's conventions. Subclasses fill in the details; callers use only these names."""

    code = ""
    tag = ""
    locale = ""
    autonym = ""  # the language's name for itself
    script = "Hans"  # its script (ISO 15924): Chinese paragraphs indent two characters and justify
    east_asia_tag = "zh-CN"  # the language a DOCX gives its East Asian text (Word's names)
    # A DOCX body paragraph: Chinese opens with a two-character indent and justifies cleanly; justified
    # English opens wide gaps in a single column, so it is set ragged, without an indent.
    body_indent_pt, intro_indent_pt, justified = 21.0, 22.0, True
    comma = semicolon = colon = stop = enumeration = open_bracket = close_bracket = sentence_gap = ""
    dash = ""
    not_reported = ""
    compact_steps: tuple[int, ...] = ()
    compact_type = "short"
    range_word = ""
    qualifiers: dict[str, str] = {}
    period_words: dict[str, tuple[str, str]] = {}  # period word: (label, opener)
    name_forms: dict[str, str] = {}  # form: gazetteer attribute
    unit_words: dict[str, str] = {}  # unit (models.UNITS): its word in the language
    chart_families: tuple[str, ...] = ()  # the faces a chart sets its words in, by their family names, first first

    # Punctuation and lists ---------------------------------------------------------------------

    def join(self, items: list[str]) -> Markup:
        """Join names as the language lists them (CLDR): 甲、乙和丙 / A, B and C."""
        return Markup(format_list([str(escape(i)) for i in items], locale=self.locale)) if items else Markup()

    def enumerate(self, items: list[str]) -> Markup:
        """List items without a conjunction: 甲、乙、丙 / A, B, C."""
        return Markup(escape(self.enumeration)).join(escape(i) for i in items)

    def count(self, n: int, ref: str = "") -> Markup:
        """Return a count for running prose (not a figure), marked with its value for the parity check, and with
        the reference an editor's override names it by where it has one (render/overrides.py)."""
        if ref:
            return Markup('<span class="count" data-n="{}" data-ref="{}">{}</span>').format(n, ref, self.count_words(n))
        return Markup('<span class="count" data-n="{}">{}</span>').format(n, self.count_words(n))

    def count_words(self, n: int) -> str:
        return str(n)

    def ordinal_words(self, n: int) -> str:
        """Return the nth of a run (an instalment): 第三 / third."""
        return str(n)

    def dateline_date(self, day: str) -> str:
        """Return a release's date as its dateline gives it."""
        return self.date(day)

    def bracket(self, text: str) -> str:
        return f"{self.open_bracket}{text}{self.close_bracket}"

    def capitalise(self, text: str) -> str:
        """Return text with its first letter in capitals where the language has them."""
        return text[:1].upper() + text[1:]

    def after_opener(self, text: str) -> str:
        """Return a sentence's body as it follows an opener ("In 2019, the district …")."""
        return text

    def text(self, text: str) -> str:
        """Return running text in the language's typography."""
        return text

    def end(self, text: str) -> str:
        """End a sentence with a full stop unless it already ends with a stop mark."""
        return text if text.endswith(self.stops) else text + self.stop

    stops: tuple[str, ...] = ()

    # Names -------------------------------------------------------------------------------------

    def place_name(self, info: Any, form: str = "") -> str:
        """Return a place's name: the running-text form by default, 'short' or 'full' on request."""
        p = info.place
        return self.text(getattr(p, self.name_forms[form]) or getattr(p, self.name_forms["full"]))

    # Numbers -----------------------------------------------------------------------------------

    def plain(self, value: float | int) -> str:
        """Return the number in digits, at most two decimals."""
        return format_decimal(_exact(value), locale=self.locale, decimal_quantization=False)

    def compact(self, value: float | int) -> str | None:
        """Return CLDR's short wording (1.23亿, 590 million) when it states value exactly, else None."""
        value_d = Decimal(str(value))
        for step in self.compact_steps:
            if value_d >= step:
                mantissa = value_d / step
                if mantissa == mantissa.quantize(Decimal("0.01")):
                    return format_compact_decimal(value, locale=self.locale, format_type=self.compact_type,
                                                  fraction_digits=2)
                return None
        return None

    def number(self, value: float | int) -> str:
        return self.compact(value) or self.plain(value)

    def percent(self, value: float) -> str:
        """Return a percentage with at most one decimal: 94.3%."""
        return f"{self.plain(round(value, 1))}%"

    def numbers(self, fact: Fact) -> str:
        """Return a fact's number, or its range in one style: 8000至10000 / 8,000 to 10,000."""
        number = self.number(fact.value)
        if fact.value_to is None:
            return number
        upper = self.number(fact.value_to)
        if (self.compact(fact.value) is None) != (self.compact(fact.value_to) is None):
            number, upper = self.plain(fact.value), self.plain(fact.value_to)
        return f"{number}{self.range_word}{upper}"

    def fact(self, fact: Fact) -> str:
        """Return the figure with its qualifier and unit, e.g. 约1.23亿元 / about 123 million yuan."""
        raise NotImplementedError

    # Periods and dates -------------------------------------------------------------------------

    def period(self, period: str, opener: bool = False) -> str:
        """Word a period as a table note (截至2018年底 / end of 2018) or a sentence opener."""
        kind, year, n = parse_period(period)
        if kind == "word":
            return self.period_words[year][1 if opener else 0]
        return getattr(self, f"_period_{kind}")(year, n, opener)

    def date(self, value: str) -> str:
        """Word a full or partial date: 2019, 2019-10 or 2019-10-13."""
        raise NotImplementedError

    def date_span(self, start: str, end: str) -> tuple[str, str]:
        """Word a run's two ends, saying what they share (year, month) once: 13 – 16 October 2019."""
        raise NotImplementedError

    def date_run(self, start: str, end: str) -> str:
        """Word a run of dates, full or partial, saying the shared year and month once."""
        raise NotImplementedError


class Chinese(Language):
    code, tag, locale, autonym = "zh", "zh-CN", "zh_Hans_CN", "中文"
    chart_families = ("Noto Sans SC",)
    comma, semicolon, colon, stop, enumeration = "，", "；", "：", "。", "、"
    open_bracket, close_bracket, sentence_gap, dash = "（", "）", "", "——"
    stops = ("。", "！", "？")
    # A unit's word, written after the figure (a fact's classifier, its measure word, goes before it).
    unit_words = {"yuan": "元", "yuan-per-mu": "元/亩", "yuan-per-year": "元/年", "mu": "亩", "metres": "米",
                  "percent": "%", "people": "人", "person-times": "人次", "households": "户",
                  "items": "个", "organisations": "家", "institutions": "所", "events": "场",
                  "occasions": "次", "batches": "批次", "teams": "批", "volumes": "册", "cases": "例",
                  "pairs": "双", "sets": "套", "years": "年"}
    not_reported = "未披露"
    compact_steps = (10 ** 8, 10 ** 4)
    range_word = "至"
    period_words = {"current": ("目前", "目前"), "cumulative": ("累计", "多年来"),
                    "annual": ("每年", "每年"), "half-yearly": ("每半年", "每半年")}
    name_forms = {"": "zh_short", "short": "zh_short", "full": "zh", "box": "zh_short", "brief": "zh"}

    def ordinal_words(self, n: int) -> str:
        """第一 to 第十 in Chinese numerals, then 第11 (GB/T 15835: a sequence number may be either)."""
        return "第" + ("一二三四五六七八九十"[n - 1] if 0 < n <= 10 else str(n))

    def capitalise(self, text: str) -> str:
        return text

    def place_name(self, info: Any, form: str = "") -> str:
        p = info.place
        if not form and p.level == "autonomous-prefecture" and p.zh_short:
            return p.zh_short + "州"  # 迪庆州: the form Chinese running text uses
        return super().place_name(info, form)

    def plain(self, value: float | int) -> str:
        return format(_exact(value), "f")  # news style prints counts without grouping: 11281名

    def percent(self, value: float) -> str:
        return f"{format(Decimal(str(round(value, 1))).normalize(), 'f')}%"

    def fact(self, fact: Fact) -> str:
        if fact.value is None:
            return self.not_reported
        unit = fact.classifier or self.unit_words[fact.unit]
        number = self.numbers(fact)
        q = fact.qualifier
        if q == "exact" or fact.value_to is not None:
            return f"{number}{unit}"
        if q in {"about", "up-to"}:
            return f"{'约' if q == 'about' else '最多'}{number}{unit}"
        if q == "at-least":
            return f"{number}{unit}以上"
        worded = _more_than(number) if fact.unit != "percent" else ""
        return f"{worded}{unit}" if worded else f"超过{number}{unit}"

    def _period_half(self, year: str, n: int, opener: bool) -> str:
        return f"{year}年{'上' if n == 1 else '下'}半年"

    def _period_year(self, year: str, n: int, opener: bool) -> str:
        return f"{year}年"

    def _period_since(self, year: str, n: int, opener: bool) -> str:
        return f"{year}年以来"

    def _period_by(self, year: str, n: int, opener: bool) -> str:
        return f"截至{year}年底" if n == 12 else f"截至{year}年{n}月"

    def date(self, value: str) -> str:
        return "".join(f"{int(n)}{u}" for n, u in zip(value.split("-"), ("年", "月", "日")))

    def date_span(self, start: str, end: str) -> tuple[str, str]:
        a, b = start.split("-"), end.split("-")
        tail = self.date(end)
        if len(a) == len(b) == 3 and a[:2] == b[:2]:
            tail = f"{int(b[2])}日"
        elif len(a) == len(b) and a[0] == b[0] and len(a) >= 2:
            tail = tail.removeprefix(f"{a[0]}年")
        return self.date(start), tail

    def date_run(self, start: str, end: str) -> str:
        return "至".join(self.date_span(start, end))


def _more_than(number: str) -> str:
    """Place 多/余 the way Chinese news writes it: 1万多, 5000多万, 1000多万亿, 8000余 ('' where it is not idiomatic)."""
    for big in ("万亿", "亿", "万"):  # 万亿 first: 1000万亿 is 1000多万亿, never 1000万多亿
        if number.endswith(big):
            mantissa = number[: -len(big)]
            if "." in mantissa:
                return ""  # 1.23亿多 is not idiomatic: the caller writes 超过
            return f"{mantissa}{big}多" if len(mantissa) == 1 else f"{mantissa}多{big}"
    return f"{number}余"


# Words that lose their capital when a period opens the sentence ("At present, with every county …"):
# articles, pronouns, determiners, prepositions and conjunctions, which are never proper names.
_LOWER_AFTER_OPENER = set("""A An The It Its This These That Those There Their They Some All Both Each Every Many
Most More Such Two Three With To In On For From By At As Since After Before Over Under Through Of Among Across
Along When While Where Once Having""".split())


_WORDS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ORDINALS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_AP_MONTHS = {1: "Jan.", 2: "Feb.", 8: "Aug.", 9: "Sept.", 10: "Oct.", 11: "Nov.", 12: "Dec."}


class English(Language):
    body_indent_pt, intro_indent_pt, justified = 0.0, 0.0, False
    code, tag, locale, autonym = "en", "en-GB", "en_GB", "English"
    script = "Latn"
    chart_families = ("Noto Serif", "Noto Sans SC")  # a Chinese name in an English chart: the Chinese face
    comma, semicolon, colon, stop, enumeration = ", ", "; ", ": ", ".", ", "
    open_bracket, close_bracket, sentence_gap, dash = "(", ")", " ", " — "
    stops = (".", "!", "?")
    # A unit's word after the figure; "" where the sentence names the noun (11,281 people are hired …).
    unit_words = {"yuan": "yuan", "yuan-per-mu": "yuan per mu", "yuan-per-year": "yuan a year", "mu": "mu",
                  "metres": "metres", "percent": "%", "people": "", "person-times": "",
                  "households": "", "items": "", "organisations": "", "institutions": "",
                  "events": "", "occasions": "", "batches": "", "teams": "", "volumes": "",
                  "cases": "", "pairs": "", "sets": "", "years": ""}
    not_reported = "not reported"
    compact_steps = (10 ** 9, 10 ** 6)
    compact_type = "long"
    range_word = " to "
    qualifiers = {"exact": "", "about": "about ", "more-than": "more than ", "at-least": "at least ",
                  "up-to": "up to "}
    period_words = {"current": ("at present", "At present"), "cumulative": ("cumulative", "Over the years"),
                    "annual": ("per year", "Every year"), "half-yearly": ("every six months", "Every six months")}
    name_forms = {"": "en", "short": "en_short", "full": "en", "box": "en", "brief": "en_short"}

    def bracket(self, text: str) -> str:
        return f" ({text})"

    def count_words(self, n: int) -> str:
        """The Economist's rule: one to ten in words, 11 and above in figures."""
        return _WORDS[n] if 0 < n < len(_WORDS) else str(n)

    def ordinal_words(self, n: int) -> str:
        """The same rule for ordinals: first to tenth in words, then 11th, 21st, 22nd, 23rd."""
        if 0 < n < len(_ORDINALS):
            return _ORDINALS[n]
        suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"

    per_cent = "per cent"  # house style: British, as The Economist writes it

    def percent(self, value: float) -> str:
        return f"{self.plain(round(value, 1))} {self.per_cent}"

    def dateline_date(self, day: str) -> str:
        """AP style: Jan. Feb. Aug. Sept. Oct. Nov. Dec. abbreviated; March to July in full."""
        y, m, d = (int(p) for p in day.split("-"))
        name = get_month_names("wide", locale=self.locale)[m]
        return f"{_AP_MONTHS.get(m, name)} {d}"

    def after_opener(self, text: str) -> str:
        first, _, rest = text.partition(" ")
        return first.lower() + " " + rest if first in _LOWER_AFTER_OPENER else text

    def text(self, text: str) -> str:
        """Curly quotes and apostrophes, as print uses them."""
        out, open_quote = [], True
        for ch in text:
            if ch == '"':
                out.append("“" if open_quote else "”")
                open_quote = not open_quote
            else:
                out.append("’" if ch == "'" else ch)
        return "".join(out)

    def fact(self, fact: Fact) -> str:
        if fact.value is None:
            return self.not_reported
        unit = self.unit_words[fact.unit]
        number = self.numbers(fact)
        joined = f"{number} {self.per_cent if unit == '%' else unit}" if unit else number
        return joined if fact.value_to is not None else self.qualifiers[fact.qualifier] + joined

    def _period_half(self, year: str, n: int, opener: bool) -> str:
        text = f"the {'first' if n == 1 else 'second'} half of {year}"
        return f"In {text}" if opener else text

    def _period_year(self, year: str, n: int, opener: bool) -> str:
        return f"In {year}" if opener else year

    def _period_since(self, year: str, n: int, opener: bool) -> str:
        return f"{'Since' if opener else 'since'} {year}"

    def _period_by(self, year: str, n: int, opener: bool) -> str:
        if n == 12:
            return f"{'By the end' if opener else 'end'} of {year}"
        name = get_month_names("wide", locale=self.locale)[n]
        return f"By {name} {year}" if opener else f"{name} {year}"

    def date(self, value: str) -> str:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1:
            return str(parts[0])
        day = date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
        return format_date(day, "MMMM y" if len(parts) == 2 else "d MMMM y", locale=self.locale)

    def date_span(self, start: str, end: str) -> tuple[str, str]:
        a, b = start.split("-"), end.split("-")
        if len(a) != len(b) or len(a) == 1 or a[0] != b[0]:
            return self.date(start), self.date(end)
        if len(a) == 3 and a[1] == b[1]:
            return str(int(a[2])), self.date(end)
        first = date(int(a[0]), int(a[1]), int(a[2]) if len(a) == 3 else 1)
        return format_date(first, "d MMMM" if len(a) == 3 else "MMMM", locale=self.locale), self.date(end)

    def date_run(self, start: str, end: str) -> str:
        first, last = self.date_span(start, end)
        return f"{first}–{last}" if first.isdigit() else f"{first} – {last}"


class TraditionalChinese(Chinese):
    """The Traditional edition's conventions: Chinese, converted from the Simplified render (editions/)."""

    code, tag, locale, autonym = "zh-Hant", "zh-Hant", "zh_Hant", "繁體中文"
    source = "zh"  # the language it is converted from
    script, east_asia_tag = "Hant", "zh-TW"  # Word names Traditional Chinese by region: Taiwan's is the default
    chart_families = ("Noto Sans CJK TC",)


class Parallel(Chinese):
    """The parallel edition's: a Chinese document with the English beside it (each English block says so)."""

    code, tag, autonym = "bilingual", "zh-CN", "中英对照"


LANGUAGES: dict[str, Language] = {"zh": Chinese(), "en": English()}
LANGS = tuple(LANGUAGES)  # every document is made in each, so that their figures can be compared
EDITION_LANGUAGES: dict[str, Language] = {"zh-Hant": TraditionalChinese(), "bilingual": Parallel()}


def language(code: str) -> Language:
    """Return the conventions of a language or an edition by its code."""
    return LANGUAGES[code] if code in LANGUAGES else EDITION_LANGUAGES[code]


def is_year(period: str) -> bool:
    return re.fullmatch(r"\d{4}", period) is not None
