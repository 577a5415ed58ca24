"""aidreport: bilingual documents of Shanghai districts' paired-assistance work, from YAML records."""

__version__ = "0.1.0"
