"""Typed shapes of every data file: series, gazetteer, glossary and district records."""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
# Text a person reads: never empty, never a novel.
Str = Annotated[str, StringConstraints(min_length=1, max_length=2000)]

# Placeholders in curated text: @place-id (optionally @id:short), #term-id and {fact-id}.
PLACE_REF = re.compile(r"@([a-z0-9]+(?:-[a-z0-9]+)*)(?::(short|full))?")
TERM_REF = re.compile(r"#([a-z0-9]+(?:-[a-z0-9]+)*)")
FACT_REF = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\}")

# The units a fact may have; each language words them (words/lang.py, unit_words).
UNITS = ("yuan", "yuan-per-mu", "yuan-per-year", "mu", "metres", "percent", "people", "person-times", "households",
         "items", "organisations", "institutions", "events", "occasions", "batches", "teams", "volumes", "cases",
         "pairs", "sets", "years")
Unit = Literal[UNITS]  # type: ignore[valid-type]
Qualifier = Literal["exact", "about", "more-than", "at-least", "up-to"]

PERIOD_PATTERN = re.compile(
    r"^(?:(?P<year>\d{4})(?:H(?P<half>[12]))?"
    r"|(?P<since>\d{4})/"
    r"|by:(?P<by_year>\d{4})-(?P<by_month>\d{2})"
    r"|(?P<word>current|cumulative|annual|half-yearly))$"
)


def year_as_text(v: object) -> object:
    """Take an unquoted year (period: 2019, which YAML reads as a number) as the text it stands for."""
    return str(v) if isinstance(v, int) and not isinstance(v, bool) and 1900 <= v <= 2100 else v


class Model(BaseModel):
    """Base: unknown keys are errors, types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Text(Model):
    """A curated passage in both languages."""

    zh: Str
    en: Str


class Erratum(Model):
    """Where the source is wrong or garbled: what it printed, what we use, and why."""

    printed: Str
    used: Str
    why: Str


class Dated(Model):
    """A figure with a period (a fact, or the earlier figure it is compared with): the period's checks."""

    @field_validator("period", mode="before", check_fields=False)
    @classmethod
    def _year(cls, v: object) -> object:
        return year_as_text(v)

    @field_validator("period", check_fields=False)
    @classmethod
    def _period(cls, v: str) -> str:
        if not PERIOD_PATTERN.match(v):
            found = re.fullmatch(r"(\d{4})年", v)
            if found:
                raise ValueError(f"write the year as {found.group(1)}, without 年")
            raise ValueError(
                "period must be a year (2019), a half-year (2018H2), 'since' (2018/), "
                "'by:YYYY-MM', or one of current, cumulative, annual, half-yearly"
            )
        return v


class Fact(Dated):
    """One number with its unit, qualifier, period and source."""

    id: Id
    value: float | None = None  # None: the figure was not reported; documents say so
    value_to: float | None = None
    unit: Unit
    qualifier: Qualifier
    period: Str
    period_inferred: bool = False
    status: Literal["actual", "planned", "expected"] = "actual"
    measure: Id | None = None
    scope: Text | None = None  # what the figure covers, for tables (e.g. @yecheng)
    classifier: Annotated[str, StringConstraints(min_length=1, max_length=4)] | None = None
    of: Id | None = None  # the whole this figure is part of: never larger than it
    sum_of: list[Id] | None = None  # the parts this figure is the total of
    at_most: Id | None = None  # a figure this one cannot exceed (a profit and its output value)
    at_most_product: list[Id] | None = None  # a per-unit figure and a quantity whose product bounds this one
    product_of: list[Id] | None = None  # a per-unit figure and a quantity this total must equal
    listed: list[Id] | None = None  # the items this count counts (5 fairs: 5 venues)
    growth_of: Id | None = None  # for a percentage: the figure whose growth it states
    previous: "Previous | None" = None
    growth_stated: float | None = None
    src: Str
    printed: Str | None = None
    erratum: Erratum | None = None

    @field_validator("value", "value_to")
    @classmethod
    def _finite(cls, v):
        if v is not None and (isinstance(v, bool) or not math.isfinite(v) or abs(v) > 1e15):
            raise ValueError("must be a finite number below 10^15")
        return v

    @model_validator(mode="after")
    def _sign(self) -> Fact:
        if self.value is None:
            if self.measure is None:
                raise ValueError("a fact without a value needs a measure, so documents can say what was not reported")
            if self.value_to is not None or self.previous is not None:
                raise ValueError("a fact without a value cannot have value_to or previous")
            return self
        if self.value < 0 and self.unit != "percent":
            raise ValueError(f"a count or amount cannot be negative ({self.value:g})")
        if self.value_to is not None and self.value_to <= self.value:
            raise ValueError("value_to must be greater than value")
        return self


