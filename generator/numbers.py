"""Word figures and periods per language: 5.9亿元 / 590 million yuan, 8000余人 / more than 8,000."""

from __future__ import annotations

from decimal import Decimal

from babel.dates import get_month_names
from babel.numbers import format_compact_decimal, format_decimal

from .models import PERIOD_PATTERN, UNITS, Fact

LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}


def _exact_compact(value: float | int, lang: str) -> str | None:
    """Return CLDR's short wording (1.23亿, 590 million) when it states value exactly, else None."""
    value_d = Decimal(str(value))
    if lang == "zh":
        steps = (Decimal(10) ** 8, Decimal(10) ** 4)
    else:
        steps = (Decimal(10) ** 9, Decimal(10) ** 6)
    for step in steps:
        if value_d >= step:
            mantissa = value_d / step
            if mantissa == mantissa.quantize(Decimal("0.01")):
                kind = "short" if lang == "zh" else "long"
                return format_compact_decimal(value, locale=LOCALES[lang], format_type=kind, fraction_digits=2)
            return None
    return None


def format_number(value: float | int, lang: str) -> str:
    """Return the bare number as this language's news style prints it."""
    return _exact_compact(value, lang) or format_plain(value, lang)


def format_plain(value: float | int, lang: str) -> str:
    """Return the number in digits, at most two decimals: 11281 in Chinese, 11,281 in English."""
    # Both languages round the same way, so both editions always state the same figure.
    exact = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    if exact == exact.to_integral_value():
        exact = exact.quantize(Decimal(1))
    if lang == "zh":
        # Chinese news style prints counts in plain digits, without grouping (11281名).
        return format(exact, "f")
    return format_decimal(exact, locale=LOCALES["en"], decimal_quantization=False)


def _zh_more_than(number: str) -> str:
    """Place 多/余 the way Chinese news writes it: 1万多, 5000多万, 8000余."""
    for big in ("亿", "万"):
        if number.endswith(big):
            mantissa = number[: -len(big)]
            if "." in mantissa:
                return ""  # 1.23亿多 is not idiomatic; the caller writes 超过 instead
            if len(mantissa) == 1:
                return f"{mantissa}{big}多"
            return f"{mantissa}多{big}"
    return f"{number}余"


NOT_REPORTED = {"zh": "未披露", "en": "not reported"}


def growth(before: float, after: float) -> float | None:
    """Return the change from before to after in per cent, or None when before is zero."""
    if before == 0:
        return None
    return (after - before) / before * 100


def format_percent(value: float, lang: str) -> str:
    """Return a percentage with at most one decimal: 94.3%."""
    text = format(Decimal(str(round(value, 1))).normalize(), "f")
    return f"{text}%" if lang == "zh" else f"{format_decimal(float(text), locale=LOCALES['en'])}%"


def format_fact(fact: Fact, lang: str) -> str:
    """Return the figure with its qualifier and unit, e.g. 约1.23亿元 / about 123 million yuan."""
    if fact.value is None:
        return NOT_REPORTED[lang]
    zh_unit, en_unit = UNITS[fact.unit]
    number = format_number(fact.value, lang)
    if fact.value_to is not None:
        upper = format_number(fact.value_to, lang)
        if (_exact_compact(fact.value, lang) is None) != (_exact_compact(fact.value_to, lang) is None):
            # Both ends in one style: 8000至10000元, never 8000至1万元.
            number, upper = format_plain(fact.value, lang), format_plain(fact.value_to, lang)
        number = f"{number}至{upper}" if lang == "zh" else f"{number} to {upper}"
    if lang == "zh":
        unit = fact.classifier or zh_unit
        q = fact.qualifier
        if q == "exact" or fact.value_to is not None:
            return f"{number}{unit}"
        if q == "about":
            return f"约{number}{unit}"
        if q == "at-least":
            return f"{number}{unit}以上"
        if q == "up-to":
            return f"最多{number}{unit}"
        worded = _zh_more_than(number) if fact.unit != "percent" else ""
        return f"{worded}{unit}" if worded else f"超过{number}{unit}"
    joined = number if not en_unit else (f"{number}{en_unit}" if en_unit == "%" else f"{number} {en_unit}")
    prefix = {"exact": "", "about": "about ", "more-than": "more than ", "at-least": "at least ", "up-to": "up to "}
    if fact.value_to is not None:
        return joined
    return prefix[fact.qualifier] + joined


def _parse_period(period: str) -> tuple[str, str, int]:
    """Split a period into its kind, its year (or word) and its half or month."""
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


_WORDS = {  # period word: (zh, en opener, en label)
    "current": ("目前", "At present", "at present"),
    "cumulative": ("累计", "Over the years", "cumulative"),
    "annual": ("每年", "Every year", "per year"),
    "half-yearly": ("每半年", "Every six months", "every six months"),
}


def period_label(period: str, lang: str, opener: bool = False) -> str:
    """Word a period: as a table note (截至2018年底 / end of 2018) or a sentence opener (By the end of 2018)."""
    kind, year, n = _parse_period(period)
    zh = lang == "zh"
    if kind == "word":
        if zh:
            return "多年来" if opener and year == "cumulative" else _WORDS[year][0]
        return _WORDS[year][1 if opener else 2]
    if kind == "half":
        text = f"{year}年{'上' if n == 1 else '下'}半年" if zh else \
            f"the {'first' if n == 1 else 'second'} half of {year}"
        return text if zh else (f"In {text}" if opener else text)
    if kind == "year":
        return f"{year}年" if zh else (f"In {year}" if opener else year)
    if kind == "since":
        return f"{year}年以来" if zh else f"{'Since' if opener else 'since'} {year}"
    if n == 12:
        return f"截至{year}年底" if zh else f"{'By the end' if opener else 'end'} of {year}"
    name = get_month_names("wide", locale=LOCALES["en"])[n]
    return f"截至{year}年{n}月" if zh else (f"By {name} {year}" if opener else f"{name} {year}")


def format_period(period: str, lang: str) -> str:
    """Return a period as a sentence opener: 2018年以来 / Since 2018."""
    return period_label(period, lang, opener=True)


def comparable(a: str, b: str) -> bool:
    """Return whether figures of these two periods may be ranked against each other."""
    return a == b and a != "cumulative"
