# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class VpConfigSettings(models.TransientModel):
    """The functional administrator's settings form: the fields of vp.settings, nothing
    else. Odoo gives res.config.settings to Settings administrators only (its access right
    is base.group_system's, and its execute() refuses anyone else), and giving it to more
    users would let them store any setting of any module through set_values(); so the
    functional administrator gets this form, which writes only the addon's parameters."""

    _name = "vp.config.settings"
    _inherit = "vp.settings"
    _description = "Confidential counsellor settings"

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        values.update(self._vp_current_values(fields_list))
        return values

    def action_save(self):
        self.check_access("write")
        self._vp_write_settings()
        return {"type": "ir.actions.client", "tag": "reload"}