class Item(Model):
    """One statement of a district's work: a curated clause and the facts it carries."""

    # Short and stable (luoping-investors): with its block's id it makes the block id of the sentence and of
    # its paragraph (industry.luoping-investors), which editors' overrides are keyed by. Unique in its record
    # and never a block id of it; it names what the item says, never where it stands, so moving items changes
    # none. Required of every item but an event's lead (`check`), whose block is the release's lead.
    id: Id | None = None
    text: Text
    period: Str | None = None
    facts: list[Fact] = Field(default_factory=list)
    src: Str

    @field_validator("period", mode="before")
    @classmethod
    def _year(cls, v: object) -> object:
        return year_as_text(v)

    @field_validator("period")
    @classmethod
    def _period(cls, v: str | None) -> str | None:
        return Fact._period(v) if v is not None else v


Theme = Literal["overview", "industry", "consumption", "talent", "education", "health", "labour", "pairing",
                "social", "exchange", "outlook"]


class Block(Model):
    """A paragraph: items on one theme."""

    id: Id | None = None
    theme: Theme
    items: list[Item] = Field(min_length=1)


class Pairing(Model):
    """The counties a district is paired with under one relation (a glossary term)."""

    relation: Id
    places: list[Id] = Field(min_length=1)


class Photo(Model):
    """A photo of the section, which may be only its caption when no image was supplied."""

    caption: Text
    after: Id | Literal["box"] = "box"
    image: Annotated[str, StringConstraints(max_length=200)] | None = None  # under data/photos/
    src: Str


class SourceRef(Model):
    """Where a record's facts come from."""

    doc: Id
    section: Str


class District(Model):
    """The record of one Shanghai district's paired-assistance work."""

    id: Id
    place: Id
    headline: Text
    source: SourceRef
    pairings: list[Pairing] = Field(min_length=1)
    blocks: list[Block] = Field(min_length=1)
    photos: list[Photo] = Field(default_factory=list)


class Place(Model):
    """A gazetteer entry and the places below it."""

    id: Id
    level: Literal["municipality", "province", "autonomous-region", "prefecture", "autonomous-prefecture",
                   "prefecture-city", "county", "autonomous-county", "county-city", "district", "township",
                   "town", "subdistrict", "village", "site"]
    zh: Str
    zh_short: Str | None = None
    zh_hant: Str | None = None  # the Traditional name where OpenCC's conversion of zh is not the right one
    zh_hant_short: Str | None = None  # ... and of zh_short
    en: Str
    en_short: Str | None = None
    en_alt: Str | None = None
    note: Str | None = None
    children: list[Place] = Field(default_factory=list)


class Gazetteer(Model):
    places: list[Place]


class Term(Model):
    """A programme term with its approved English."""

    id: Id
    zh: Str
    zh_full: Str | None = None
    zh_hant: Str | None = None  # the Traditional term where OpenCC's conversion of zh is not the right one
    zh_hant_full: Str | None = None  # ... and of zh_full
    en: Str
    en_short: Str | None = None
    note: Str | None = None


class Glossary(Model):
    terms: list[Term]


PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")]


class Instalment(Model):
    """One published instalment of the series: which districts, in which order."""

    id: Id
    districts: list[Id] = Field(min_length=1)
    date: PartialDate | None = None  # the day it ran (2019-10-13), within the series' run
    note: Str | None = None


