"""A district record added to data/ appears everywhere on the next build, with no template change."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from conftest import run_cli

# Synthetic: a district that does not exist, used only by this test.
SYNTHETIC_PLACES = """
      - id: xinqu
        level: district
        zh: 新区
        en: Xinqu District
        en_short: Xinqu
        note: synthetic, for tests only
"""

SYNTHETIC_RECORD = """\
# SYNTHETIC test record: not a real district, not in data/.
id: xinqu
place: xinqu
headline: {zh: 新区：测试记录, en: "Xinqu: a test record"}
source: {doc: source-article, section: 测试}
pairings:
  - relation: east-west-cooperation
    places: [luoping, mojiang]
blocks:
  - id: pairing
    theme: pairing
    items:
      - id: villages-schools
        period: current
        text:
          zh: 新区结对{xinqu-villages}贫困村，结对{xinqu-schools}学校
          en: "Xinqu has paired with {xinqu-villages} poor villages and {xinqu-schools} schools"
        facts:
          - {id: xinqu-villages, measure: villages-paired, value: 321, unit: items, qualifier: exact, period: current, src: synthetic}
          - {id: xinqu-schools, measure: schools-paired, value: 17, unit: institutions, qualifier: exact, period: current, src: synthetic}
        src: synthetic
"""


def test_a_new_district_appears_in_tables_charts_sheets_and_releases(project_copy: Path, tmp_path: Path):
    gazetteer = project_copy / "data/gazetteer.yaml"
    text = gazetteer.read_text(encoding="utf-8")
    anchor = "    children:\n      - id: baoshan\n"
    assert anchor in text
    gazetteer.write_text(text.replace(anchor, "    children:" + SYNTHETIC_PLACES + "      - id: baoshan\n"),
                         encoding="utf-8")
    (project_copy / "data/districts/xinqu.yaml").write_text(SYNTHETIC_RECORD, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--output", str(out))
    assert result.returncode == 0, result.stderr

    for lang, name, figure in (("zh", "新区", "321个"), ("en", "Xinqu", "321")):
        brief = (out / lang / "briefs/comparison.html").read_text(encoding="utf-8")
        # A fifth district: the districts are the rows of every indicator table (docs/templates.md)
        tables = re.findall(r'<table class="data indicators by-district">.*?</table>', brief, re.S)
        assert len(tables) == 3 and all(f'<th scope="row">{name}</th>' in t for t in tables)
        assert re.search(f'<span class="figure" data-ref="[a-z0-9-]+">{figure}</span>', brief)
        svgs = [base64.b64decode(m).decode("utf-8") for m in
                re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', brief)]
        assert any(f">{name}<" in svg for svg in svgs)  # in the paired-counties chart
        assert any(">321<" in svg for svg in svgs)  # and charted among the villages paired at present
        assert (out / lang / "briefs/xinqu.html").is_file()
        release = (out / lang / "press/district-xinqu.html").read_text(encoding="utf-8")
        assert figure in release
