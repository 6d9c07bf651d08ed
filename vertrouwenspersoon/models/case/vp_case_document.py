from odoo import api, fields, models


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
