"""Compile every iodp/locale/*/LC_MESSAGES/django.po to .mo with polib (no GNU gettext needed)."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "iodp" / "locale"

for po_path in sorted(ROOT.glob("*/LC_MESSAGES/django.po")):
    po = polib.pofile(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"{po_path.relative_to(ROOT)}: {len(po.translated_entries())} translated, "
          f"{len(po.untranslated_entries())} untranslated")
