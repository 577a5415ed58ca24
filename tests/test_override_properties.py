"""Overrides keep figures live: with the editor's wording on every sentence that prints a figure (and on the
leads), in zh and en, a changed figure leaves every override current and prints inside the edited sentence.

The renders are the real ones (releases and articles), in this process: the HTML a build writes, before the
writers. The overrides and the changed values are synthetic, made here. Every fact of the real records is
checked: each is printed in a sentence of one of these documents.
test_override_formats.py follows three of them into every format.
"""

from __future__ import annotations

import html as html_lib
import shutil
from contextlib import contextmanager
from pathlib import Path

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
    return with_overrides(ROOT)


def with_overrides(root: Path):
    """A project's records, with an override (zh and en) of every block of a release or article that prints a
    figure and holds no other block (a sentence, a lead; not a paragraph of sentences)."""
    ds = load_dataset(root)
    jobs = _releases(ds)
    overrides = Overrides()
    printed: dict[str, list[tuple[str, str]]] = {}  # fact id -> (document, block) of the overrides naming it
    for label, docs in render_labels(root, ds, jobs).items():
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



def _copy(tmp_path: Path) -> Path:
    for name in ("data", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _states(root: Path, ds, jobs) -> dict[str, str]:
    return {a.override.ident: a.state for docs in render_labels(root, ds, jobs).values() for doc in docs
            for a in doc.overrides}


def test_a_changed_template_sentence_makes_exactly_the_overrides_of_its_blocks_stale(tmp_path: Path):
    root = _copy(tmp_path)
    # The English lead's wording, and the Chinese count of paired counties (which only the leads say).
    for name, old, new in (("district_release.en.j2", "; its results include ", "; its results so far include "),
                           ("prose.zh.j2", "（共{{", "（合计{{")):
        path = root / "templates" / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), encoding="utf-8")
    ds, jobs, _ = with_overrides(ROOT)  # written against the templates as they were
    states = _states(root, ds, jobs)
    assert len(states) > 100
    stale = sorted(ident for ident, state in states.items() if state == "stale")
    assert stale == sorted(f"{lang}/press/district-{d}#lead" for d in ds.districts for lang in ("zh", "en"))


def test_reordering_a_record_s_items_moves_no_override(tmp_path: Path):
    root = _copy(tmp_path)
    ds, jobs, _ = with_overrides(root)
    record = root / "data/districts/baoshan.yaml"
    text = record.read_text(encoding="utf-8")
    first, moved, after = (text.index(f"      - id: {i}") for i in ("hongba-youdao", "luoping-investors", "weixi-schisandra"))
    record.write_text(text[:first] + text[moved:after] + text[first:moved] + text[after:], encoding="utf-8")
    again = load_dataset(root)
    assert [i.id for i in again.districts["baoshan"].blocks[1].items][:3] == ["luoping-investors", "hongba-youdao",
                                                                             "fuyuan-sweet-potatoes"]
    again.overrides = ds.overrides
    docs = render_labels(root, again, [job for job in jobs if job.label == "press/district-baoshan"])
    assert {a.state for doc in docs["press/district-baoshan"] for a in doc.overrides} == {"current"}
    en = docs["press/district-baoshan"][1]
    found = blocks(en.html)
    # The sentence is now the paragraph's first, and its override went with it.
    assert found["industry.luoping-investors"].start < found["industry.hongba-youdao"].start
    moved_text = en.html[found["industry.luoping-investors"].start:found["industry.luoping-investors"].end]
    assert moved_text.startswith("As edited: Luoping brought in") and 'data-ref="luoping-firms"' in moved_text


def test_a_figure_an_override_leaves_out_is_no_longer_among_those_the_document_printed():
    """What a publication records as printed, and so what a later change corrects, is what the text says."""
    ds = load_dataset(ROOT)
    job = next(job for job in plan(ds) if job.label == "press/district-baoshan")
    before = {fid for _, fid, _ in render_labels(ROOT, ds, [job])[job.label][1].printed.figures}
    ds.overrides = Overrides()
    for lang, text in (("en", "Luoping drew more companies."), ("zh", "罗平县引进了更多企业。")):
        ds.overrides.add(Override(block=f"{job.label}#industry.luoping-investors", lang=lang, text=text,
                                  replaced="-"))
    docs = render_labels(ROOT, ds, [job])[job.label]
    after = {fid for _, fid, _ in docs[1].printed.figures}
    assert "luoping-firms" in before and before - after == {"luoping-firms"}
    assert "luoping-investment" in after  # printed elsewhere in the release still
