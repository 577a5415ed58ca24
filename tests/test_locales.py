"""The same bytes in any locale and time zone (issue 20): builds under four locales give the same files.

Text a shaper gets without a language took its glyph forms from the machine's locale: under
LANG=zh_CN.UTF-8 the Traditional charts set 、 in its mainland form. Charts are now shaped in their
language, and the faces carry no locale forms. `make test` builds the comparison brief (the charts) in
every language and format under C.UTF-8 and zh_CN.UTF-8 (the locale that showed the fault), with the
session's cache of faces (the charts are drawn anew in each build); `make test-all` builds everything
under all four, each with an empty cache, so that the faces too are made under each locale.
scripts/setup-system generates the locales.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, TEST_ALL, run_cli
from test_incremental_property import outputs

LOCALES = {"C.UTF-8": "UTC", "zh_CN.UTF-8": "Asia/Shanghai", "zh_TW.UTF-8": "Asia/Taipei",
           "en_US.UTF-8": "America/New_York"}
if not TEST_ALL:
    LOCALES = {name: LOCALES[name] for name in ("C.UTF-8", "zh_CN.UTF-8")}
ONLY = [] if TEST_ALL else ["--only", "briefs/comparison"]


def _have(name: str) -> bool:
    have = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    return name.lower().replace("utf-8", "utf8") in {h.lower() for h in have}


def test_every_locale_and_time_zone_gives_the_same_bytes(project_copy: Path, tmp_path: Path):
    missing = [name for name in LOCALES if not _have(name)]
    assert not missing, f"locales not generated: {missing} (run scripts/setup-system)"
    built = {}
    first = next(iter(LOCALES))
    for name, zone in LOCALES.items():
        out = tmp_path / name
        env = {"LANG": name, "LC_ALL": name, "TZ": zone}
        if TEST_ALL:
            env["AIDREPORT_CACHE_DIR"] = str(tmp_path / f"cache-{name}")
        result = run_cli("-C", str(project_copy), "build", *ONLY, "--output", str(out), env=env)
        assert result.returncode == 0, result.stderr
        built[name] = outputs(out)
    others = [name for name in LOCALES if name != first]
    assert len(built[first]) >= 15
    for name in others:
        assert sorted(built[name]) == sorted(built[first])
        differ = [rel for rel in sorted(built[first]) if built[name][rel] != built[first][rel]]
        assert differ == [], f"{name} against {first}"


@pytest.mark.parametrize("script", ["Hant", "Hans"])
def test_a_face_shows_its_own_forms_whatever_language_it_is_told(script: str):
    """The enumeration comma 、 sits centred in a Traditional face and in the corner in a Simplified one,
    shaped as Simplified, Traditional or no language at all."""
    import io

    import uharfbuzz as hb
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    from generator.fonts.faces import prepare_fonts

    family = {"Hant": "AR Sans TC", "Hans": "AR Sans SC"}[script]
    [face] = [f for f in prepare_fonts(ROOT) if f.spec.family == family and f.spec.weight == 400]
    data = face.path.read_bytes()
    glyphs = set()
    for lang in (None, "zh-Hans", "zh-Hant", "en"):
        buf = hb.Buffer()
        buf.add_str("市、區")  # between Han characters, as in 對口幫扶縣（市、區）: the Han script's locale forms apply
        buf.guess_segment_properties()
        if lang:
            buf.language = lang
        hb.shape(hb.Font(hb.Face(data)), buf, {})
        glyphs.add(buf.glyph_infos[1].codepoint)
    assert len(glyphs) == 1
    font = TTFont(io.BytesIO(data))
    name = font.getGlyphOrder()[glyphs.pop()]
    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[name].draw(pen)
    x_min, _, x_max, _ = pen.bounds
    centre = (x_min + x_max) / 2 / font["head"].unitsPerEm
    assert (0.35 < centre < 0.65) if script == "Hant" else centre < 0.35, centre
