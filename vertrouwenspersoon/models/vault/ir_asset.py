# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models

from .vp_config_guard_model_mixin import _guard


class IrAsset(models.Model):
    """Scripts and styles of the web client and the portal: not refused (an organisation
    may brand its Odoo), but logged and fingerprinted (config_guard)."""

    _inherit = "ir.asset"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        _guard(self.env)._log_change(self.env._("Web asset"), records, "create")
        return records

    def write(self, vals):
        _guard(self.env)._log_change(self.env._("Web asset"), self, "write")
        return super().write(vals)

    def unlink(self):
        _guard(self.env)._log_change(self.env._("Web asset"), self, "unlink")
        return super().unlink()
