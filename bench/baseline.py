"""The bare baseline the benchmark measures against: stock WeasyPrint, the full fonts, one document.

Usage: python bench/baseline.py IN.html OUT.pdf FONTS.css
It renders the toolkit's own HTML (same content, same print CSS) the obvious way: a new process,
`import weasyprint`, the full CJK fonts by @font-face, WeasyPrint's own subsetting.
"""

import sys

from weasyprint import CSS, HTML

source, target, fonts = sys.argv[1:4]
with open(fonts, encoding="utf-8") as fh:
    font_css = fh.read()
HTML(filename=source).write_pdf(target, stylesheets=[CSS(string=font_css)])
