"""Fill the English catalogue from a Python file defining T = {msgid: translation} (developer helper).

Usage: python scripts/po_fill.py translations.py [...]   then: python scripts/compile_messages.py
Existing translations are kept unless the file gives a new one; fuzzy flags are cleared for filled entries.
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "iodp" / "locale" / "en" / "LC_MESSAGES" / "django.po"

po = polib.pofile(str(PO))
table = {}
for source in sys.argv[1:]:
    table.update(runpy.run_path(source)["T"])
filled = 0
for entry in po:
    if entry.msgid in table:
        entry.msgstr = table[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
po.save()
missing = [e.msgid for e in po.untranslated_entries()]
print(f"filled {filled}; untranslated {len(missing)}")
for msgid in missing:
    print("  ", msgid)
