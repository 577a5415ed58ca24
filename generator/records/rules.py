"""Consistency rules over a district's facts: parts, sums, bounds, counts, growth and qualifiers.

A rule that fires is an error, unless the fact records an erratum (the source's own mistake):
then it is a note, listed by `aidreport check`, with the fact's place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..errors import Diagnostic, Location
from ..figures import zh_values
from .models import Fact


@dataclass
class FactRef:
    """A fact and where it stands."""

    fact: Fact
    location: Location


def growth(before: float, after: float) -> float | None:
    """Return the change from before to after in per cent, or None when before is zero."""
    if before == 0:
        return None
    return (after - before) / before * 100


def _n(value: float) -> str:
    """Print a number plainly: 50000000, 0.5, 185.18."""
    return format(Decimal(str(value)).normalize(), "f")


def _hi(f: Fact) -> float:
    """Return the largest value a fact allows (its range end; 'more than' has no upper bound)."""
    if f.value is None:
        return 0.0
    if f.value_to is not None:
        return f.value_to
    if f.qualifier in {"more-than", "at-least"}:
        return float("inf")
    if f.qualifier == "about":
        return f.value * 1.1
    return f.value


def _floor(f: Fact) -> float:
    """Return the smallest value a fact allows."""
    if f.value is None:
        return 0.0
    if f.qualifier == "about":
        return f.value * 0.9
    if f.qualifier == "up-to":
        return 0.0
    return f.value


def _implied_base_exists(value: float, pct: float) -> bool:
    """Return whether some whole-number earlier figure gives this growth, rounded as printed."""
    decimals = max(0, -Decimal(str(pct)).as_tuple().exponent)
    guess = value / (1 + pct / 100)
    for base in range(max(1, int(guess) - 2), int(guess) + 3):
        if round((value - base) / base * 100, decimals) == round(pct, decimals):
            return True
    return False


def check_facts(facts: dict[str, FactRef], out: list[Diagnostic], notes: list[Diagnostic]) -> None:
    """Run every rule over one record's facts, appending errors to out and errata to notes."""
    rules = _Rules(facts, out, notes)
    fired: set[str] = set()
    for fid, ref in facts.items():
        if ref.fact.value is None:
            continue
        before = len(out) + len(notes)
        for rule in RULES:  # in this order: a fact's diagnostics share its place and keep their order
            rule(rules, fid, ref)
        if len(out) + len(notes) > before:
            fired.add(fid)
    for fid, ref in facts.items():
        f = ref.fact
        if f.erratum is not None and fid not in fired:
            # An erratum no rule checks is still listed, so an editor sees every correction.
            notes.append(Diagnostic(ref.location, f"erratum: printed {f.erratum.printed!r}, used {f.erratum.used!r}: "
                                                  f"{f.erratum.why}", level="note"))


