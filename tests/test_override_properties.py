"""Overrides keep figures live: with the editor's wording on every sentence that prints a figure (and on the
leads), in zh and en, a changed figure leaves every override current and prints inside the edited sentence.

The renders are the real ones (releases and articles), in this process: the HTML a build writes, before the
writers. The overrides and the changed values are synthetic, made here. Every fact of the real records is
checked: each is printed in a sentence of one of these documents.
test_override_formats.py follows three of them into every format.
"""

from __future__ import annotations

import html as html_lib
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.build.overrides import render_labels
from generator.build.plan import plan
from generator.records.dataset import load_dataset
from generator.records.overrides import REF, Override, Overrides
from generator.render.overrides import blocks, skeleton
from generator.words.lang import LANGUAGES

EDITED = {"zh": "（编辑稿）", "en": "As edited: "}  # what each override adds before the generated wording


def _releases(ds) -> list:
    return [job for job in plan(ds) if job.folder in ("press", "articles")]


@pytest.fixture(scope="module")
def project():
    """The real records, with an override (zh and en) of every block of a release that prints a figure."""
    ds = load_dataset(ROOT)
    jobs = _releases(ds)
    overrides = Overrides()
    printed: dict[str, list[tuple[str, str]]] = {}  # fact id -> (document, block) of the overrides naming it
    for label, docs in render_labels(ROOT, ds, jobs).items():
        for doc in docs:
            if doc.lang.code not in EDITED:
                continue
            for block in blocks(doc.html).values():
                content = doc.html[block.start:block.end]
                skel = skeleton(content)
                facts = [name for name in REF.findall(skel) if "." not in name and name != "counties"]
                if not facts or "data-block=" in content:  # a paragraph of sentences: its sentences are edited
                    continue
                o = Override(block=f"{label}#{block.id}", lang=doc.lang.code, text=EDITED[doc.lang.code] + skel,
                             replaced=skel)
                overrides.add(o)
                for fid in facts:
                    printed.setdefault(fid, []).append((label, block.id))
    ds.overrides = overrides
    return ds, jobs, printed


def _facts(ds) -> dict[str, object]:
    return {f.id: f for _, facts in ds.facts_by_file() for f in facts}


@contextmanager
def _changed(ds, values: dict[str, float]):
    """The records with some facts' values changed (the frozen models changed in place, and put back)."""
    facts = _facts(ds)
    before = {fid: (facts[fid].value, facts[fid].value_to) for fid in values}
    try:
        for fid, value in values.items():
            fact = facts[fid]
            if fact.value_to is not None:
                object.__setattr__(fact, "value_to", fact.value_to * value / fact.value)
            object.__setattr__(fact, "value", value)
        yield
    finally:
        for fid, (value, value_to) in before.items():
            object.__setattr__(facts[fid], "value", value)
            object.__setattr__(facts[fid], "value_to", value_to)


def _check(ds, jobs, printed, values: dict[str, float]) -> None:
    labels = {label for fid in values for label, _ in printed[fid]}
    with _changed(ds, values):
        docs = render_labels(ROOT, ds, [job for job in jobs if job.label in labels])
        facts = _facts(ds)
        for label, renders in docs.items():
            for doc in renders:
                states = {a.override.ident: a.state for a in doc.overrides}
                assert set(states.values()) <= {"current"}, (doc.stem, states)
                if doc.lang.code not in EDITED:
                    continue
                found = blocks(doc.html)
                for fid in values:
                    for where, block_id in printed[fid]:
                        if where != label or f"{doc.lang.code}/{label}#{block_id}" not in states:
                            continue
                        text = html_lib.unescape(doc.html[found[block_id].start:found[block_id].end])
                        figure = LANGUAGES[doc.lang.code].fact(facts[fid])
                        assert EDITED[doc.lang.code] in text, (doc.stem, block_id)
                        assert figure in text, (doc.stem, block_id, figure, text)


def test_every_printed_fact_changed_leaves_the_overrides_current_with_its_new_figure_inside(project):
    """Every fact an overridden sentence names, each document's at once, to a value no record has."""
    ds, jobs, printed = project
    facts = _facts(ds)
    assert set(printed) == set(facts)  # every fact of the records, each in a sentence of a release or article
    for label in sorted({label for places in printed.values() for label, _ in places}):
        mine = [fid for fid, places in printed.items() if any(label == where for where, _ in places)]
        _check(ds, jobs, printed, {fid: _new(facts[fid].value, 3.7) for fid in mine if facts[fid].value})


def _new(value: float, factor: float) -> float:
    """A new value as records give them: a whole number where the old one was."""
    new = value * factor
    return float(max(1, round(new))) if float(value).is_integer() else round(new, 2) or 0.01


@settings(max_examples=12)
@given(data=st.data())
def test_any_one_fact_changed_to_any_value_stays_live_in_the_edited_sentence(project, data):
    ds, jobs, printed = project
    facts = _facts(ds)
    fid = data.draw(st.sampled_from(sorted(f for f in printed if facts[f].value)))
    factor = data.draw(st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False))
    _check(ds, jobs, printed, {fid: _new(facts[fid].value, factor)})