class Follow(Model):
    """The follow box: the account readers are invited to follow, and the link its QR code holds."""

    account: Text
    platform: Text
    url: Annotated[str, StringConstraints(pattern=r"^https://[^\s<>\"']{1,500}$")]


class Source(Model):
    id: Id
    title: Text
    note: Str | None = None


class Press(Model):
    """What every press release needs from the issuing office."""

    release_date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    office: Text
    about: Text
    contact: Text


class Traditional(Model):
    """How the Traditional Chinese edition is converted from the Simplified (OpenCC)."""

    # s2t: OpenCC's standard Traditional; s2hk and s2tw: Hong Kong and Taiwan character forms. Never
    # s2twp, which rewrites vocabulary (软件 -> 軟體): mainland text keeps its own words.
    opencc: Literal["s2t", "s2hk", "s2tw"] = "s2t"


class Series(Model):
    """The series: masthead, intro facts, instalments and follow box."""

    id: Id
    kicker: Text
    title: Text
    run_from: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    run_to: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    principle: Id
    intro_terms: list[Id] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    instalments: list[Instalment] = Field(min_length=1)
    follow: Follow
    press: Press
    sources: list[Source] = Field(min_length=1)
    traditional: Traditional = Field(default_factory=lambda: Traditional())




class Previous(Dated):
    """An earlier figure of the same measure, to compare a fact against."""

    value: float
    period: Str
    src: Str
    printed: Str | None = None


class Quote(Model):
    """Words a named person said, as a record carries them; never invented."""

    text: Text
    speaker: Text
    src: Str


class Event(Model):
    """An event a press release announces: what, when (a full or partial date), where, who, the figures."""

    id: Id
    kind: Literal["fair", "camp", "campaign", "training", "visits", "signing", "recruitment"]
    district: Id
    headline: Text
    subhead: Text | None = None
    date: PartialDate | None = None
    date_to: PartialDate | None = None
    # The release's own date; without one, the event's (last) date, which must then be a full date.
    release_date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    first: bool = False
    recurring: Literal["annual", "half-yearly"] | None = None
    organiser: Text
    venues: list[Id] = Field(default_factory=list)
    counties: list[Id] = Field(default_factory=list)
    lead: Item
    items: list[Item] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    quote: Quote | None = None
    source: SourceRef


class Measure(Model):
    """What a fact counts, named once for tables, charts and key-figure panels."""

    id: Id
    label: Text
    classifier: Annotated[str, StringConstraints(min_length=1, max_length=4)] | None = None  # its measure word
    # Its rank among the figures a district release's lead may name (1 first); none: never in a lead. The lead
    # names the ranked figures a record has, by rank and never by value, so a changed figure changes no choice.
    lead: Annotated[int, Field(ge=1)] | None = None


class Indicator(Model):
    """A row of the comparison brief: the measures that count the same thing across districts."""

    id: Id
    label: Text
    measures: list[Id] = Field(default_factory=list)
    computed: Literal["paired-counties"] | None = None
    chart: bool = False


class Catalog(Model):
    measures: list[Measure]
    indicators: list[Indicator] = Field(min_length=1)


class PublishedFigure(Model):
    """A figure as a published document printed it, with the fact's value then."""

    origin: Str  # <record file>/<fact id>
    text: Str
    value: float | None = None
    value_to: float | None = None
    unit: Unit
    qualifier: Qualifier
    period: Str


class PublishedDocument(Model):
    """One document as published: its title, the hash of each format, the figures it printed."""

    title: Str
    sha256: dict[str, Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]]
    figures: list[PublishedFigure] = Field(default_factory=list)


class Publication(Model):
    """What `aidreport publish` recorded (data/published/<date>.yaml): every document published that day."""

    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    documents: dict[str, PublishedDocument]
    # The warnings that stood when it was published, accepted by the editor (publish --accept-warnings).
    accepted_warnings: list[str] = []


# Complete every model now, not at its first validation: the forward references (Fact's Previous) are
# resolved once, where the module is imported, and a process forked after that has them ready.
for _model in [m for m in list(globals().values()) if isinstance(m, type) and issubclass(m, Model)]:
    if not _model.__pydantic_complete__:
        _model.model_rebuild()
