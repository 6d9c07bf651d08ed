# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class VpConfigSettings(models.TransientModel):
    """The functional administrator's settings form: the fields of vp.settings, nothing
    else. Odoo gives res.config.settings to Settings administrators only (its access right
    is base.group_system's, and its execute() refuses anyone else), and giving it to more
    users would let them store any setting of any module through set_values(); so the
    functional administrator gets this form, which writes only the addon's parameters."""

    _name = "vp.config.settings"
    _inherit = "vp.settings"
    _description = "Confidential counsellor settings"

    def action_save(self):
        self.check_access("write")
        self._vp_write_settings()
        return {"type": "ir.actions.client", "tag": "reload"}
