"""The facts as one tidy table: a pandas frame, one row per figure, for the commands that rank, chart or export.

`rows(ds)` lists every fact of the records in record order (each district's, then each event's own,
then the series'), as plain tuples that may cross to another process; `frame(rows, indicators)` makes
the frame from them, joined to the comparison's indicators where asked (a fact an indicator gathers
gets its id; a measure two indicators gather gives its facts a row under each). Three commands read
it: the comparison brief (grouping and ranking, comparison.py, in its offload process), the figures
workbook's export (workbook.py) and `aidreport diff` (figdiff.py).

pandas is imported here only when a frame is made: `check`, a build with nothing to do and the HTML
preview never make one, so they never pay its import (about 0.3 s and 57 MB).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # the offload process reads rows and makes a frame: it needs neither pydantic nor the records
    import pandas

    from .lookups import Dataset
    from .models import Fact

# origin: '<record file>/<fact id>', as the manifest and the publication records name a fact.
# sheet: the district's id, "events" or "series" (the figures workbook's sheet); record: the record's id.
COLUMNS = ("origin", "sheet", "record", "fact", "measure", "value", "value_to", "unit", "qualifier", "period",
           "source", "printed")
VALUES = ("value", "value_to", "unit", "qualifier", "period")  # what `aidreport diff` compares
EVENTS, SERIES = "events", "series"


def owners(ds: Dataset) -> Iterator[tuple[str, str, str, list[Fact]]]:
    """Each record with the facts it defines, in record order: (sheet, record id, record file, facts)."""
    for did in ds.districts:
        yield did, did, ds.district_files[did], list(ds.facts(did).values())
    for eid, event in ds.events.items():
        yield EVENTS, eid, ds.event_files[eid], [f for item in [event.lead, *event.items] for f in item.facts] + \
            list(event.facts)
    yield SERIES, SERIES, "data/series.yaml", list(ds.series.facts)


def row(sheet: str, record: str, path: str, fact: Fact, measure: str | None = None) -> tuple:
    """One fact as a row of COLUMNS (measure: what a computed figure counts, where the fact names none)."""
    return (f"{path}/{fact.id}", sheet, record, fact.id, measure or fact.measure, fact.value, fact.value_to,
            fact.unit, fact.qualifier, fact.period, fact.src, fact.printed)


def rows(ds: Dataset) -> list[tuple]:
    """Every fact of the records as a row of COLUMNS, in record order."""
    return [row(sheet, record, path, fact) for sheet, record, path, facts in owners(ds) for fact in facts]


def indicator_measures(ds: Dataset) -> list[tuple[str, str]]:
    """The comparison's indicators as (indicator, measure) pairs, in the catalogue's order; a computed
    indicator (the paired-county count) gathers the figures computed under its own name."""
    return [(indicator.id, measure) for indicator in ds.indicators
            for measure in ([indicator.computed] if indicator.computed else indicator.measures)]


def frame(table: list[tuple], indicators: list[tuple[str, str]] | None = None) -> "pandas.DataFrame":
    """The tidy frame of these rows; given (indicator, measure) pairs, joined to them as an indicator column.

    The figures keep their type (object columns: 11281 stays an integer where the records wrote one);
    a fact no indicator gathers has no indicator (None); the rows keep their order.
    """
    import pandas as pd

    df = pd.DataFrame.from_records(table, columns=list(COLUMNS)).astype(object)
    if indicators is None:
        return df
    pairs = pd.DataFrame.from_records(indicators, columns=["indicator", "measure"]).astype(object)
    joined = df.merge(pairs, on="measure", how="left", sort=False)
    return joined.astype(object).where(joined.notna(), None)
