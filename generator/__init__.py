"""aidreport: bilingual documents of Shanghai districts' paired-assistance work, from YAML records."""

__version__ = "0.1.0"

from pathlib import Path

# The toolkit's own files: their hash is in every manifest (plan.toolkit_hash), and the characters they could
# print are in the fonts (fonts/charset.py: project_charset), wherever in the package a module sits.
PACKAGE = Path(__file__).parent
