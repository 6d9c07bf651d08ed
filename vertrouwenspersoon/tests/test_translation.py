from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

PO_FILE = Path(__file__).resolve().parent.parent / "i18n" / "nl.po"


@tagged("post_install", "-at_install")
class TestDutchTranslation(TransactionCase):
    def test_every_source_string_has_a_dutch_translation(self):
        """Counsellors work in Dutch: nl.po must translate every term of the addon."""
        translated = {entry.msgid for entry in polib.pofile(str(PO_FILE)) if entry.msgstr}
        reader = TranslationModuleReader(self.env.cr, ["vertrouwenspersoon"])
        missing = sorted({row[4] for row in reader if row[0] == "vertrouwenspersoon"} - translated)
        self.assertFalse(
            missing,
            "Missing in i18n/nl.po (run `make i18n`, then translate):\n" + "\n".join(missing),
        )
