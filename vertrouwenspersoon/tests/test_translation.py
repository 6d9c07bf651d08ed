# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

PO_FILE = Path(__file__).resolve().parent.parent / "i18n" / "nl.po"


@tagged("post_install", "-at_install")
class TestDutchTranslation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po = {entry.msgid: entry.msgstr for entry in polib.pofile(str(PO_FILE))}

    def _terms(self, lang=None):
        reader = TranslationModuleReader(self.env.cr, ["vertrouwenspersoon"], lang=lang)
        return [row for row in reader if row[0] == "vertrouwenspersoon"]

    def test_every_source_string_has_a_dutch_translation(self):
        """Counsellors work in Dutch: nl.po must translate every term of the addon."""
        translated = {msgid for msgid, msgstr in self.po.items() if msgstr}
        missing = sorted({row[4] for row in self._terms()} - translated)
        self.assertFalse(
            missing,
            "Missing in i18n/nl.po (run `make i18n`, then translate):\n" + "\n".join(missing),
        )

    def test_translations_land_on_the_right_terms(self):
        """Each record, field and selection value shows its own Dutch text.

        Odoo applies a .po entry to the records named in its occurrence comments; a
        mangled file can give a selection value the translation of another term.
        """
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(
            ["vertrouwenspersoon"], ["nl_NL"], overwrite=True
        )
        wrong = [
            f"{name}: {source!r} shows as {value!r}, expected {self.po[source]!r}"
            for _module, kind, name, _res_id, source, value, _comments in self._terms("nl_NL")
            if kind == "model" and value and source in self.po and value != self.po[source]
        ]
        self.assertFalse(wrong, "\n".join(wrong[:20]))
