# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from .vp_config_guard_model_mixin import _guard


class IrUiView(models.Model):
    _name = "ir.ui.view"
    _inherit = ["ir.ui.view", "vp.config.guard.model.mixin"]

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

    def _vp_what(self):
        return self.env._("View")

    def _vp_check(self, vals_list):
        guard = _guard(self.env)
        if guard._installing():
            return
        if not self:  # create
            for vals in vals_list:
                if self._vp_touches_addon(vals):
                    guard._refuse(self.env._("View %s", vals.get("name") or ""))
        elif self._vp_touches_addon(vals_list[0] if vals_list else None):
            guard._refuse(self.env._("View %s", ", ".join(self.mapped("name"))))

    def _vp_logged(self):
        # QWeb views render pages; form and list views only lay out fields
        return self.filtered(lambda view: view.type == "qweb")
