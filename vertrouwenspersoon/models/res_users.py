# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

COUNSELLOR_GROUP = "vertrouwenspersoon.group_vp_counsellor"


def counsellor_domain(model):
    """The users of the counsellor group: the ``domain`` of every counsellor field."""
    return [("groups_id", "in", model.env.ref(COUNSELLOR_GROUP).ids)]


def counsellor_field(**kwargs):
    """The counsellor a record belongs to: a user of the counsellor group, kept (restrict)
    as long as records point to them. ``kwargs`` add to or override these defaults."""
    kwargs = {
        "string": "Counsellor",
        "ondelete": "restrict",
        "index": True,
        "domain": counsellor_domain,
        **kwargs,
    }
    return fields.Many2one("res.users", **kwargs)


def _counsellor_ids(env):
    group = env.ref(COUNSELLOR_GROUP, raise_if_not_found=False)
    if not group:
        return set()
    group = group.sudo()
    env.flush_all()
    group.invalidate_recordset(["users"])
    return set(group.users.ids)


def _log_membership(env, before):
    # imported here: the vault package imports this module while it loads
    from .vault.security_log_text import _lt  # noqa: PLC0415

    after = _counsellor_ids(env)
    if before == after:
        return
    log = env["vp.security.log"].sudo()
    users = env["res.users"].sudo().with_context(active_test=False)
    actor = env.user.name
    for event, uids in (("group_add", after - before), ("group_remove", before - after)):
        for uid in sorted(uids):
            user = users.browse(uid).exists()
            name = user.name or f"#{uid}"
            if event == "group_add":
                text = _lt(
                    "%(user)s was added to the counsellor group by %(actor)s.",
                    user=name,
                    actor=actor,
                )
            else:
                text = _lt(
                    "%(user)s was removed from the counsellor group by %(actor)s.",
                    user=name,
                    actor=actor,
                )
            log._log(event, text, user=user)


def _touches_groups(vals):
    return any(
        key in ("groups_id", "active") or key.startswith(("in_group_", "sel_groups_"))
        for key in vals
    )


class ResUsers(models.Model):
    """Log every change of who is a counsellor: an administrator adding themselves to the
    group is the obvious way around the record rules, so counsellors must see it."""

    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        before = _counsellor_ids(self.env)
        users = super().create(vals_list)
        _log_membership(self.env, before)
        return users

    def write(self, vals):
        if not _touches_groups(vals):
            return super().write(vals)
        before = _counsellor_ids(self.env)
        result = super().write(vals)
        _log_membership(self.env, before)
        return result

    def unlink(self):
        before = _counsellor_ids(self.env)
        result = super().unlink()
        _log_membership(self.env, before)
        return result
