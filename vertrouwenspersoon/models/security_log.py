from odoo import api, fields, models

# Events that are not about one case: every counsellor sees them.
GLOBAL_EVENTS = ("group_add", "group_remove")


class VpSecurityLog(models.Model):
    """Append-only log of events a counsellor must be able to check: who was given access
    to a case, who joined or left the counsellor group, retention decisions.

    Nobody has write or unlink rights; lines are created with sudo by ``_log``. A
    counsellor reads the lines of their own cases and the group events (record rule).
    """

    _name = "vp.security.log"
    _description = "Counsellor security log"
    _order = "date desc, id desc"
    _rec_name = "event"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    event = fields.Selection(
        [
            ("case_create", "Case created"),
            ("reassign", "Case handed over"),
            ("share", "Case shared with deputy"),
            ("revoke", "Deputy access revoked"),
            ("group_add", "Added to counsellor group"),
            ("group_remove", "Removed from counsellor group"),
            ("retention_extend", "Retention extended"),
            ("retention_destroy", "Content destroyed (retention)"),
        ],
        required=True,
        readonly=True,
    )
    actor_id = fields.Many2one("res.users", string="Done by", readonly=True, ondelete="set null")
    user_id = fields.Many2one(
        "res.users", string="User concerned", readonly=True, ondelete="set null"
    )
    case_id = fields.Many2one("vp.case", readonly=True, ondelete="cascade", index=True)
    description = fields.Text(readonly=True)

    @api.model
    def _log(self, event, description, case=None, user=None):
        """Write one log line. Call as ``env["vp.security.log"].sudo()._log(...)``."""
        return self.sudo().create(
            {
                "event": event,
                "description": description,
                "case_id": case.id if case else False,
                "user_id": user.id if user else False,
                "actor_id": self.env.uid,
            }
        )
