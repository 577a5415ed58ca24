"""Incremental and parallel builds: only what changed is rebuilt, and workers change no byte."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import Built, heavy, run_cli


def rebuilt(result) -> set[str]:
    return {line.split(": ", 1)[0].removeprefix("rebuilt ") for line in result.stdout.splitlines()
            if line.startswith("rebuilt ")}


def edit(project: Path, old: str, new: str) -> None:
    path = project / "data/districts/baoshan.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


# The outputs of a build: 16 documents in zh, en and zh-Hant (HTML, PDF, DOCX), the WeChat edition of the
# article and the ten releases in those three, and those eleven side by side (HTML, PDF, DOCX); and the files
# the article's WeChat edition makes beside it in each of the three (a fragment per district, the QR code).
# A build that writes them and one that finds them up to date count the same files.
OUTPUTS = 16 * 3 * 3 + 11 * 3 + 11 * 3 + 3 * (4 + 1)


def test_a_one_record_change_rebuilds_only_its_dependants(project_copy: Path, tmp_path: Path, built: Built):
    """What a document read while rendering decides what a change rebuilds. Built as `aidreport serve` does:
    the HTML first, which leaves the PDF and DOCX of the same documents due for the next build."""
    out = tmp_path / "out"
    shutil.copytree(built.output, out)  # the session's build, of the same data in another folder
    first = run_cli("-C", str(project_copy), "build", "--output", str(out))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"nothing to do: {OUTPUTS} outputs up to date"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    # A figure only the article and the district release print (the fact sheet sums up each area with
    # its first item, which does not hold it): what they read while rendering says so.
    edit(project_copy, "{id: luoping-firms, value: 5,", "{id: luoping-firms, value: 6,")
    html = run_cli("-C", str(project_copy), "build", "--format", "html", "--output", str(out))
    assert rebuilt(html) == {"articles/baoshan-minhang-jiading-jinshan", "press/district-baoshan"}
    assert all("data/districts/baoshan.yaml changed" in line for line in html.stdout.splitlines()
               if line.startswith("rebuilt "))
    # The release's other formats (the article's are left for later: it takes four times as long to make).
    rest = run_cli("-C", str(project_copy), "build", "--only", "press/district-baoshan", "--output", str(out))
    assert rest.returncode == 0, rest.stderr
    assert rebuilt(rest) == {"press/district-baoshan"}
    assert "made from older data than its other formats" in rest.stdout
    # Its PDF and DOCX in zh, en and zh-Hant, and side by side (6 + 2), and its WeChat fragments (3).
    assert "11 written, 0 unchanged" in rest.stdout
    # One language's file of the article (what the preview makes first for a page open in the browser).
    article = "articles/baoshan-minhang-jiading-jinshan"
    one = run_cli("-C", str(project_copy), "build", "--only", f"zh/{article}", "--format", "pdf", "--output", str(out))
    assert rebuilt(one) == {article} and one.stdout.endswith("\n1 written, 0 unchanged, 0 up to date · 1 warning\n"), \
        one.stdout
    changed = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.read_bytes() != before.get(p)}
    assert f"zh/{article}.pdf" in changed and f"en/{article}.pdf" not in changed
    assert "zh/briefs/comparison.pdf" not in changed and "en/press/series.pdf" not in changed
    assert "zh/briefs/baoshan.pdf" not in changed
    assert "zh/press/district-baoshan.pdf" in changed

    # A measured figure also feeds the comparison brief.
    edit(project_copy, "measure: schools-paired, value: 6,", "measure: schools-paired, value: 7,")
    third = run_cli("-C", str(project_copy), "build", "--format", "html", "--output", str(out))
    assert rebuilt(third) == {"articles/baoshan-minhang-jiading-jinshan", "briefs/baoshan", "briefs/comparison",
                              "press/district-baoshan"}

    nothing = run_cli("-C", str(project_copy), "build", "--format", "html", "--output", str(out))
    assert rebuilt(nothing) == set()
    assert nothing.stdout.strip().endswith(" outputs up to date · 2 warnings")  # the two edited figures


# A build with one worker gives the bytes of the session's build with two: see
# test_first_build.py::test_a_build_with_no_output_and_no_cache_in_another_clone_gives_the_same_bytes.


@heavy  # make test: the property test compares incremental builds with clean ones, byte for byte
def test_workers_renewed_every_few_jobs_give_the_same_bytes(project_copy: Path, tmp_path: Path, monkeypatch,
                                                            built: Built):
    import os

    import generator.build.run as build_module
    import generator.build.pool as pool

    one, renewed = built.output, tmp_path / "renewed"
    monkeypatch.setattr(pool, "BATCH", 3)  # the ten releases: four batches, each in a fresh worker
    started = tmp_path / "workers"
    original = pool._init_worker

    def init_worker(*args):
        with open(started, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        original(*args)

    monkeypatch.setattr(pool, "_init_worker", init_worker)
    report = build_module.build(project_copy, renewed, jobs=1, only=("press/*",))
    assert len(report.written) == 150  # ten releases: zh, en, zh-Hant in four formats, side by side in three
    assert len(set(started.read_text().split())) == 4
    files = sorted(p.relative_to(renewed) for p in renewed.rglob("*.*")
                   if p.name not in {"manifest.json", "index.html"} and not p.name.startswith(".")  # the lock, the stamp
                   and p.parent.name != "fonts")
    assert len(files) == 150
    for rel in files:
        assert (one / rel).read_bytes() == (renewed / rel).read_bytes(), rel


def test_force_rebuilds_everything_and_changes_nothing(project_copy: Path, tmp_path: Path):
    out = tmp_path / "out"
    args = ("-C", str(project_copy), "build", "--format", "html", "--only", "press/*", "--output", str(out))
    assert run_cli(*args).returncode == 0
    forced = run_cli(*args, "--force")
    assert len(rebuilt(forced)) == 10
    assert forced.stdout.strip().splitlines()[-1] == "0 written, 40 unchanged, 0 up to date"


def test_a_new_district_rebuilds_the_comparison_brief_which_shows_it(project_copy: Path, tmp_path: Path,
                                                                     built: Built):
    """Issue 19: the brief goes through every district, so which districts there are is what it read too."""
    from test_new_district import SYNTHETIC_RECORD

    from generator.editing.scaffold import new_district

    out = tmp_path / "out"
    shutil.copytree(built.output, out)
    new_district(project_copy, "xinqu", "新区", "Xinqu District")  # the record to fill in, and the gazetteer entry
    (project_copy / "data/districts/xinqu.yaml").write_text(SYNTHETIC_RECORD, encoding="utf-8")
    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "rebuilt briefs/comparison: data/districts/ changed" in result.stdout.splitlines()
    for lang, name in (("zh", "新区"), ("en", "Xinqu")):
        # a row of every indicator table (a fifth district: the districts are the rows)
        assert f'<th scope="row">{name}</th>' in (out / lang / "briefs/comparison.html").read_text(encoding="utf-8")


def test_a_removed_event_takes_every_file_of_its_release_with_it_and_the_index_is_made_again(
        project_copy: Path, tmp_path: Path, built: Built):
    """Every language, edition and format of its release goes, the WeChat fragments and the redline too,
    whatever formats the build makes; the index no longer links them."""
    event = "minhang-youth-camps-2019"
    out = project_copy / "output"
    shutil.copytree(built.output, out)
    assert run_cli("-C", str(project_copy), "publish", "--date", "2019-10-13").returncode == 0
    record = project_copy / f"data/events/{event}.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("zh: 闵行区“手拉手”夏令营", "zh: 闵行区“手拉手”青少年夏令营"),
                      encoding="utf-8")
    redlined = run_cli("-C", str(project_copy), "build", "--format", "docx", "--only", f"press/{event}")
    assert redlined.returncode == 0, redlined.stderr
    # zh, en and zh-Hant in four formats, side by side in three, and the redlines of those whose text changed
    files = {f"{lang}/{folder}press/{event}.{ext}" for lang in ("zh", "en", "zh-Hant")
             for folder, ext in (("", "html"), ("", "pdf"), ("", "docx"), ("wechat/", "html"))}
    files |= {f"bilingual/press/{event}.{ext}" for ext in ("html", "pdf", "docx")}
    files |= {f"{lang}/redline/press/{event}.docx" for lang in ("zh", "zh-Hant", "bilingual")}
    assert {p.relative_to(out).as_posix() for p in out.rglob(f"{event}*")} == files

    record.unlink()
    result = run_cli("-C", str(project_copy), "build", "--format", "html")
    assert result.returncode == 0, result.stderr
    assert not [p for p in out.rglob(f"{event}*")]
    assert not (out / "zh/redline/press").exists()  # no folder left empty
    index = (out / "index.html").read_text(encoding="utf-8")
    assert event not in index and "baoshan-produce-fairs-2019" in index
    assert event not in (out / "manifest.json").read_text(encoding="utf-8")


def test_what_a_writer_reads_of_the_data_remakes_its_files(project_copy: Path, tmp_path: Path, built: Built):
    """A fact sheet prints no series date, but its DOCX is dated with the series' first day."""
    import docx

    out = tmp_path / "out"
    shutil.copytree(built.output, out)
    series = project_copy / "data/series.yaml"
    series.write_text(series.read_text(encoding="utf-8").replace('run_from: "2019-10-13"', 'run_from: "2019-10-12"'),
                      encoding="utf-8")
    result = run_cli("-C", str(project_copy), "build", "--format", "docx", "--only", "briefs/baoshan",
                     "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "rebuilt briefs/baoshan: data/series.yaml changed" in result.stdout.splitlines()
    for lang in ("zh", "en", "zh-Hant"):
        assert docx.Document(str(out / lang / "briefs/baoshan.docx")).core_properties.created.day == 12
