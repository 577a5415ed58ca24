"""Language: the per-language wording of figures, periods and lists, and Han conversion."""
