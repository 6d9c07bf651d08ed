# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The note on a time entry is content: a vault drop for the counsellor only."""

from odoo import fields, models

from .vault_drop import encrypted_field
from .vault_legacy import _with_vault, encrypt_legacy_columns

COMPUTE = "_compute_vault_drop_content"


class VpTimeEntry(models.Model):
    _name = "vp.time.entry"
    _inherit = ["vp.time.entry", "vp.vault.drop.mixin"]

    _vault_fields = ("note",)
    _vault_counsellor_field = "counsellor_id"

    note = encrypted_field(fields.Char, "note", compute=COMPUTE)
    note_enc = fields.Text(copy=False)

    def init(self):
        result = super().init()
        encrypt_legacy_columns(self, self._encrypt_legacy_value)
        return result

    def _encrypt_legacy_value(self, record, fname, value):
        readers = _with_vault(self.env, record.sudo().counsellor_id)
        return None if readers is None else record._vault_drop_for(readers, fname, value)
