# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models

from .vp_config_guard_model_mixin import _guard


class IrUiView(models.Model):
    _inherit = "ir.ui.view"

    def _vp_touches_addon(self, vals=None):
        """A view of a vault model, or one inheriting (or being) a view of this addon."""
        guard = _guard(self.env)
        vals = vals or {}
        views = self | self.browse(vals.get("inherit_id") or [])
        if guard._is_vault_model(vals.get("model")):
            return True
        for view in views.sudo():
            chain = view
            while chain:
                if guard._is_vault_model(chain.model):
                    return True
                xmlid = chain.get_external_id().get(chain.id, "")
                if xmlid.startswith("vertrouwenspersoon."):
                    return True
                chain = chain.inherit_id
        return False

    @api.model_create_multi
    def create(self, vals_list):
        guard = _guard(self.env)
        if not guard._installing():
            for vals in vals_list:
                if self.browse()._vp_touches_addon(vals):
                    guard._refuse(self.env._("View %s", vals.get("name") or ""))
        records = super().create(vals_list)
        guard._log_change(
            self.env._("View"), records.filtered(lambda v: v.type == "qweb"), "create"
        )
        return records

    def write(self, vals):
        guard = _guard(self.env)
        if not guard._installing() and self._vp_touches_addon(vals):
            guard._refuse(self.env._("View %s", ", ".join(self.mapped("name"))))
        guard._log_change(self.env._("View"), self.filtered(lambda v: v.type == "qweb"), "write")
        return super().write(vals)

    def unlink(self):
        guard = _guard(self.env)
        if not guard._installing() and self._vp_touches_addon():
            guard._refuse(self.env._("View %s", ", ".join(self.mapped("name"))))
        guard._log_change(self.env._("View"), self.filtered(lambda v: v.type == "qweb"), "unlink")
        return super().unlink()
