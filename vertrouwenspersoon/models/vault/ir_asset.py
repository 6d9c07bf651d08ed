# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class IrAsset(models.Model):
    """Scripts and styles of the web client and the portal: not refused (an organisation
    may brand its Odoo), but logged and fingerprinted (config_guard)."""

    _name = "ir.asset"
    _inherit = ["ir.asset", "vp.config.guard.model.mixin"]

    def _vp_what(self):
        return self.env._("Web asset")

    def _vp_check(self, vals_list):
        return

    def _vp_logged(self):
        return self
