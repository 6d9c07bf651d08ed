# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..vault.vp_vault_drop_mixin import _with_vault, encrypt_legacy_columns, encrypted_field


class VpCaseDocument(models.Model):
    """A file belonging to a case. Stored in its own table, never as ir.attachment, so
    no copy lands in the filestore or in the attachment list other users can search.
    """

    _name = "vp.case.document"
    _description = "Case document"
    _order = "id desc"

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    name = fields.Char(string="File name", required=True)
    datas = fields.Binary(string="File", attachment=False, copy=False)
    date = fields.Date(default=fields.Date.context_today)

    @api.model_create_multi
    def create(self, vals_list):
        documents = super().create(vals_list)
        documents.case_id._check_open_for_content()
        return documents


class VpCaseDocumentRuleCheck(models.Model):
    _name = "vp.case.document"
    _inherit = ["vp.case.document", "vp.rule.check.sql.mixin"]


class VpCaseDocumentVault(models.Model):
    _name = "vp.case.document"
    _inherit = ["vp.case.document", "vp.vault.content.mixin"]

    # the file name ("verslag gesprek met ...") can name a person: content too
    _vault_fields = ("datas", "name")
    _vault_binary_fields = ("datas",)

    datas = fields.Binary(
        compute="_compute_vault_content", inverse="_inverse_datas", store=False, attachment=False
    )
    datas_enc = fields.Text(copy=False)
    name = encrypted_field(fields.Char, "name")
    name_enc = fields.Text(copy=False)

    def _vault_case(self):
        return self.case_id

    def _inverse_datas(self):
        self._vault_store("datas")


class VpCaseDocumentLegacyColumns(models.Model):
    _inherit = "vp.case.document"

    def init(self):
        result = super().init()
        encrypt_legacy_columns(self, self._encrypt_legacy_value)
        return result

    def _encrypt_legacy_value(self, document, fname, value):
        readers = _with_vault(self.env, self._vault_readers(document.case_id))
        return None if readers is None else document._vault_drop_for(readers, fname, value)
