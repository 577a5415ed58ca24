"""Make a SYNTHETIC project of N districts for the benchmark (never in data/).

Each synthetic district clones one of the four real records (figures multiplied by a whole number,
so parts, sums and bounds stay consistent), under a made-up Shanghai district in a copy of the
gazetteer. Everything it writes is marked synthetic.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL = ["baoshan", "minhang", "jiading", "jinshan"]
KEEP_UNITS = {"percent", "yuan-per-mu", "yuan-per-year", "metres", "years"}


def _scale(record: dict, k: int) -> None:
    for block in record["blocks"]:
        for item in block["items"]:
            for fact in item.get("facts", []):
                if fact.get("listed") or fact["unit"] in KEEP_UNITS or fact.get("value") is None:
                    continue
                if fact.get("at_most_product") or fact.get("growth_of"):
                    continue
                fact["value"] = fact["value"] * k
                if fact.get("value_to") is not None:
                    fact["value_to"] = fact["value_to"] * k


def make(dest: Path, count: int) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(ROOT / "templates", dest / "templates")
    (dest / "data" / "districts").mkdir(parents=True)
    for name in ("glossary", "measures"):
        shutil.copy(ROOT / "data" / f"{name}.yaml", dest / "data" / f"{name}.yaml")
    gazetteer = (ROOT / "data/gazetteer.yaml").read_text(encoding="utf-8")
    places = "".join(
        f"      - id: synth-{i:03d}\n        level: district\n        zh: 合成{i}区\n        en: Synthetic District {i}\n"
        f"        en_short: Synthetic {i}\n        note: SYNTHETIC, for the benchmark only\n"
        for i in range(1, count + 1))
    anchor = "    children:\n      - id: baoshan\n"
    (dest / "data/gazetteer.yaml").write_text(gazetteer.replace(anchor, "    children:\n" + places + "      - id: baoshan\n"),
                                              encoding="utf-8")
    ids = []
    for i in range(1, count + 1):
        real = REAL[(i - 1) % 4]
        record = yaml.safe_load((ROOT / "data/districts" / f"{real}.yaml").read_text(encoding="utf-8"))
        did = f"synth-{i:03d}"
        record["id"] = did
        record["place"] = did
        _scale(record, 1 + (i - 1) // 4 % 3)
        text = "# SYNTHETIC benchmark record, cloned from data/districts/%s.yaml\n" % real
        text += yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000)
        (dest / "data/districts" / f"{did}.yaml").write_text(text, encoding="utf-8")
        ids.append(did)
    series = yaml.safe_load((ROOT / "data/series.yaml").read_text(encoding="utf-8"))
    # Four districts an instalment, one instalment a day of the series' run (a long series runs two a day).
    first, last = (dt.date.fromisoformat(series[key]) for key in ("run_from", "run_to"))
    days = (last - first).days + 1
    series["instalments"] = [{"id": f"synthetic-{n + 1:02d}", "districts": ids[n * 4:(n + 1) * 4],
                              "date": (first + dt.timedelta(days=n % days)).isoformat()}
                             for n in range((len(ids) + 3) // 4)]
    (dest / "data/series.yaml").write_text("# SYNTHETIC benchmark series\n" + yaml.safe_dump(
        series, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return dest


if __name__ == "__main__":
    print(make(Path(sys.argv[1]), int(sys.argv[2])))
