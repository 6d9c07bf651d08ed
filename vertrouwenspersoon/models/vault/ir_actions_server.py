# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class IrActionsServer(models.Model):
    _name = "ir.actions.server"
    _inherit = ["ir.actions.server", "vp.config.guard.model.mixin"]

    def _vp_what(self):
        return self.env._("Server action")
