"""The templates and records write their own prose: no sentence of the source article is copied.

Names may repeat (companies, documents and slogans in 《》 or “”, the paired-counties box, the
masthead); running text may not share 20 or more characters in a row with the source.
Run `python tests/test_prose_is_ours.py` to list the shared runs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "seeds" / "000_e3436b8330321f4a.txt"
LIMIT = 20
_PUNCT = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_PUNCT)


def running_text(html: str) -> list[str]:
    """Return the article's own prose: paragraphs and captions, without names and the box."""
    body = html.split("<body", 1)[1]
    body = re.sub(r'<aside class="box">.*?</aside>', "", body, flags=re.S)
    body = re.sub(r'<header class="masthead">.*?</header>', "", body, flags=re.S)
    parts = re.findall(r"<(?:p|figcaption|h2|h3)[^>]*>(.*?)</(?:p|figcaption|h2|h3)>", body, flags=re.S)
    out = []
    for part in parts:
        text = re.sub(r"<[^>]+>", "", part)
        text = re.sub(r"《[^》]*》|“[^”]*”|[\w·]*(?:有限公司|公司)", "|", text)
        out.append(_norm(text))
    return out


def shared_runs(html: str, source: str) -> list[str]:
    src = _norm(source)
    runs = []
    for text in running_text(html):
        i = 0
        while i <= len(text) - LIMIT:
            if text[i : i + LIMIT] in src:
                j = i + LIMIT
                while j < len(text) and text[i : j + 1] in src:
                    j += 1
                runs.append(text[i:j])
                i = j
            else:
                i += 1
    return runs


@pytest.mark.skipif(not SOURCE.exists(), reason="the source article (../shared/seeds) is not beside the project")
def test_no_sentence_of_the_source_is_copied(built):
    html = built.path("zh", "html").read_text(encoding="utf-8")
    assert shared_runs(html, SOURCE.read_text(encoding="utf-8")) == []


if __name__ == "__main__":
    html_path = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        ROOT / "output" / "zh" / "articles" / "baoshan-minhang-jiading-jinshan.html"
    for run in shared_runs(html_path.read_text(encoding="utf-8"), SOURCE.read_text(encoding="utf-8")):
        print(len(run), run)
