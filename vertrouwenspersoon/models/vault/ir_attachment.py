# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The compiled web-client bundles (``ir.attachment`` under ``/web/assets/``) are the
JavaScript every counsellor's browser runs while the vault is open: only Odoo's bundle
builder may write them. An administrator who stores a bundle of their own through the
ORM (RPC, server action, ``sudo()``) is refused; a database administrator who does it in
SQL is detected by the configuration guard (vp_config_guard.py)."""

import sys

from odoo import api, models

from odoo.addons.base.models import assetsbundle, ir_attachment

BUNDLE_PREFIX = "/web/assets/"


def _builder_on_stack():
    """True inside Odoo's bundle builder (every function of assetsbundle.py, code no
    administrator can change) or its ``regenerate_assets_bundles``."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_filename == assetsbundle.__file__ or (
            code.co_filename == ir_attachment.__file__
            and code.co_name == "regenerate_assets_bundles"
        ):
            return True
        frame = frame.f_back
    return False


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _vp_check_bundle_write(self, urls):
        guard = self.env["vp.config.guard"]
        if guard._installing():
            return
        if any((url or "").startswith(BUNDLE_PREFIX) for url in urls) and not (_builder_on_stack()):
            guard._refuse(self.env._("Compiled web assets"))

    @api.model_create_multi
    def create(self, vals_list):
        self._vp_check_bundle_write([vals.get("url") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        urls = [vals.get("url")]
        if self:
            # the url of existing rows (no sudo needed to know where they point)
            self.env.cr.execute("SELECT url FROM ir_attachment WHERE id IN %s", [tuple(self.ids)])
            urls += [row[0] for row in self.env.cr.fetchall()]
        self._vp_check_bundle_write(urls)
        return super().write(vals)

    def unlink(self):
        if self:
            self.env.cr.execute("SELECT url FROM ir_attachment WHERE id IN %s", [tuple(self.ids)])
            self._vp_check_bundle_write([row[0] for row in self.env.cr.fetchall()])
        return super().unlink()
