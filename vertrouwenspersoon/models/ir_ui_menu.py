# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    @api.model
    def _visible_menu_ids(self, debug=False):
        """A counsellor has the app of their own work: the employees' booking app, with
        the same name, would only be a second "Vertrouwenspersoon" on their home screen
        (the booking page stays open to them under /my)."""
        visible = super()._visible_menu_ids(debug=debug)
        if self.env.user.has_group("vertrouwenspersoon.group_vp_counsellor"):
            tile = self.env.ref("vertrouwenspersoon.menu_vp_portal_page", raise_if_not_found=False)
            if tile and tile.id in visible:
                visible = visible - {tile.id}
        return visible
