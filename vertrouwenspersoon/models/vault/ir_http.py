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
