# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError


class VpSudoOnlyMixin(models.AbstractModel):
    """Records that only the addon's own code creates, changes or deletes (as the
    superuser or through ``sudo()``, after its own checks). A user is refused each
    operation named in the model's ``_vp_refused`` (``create``, ``write``, ``unlink``),
    with its message (an ``_lt``); writing only fields of ``_vp_user_fields`` stays open
    to the access rights and rules."""

    _name = "vp.sudo.only.mixin"
    _description = "Written by the addon's code only"
    _vp_refused = {}
    _vp_user_fields = frozenset()

    def _vp_check_sudo(self, operation, fnames=None):
        message = self._vp_refused.get(operation)
        if message is None or self.env.su:
            return
        if fnames is not None and set(fnames) <= self._vp_user_fields:
            return
        raise AccessError(self.env._(message))

    @api.model_create_multi
    def create(self, vals_list):
        self._vp_check_sudo("create")
        return super().create(vals_list)

    def write(self, vals):
        self._vp_check_sudo("write", vals)
        return super().write(vals)

    def unlink(self):
        self._vp_check_sudo("unlink")
        return super().unlink()
