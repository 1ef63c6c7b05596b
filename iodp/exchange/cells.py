"""Cell values that are safe to hand to a spreadsheet program.

A text cell that begins with =, +, -, @, a tab or a carriage return may be run as a formula by Excel, WPS or
LibreOffice (directly, or after the sheet is re-saved as CSV): OWASP's CSV-injection guidance is to prefix such
a value with a single quote, which every spreadsheet shows as text. The importer strips that quote again, so an
exported file imports back unchanged.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralize(text: str) -> str:
    """`text` as it may stand in a cell: quoted when a spreadsheet would read it as a formula."""
    return QUOTE + text if text.startswith(FORMULA_PREFIXES) else text


def unneutralize(text: str) -> str:
    """The value `neutralize` was given: the protective quote of an exported cell comes off on import."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text
