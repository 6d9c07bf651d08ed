# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models

from .vp_config_guard_model_mixin import _guard


class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"

    @api.model_create_multi
    def create(self, vals_list):
        _guard(self.env)._check_model_ids(
            [v.get("model_id") for v in vals_list], self.env._("Server action")
        )
        return super().create(vals_list)

    def write(self, vals):
        guard = _guard(self.env)
        guard._check_model_ids(
            [*self.model_id.ids, vals.get("model_id")], self.env._("Server action")
        )
        return super().write(vals)

    def unlink(self):
        _guard(self.env)._check_model_ids(self.model_id.ids, self.env._("Server action"))
        return super().unlink()
