# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.http import request

from . import vault_gate


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _match(cls, path_info):
        # first thing of every request with a database: before any controller, template
        # or evaluated expression runs, the vault cookie leaves the request object
        if request:
            vault_gate.stash_cookie(request.httprequest)
        return super()._match(path_info)

    @classmethod
    def _post_dispatch(cls, response):
        result = super()._post_dispatch(response)
        # a response that carries decrypted content is kept by no browser or proxy cache
        if request and vault_gate.stashed(request.httprequest).get("used"):
            response.headers["Cache-Control"] = "no-store"
        return result

    def session_info(self):
        info = super().session_info()
        if not info.get("home_action_id") and self.env.uid:
            info["home_action_id"] = self._vp_home_action_id()
        return info

    def _vp_home_action_id(self):
        """Counsellors and report readers start on their own screen (not in the first app,
        Discuss) unless the user has a home action of their own."""
        user = self.env.user
        for group, action in (
            ("vertrouwenspersoon.group_vp_counsellor", "vp_case_dashboard_action_client"),
            ("vertrouwenspersoon.group_vp_director", "vp_annual_report_action_director"),
        ):
            if user.has_group(group):
                home = self.env.ref(f"vertrouwenspersoon.{action}", raise_if_not_found=False)
                return home.id if home else False
        return False
