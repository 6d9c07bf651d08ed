# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class VpShareMixin(models.AbstractModel):
    """A record its counsellor shares with a colleague counsellor, takes back (revoke) or
    hands over, each through the small dialog ``_share_wizard`` (a
    vp.share.wizard.mixin). The model writes ``action_share_with``, ``action_revoke``
    and ``action_hand_over`` (each taking the colleague) and ``_check_may_share``."""

    _name = "vp.share.mixin"
    _description = "Shared with colleague counsellors"
    _share_wizard = None  # the dialog's model

    def _check_may_share(self):
        """Raise unless the current user may share, revoke and hand over these records."""
        raise NotImplementedError

    def action_open_share_wizard(self, mode="share"):
        self._check_may_share()
        wizard = self.env[self._share_wizard]
        return {
            "type": "ir.actions.act_window",
            "res_model": wizard._name,
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{wizard._shared_field}": self.id, "default_mode": mode},
        }

    def action_open_revoke_wizard(self):
        return self.action_open_share_wizard(mode="revoke")

    def action_open_hand_over_wizard(self):
        return self.action_open_share_wizard(mode="hand_over")
