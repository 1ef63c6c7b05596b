"""Fail when a compiled .mo file is missing or older than its .po (run scripts/compile_messages.py)."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "iodp" / "locale"
stale = []
for po_path in ROOT.glob("*/LC_MESSAGES/django.po"):
    mo_path = po_path.with_suffix(".mo")
    po = polib.pofile(str(po_path))
    expected = {e.msgid: e.msgstr for e in po.translated_entries()}
    actual = {e.msgid: e.msgstr for e in polib.mofile(str(mo_path))} if mo_path.exists() else {}
    actual.pop("", None)
    if expected != actual:
        stale.append(str(mo_path.relative_to(ROOT)))
if stale:
    sys.exit(f"Out-of-date translations: {', '.join(stale)}. Run: .venv/bin/python scripts/compile_messages.py")
print("translations up to date")