class _Rules:
    """The rules over one record's facts, each a method taking a fact (id and place) that has a value."""

    def __init__(self, facts: dict[str, FactRef], out: list[Diagnostic], notes: list[Diagnostic]):
        self.facts = facts
        self.out = out
        self.notes = notes

    def fire(self, ref: FactRef, message: str, hint: str) -> None:
        """Report a broken rule: an error, or a note when the fact records an erratum."""
        f = ref.fact
        if f.erratum is not None:
            self.notes.append(Diagnostic(ref.location, f"{message}; erratum: printed {f.erratum.printed!r}, "
                                                       f"used {f.erratum.used!r}: {f.erratum.why}", level="note"))
        else:
            self.out.append(Diagnostic(ref.location, message, hint))

    def other(self, ref: FactRef, fid: str, field: str) -> Fact | None:
        """Return the fact a field of ref names, or None after reporting that it does not exist."""
        target = self.facts.get(fid)
        if target is None:
            self.out.append(Diagnostic(ref.location, f"{field} names unknown fact '{fid}'",
                                       "use a fact id of this record"))
            return None
        return target.fact

    def part_of(self, fid: str, ref: FactRef) -> None:
        f = ref.fact
        if f.of and (whole := self.other(ref, f.of, "of")) is not None and whole.value is not None:
            if _floor(f) > _hi(whole):
                self.fire(ref, f"part {fid} ({_n(f.value)}) is larger than its whole {f.of} ({_n(whole.value)})",
                          "a part never exceeds its whole: check both figures")

    def at_most(self, fid: str, ref: FactRef) -> None:
        f = ref.fact
        if f.at_most and (bound := self.other(ref, f.at_most, "at_most")) is not None and bound.value is not None:
            if _floor(f) > _hi(bound):
                self.fire(ref, f"{fid} ({_n(f.value)}) exceeds {f.at_most} ({_n(bound.value)})",
                          "a profit cannot exceed the output it comes from")

    def sum_of(self, fid: str, ref: FactRef) -> None:
        f = ref.fact
        if not f.sum_of:
            return
        parts = [self.other(ref, p, "sum_of") for p in f.sum_of]
        if all(p is not None and p.value is not None for p in parts):
            low = sum(_floor(p) for p in parts)  # type: ignore[arg-type]
            high = sum(_hi(p) for p in parts)  # type: ignore[arg-type]
            if not (low <= f.value <= high or (f.qualifier != "exact" and _hi(f) >= low)):
                values = " + ".join(_n(p.value) for p in parts)  # type: ignore[union-attr]
                self.fire(ref, f"{fid} ({_n(f.value)}) is not the sum of {' + '.join(f.sum_of)} ({values} = {_n(low)})",
                          "a stated total must equal its parts")

    def products(self, fid: str, ref: FactRef) -> None:
        f = ref.fact
        for field, bounded in (("product_of", False), ("at_most_product", True)):
            pair = getattr(f, field)
            if not pair:
                continue
            if len(pair) != 2:
                self.out.append(Diagnostic(ref.location, f"{field} takes a per-unit figure and a quantity",
                                           "give exactly two fact ids"))
                continue
            unit, quantity = (self.other(ref, p, field) for p in pair)
            if unit is None or quantity is None or unit.value is None or quantity.value is None:
                continue
            high = _hi(unit) * _hi(quantity)
            low = _floor(unit) * _floor(quantity)
            if bounded and _floor(f) > high:
                self.fire(ref, f"{fid} ({_n(f.value)}) exceeds {pair[0]} × {pair[1]} (at most {_n(high)})",
                          "a figure cannot exceed the output its per-unit value and quantity give")
            elif not bounded and not (low <= f.value <= high):
                self.fire(ref, f"{fid} ({_n(f.value)}) is not {pair[0]} × {pair[1]} ({_n(low)} to {_n(high)})",
                          "a per-unit figure times its quantity must give the stated total")

    def listed(self, fid: str, ref: FactRef) -> None:
        f = ref.fact
        if f.listed is not None and f.qualifier == "exact" and len(f.listed) != f.value:
            self.fire(ref, f"{fid} counts {_n(f.value)} but lists {len(f.listed)}: {', '.join(f.listed)}",
                      "make the count and the listed items agree")

    def growth_of(self, fid: str, ref: FactRef) -> None:
        f = ref.fact
        if f.growth_of and (base := self.other(ref, f.growth_of, "growth_of")) is not None and base.value is not None:
            if f.unit != "percent":
                self.out.append(Diagnostic(ref.location, "growth_of is for percentages", "set unit: percent"))
            elif not _implied_base_exists(base.value, f.value):
                self.fire(ref, f"growth {_n(f.value)}% of {f.growth_of} ({_n(base.value)}) implies no whole-number "
                               "earlier figure", "check the percentage against the two years' figures")

    def qualifiers(self, fid: str, ref: FactRef) -> None:
        f = ref.fact
        if f.printed and "约" in f.printed and any(q in f.printed for q in ("余", "多", "以上", "超过")):
            self.fire(ref, f"{fid} was printed with two qualifiers ({f.printed!r}): 'about' and 'more than' disagree",
                      "keep one qualifier")


    def printed_agrees(self, fid: str, ref: FactRef) -> None:
        """Warn when the figure as the source printed it no longer states the value (one was edited)."""
        f = ref.fact
        if f.printed is None or f.erratum is not None:
            return
        found = [float(value) for value in zh_values(f.printed)]
        if found and not any(abs(v - f.value) <= 1e-9 * max(1.0, abs(f.value)) for v in found):
            self.notes.append(Diagnostic(
                ref.location, f"{fid} is {_n(f.value)} but the source printed {f.printed!r}",
                "if the figure changed, update printed and src to the new source; if not, restore the value",
                level="warning"))


RULES = (_Rules.part_of, _Rules.at_most, _Rules.sum_of, _Rules.products, _Rules.listed, _Rules.growth_of,
         _Rules.qualifiers, _Rules.printed_agrees)
