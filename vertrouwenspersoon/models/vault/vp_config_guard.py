# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Configuration that runs inside a counsellor's request: refused, logged and detected.

*Refused* (outside module installation): custom fields on the vault models or reaching
them through a relation, server actions, automations, mail templates, record rules,
access rights and audit-log rules on them, and views of them or inheriting the addon's
views. Every other change of the guarded configuration made through Odoo is written to
the hash-chained security log, so a change made and undone between two unlocks still
shows.

*Detected* (what cannot be refused, and what a database administrator writes in SQL):
:meth:`VpConfigGuard._snapshot` fingerprints, row by row, every piece of configuration
that can put code or markup into a counsellor's request (all QWeb views and the views of
the vault models, assets, installed modules, custom fields, server actions, automations,
rules, access rights, mail templates, audit-log rules). Each counsellor's vault keeps the
snapshot they last accepted, encrypted; the vault does not unlock while the current one
differs until the counsellor has seen the changes. While unlocked, a cheap *pulse* over
the row versions of the same tables (PostgreSQL's ``xmin``/``ctid``, which no SQL
statement can set) is compared on every decrypting request; when it moves, the full
snapshot is compared and the vault locks if anything changed.
"""

import hashlib

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG as UNINSTALLING

from . import vault_gate
from .ir_attachment import BUNDLE_PREFIX

ADDON = "vertrouwenspersoon"


VAULT_MODEL_SQL = "LIKE 'vp.%%'"


def _spec():
    """(table, label, where, content expression, name expression[, key expression]) per
    guarded table; the key expression (the row id by default) names a row.

    The content expression is what is hashed: a change of any of it is a change. All
    parts are constants of this module (no user input reaches these SQL texts).
    """
    vp_model_ids = f"(SELECT id FROM ir_model WHERE model {VAULT_MODEL_SQL})"
    view_content = (
        "concat_ws('|', t.name, t.key, t.model, t.type, t.mode, t.active, t.priority,"
        " t.inherit_id, t.arch_db::text, t.arch_fs, t.arch_prev)"
    )
    asset_content = (
        "concat_ws('|', t.name, t.bundle, t.directive, t.path, t.target, t.active, t.sequence)"
    )
    field_content = (
        "concat_ws('|', t.model, t.name, t.ttype, t.relation, t.related, t.compute,"
        " t.depends, t.store, t.state)"
    )
    rule_content = (
        "concat_ws('|', t.model_id, t.domain_force, t.active, t.global, t.perm_read,"
        " t.perm_write, t.perm_create, t.perm_unlink, (SELECT string_agg(g.group_id::text,"
        " ',' ORDER BY g.group_id) FROM rule_group_rel g WHERE g.rule_group_id = t.id))"
    )
    access_content = (
        "concat_ws('|', t.model_id, t.group_id, t.active, t.perm_read, t.perm_write,"
        " t.perm_create, t.perm_unlink)"
    )
    template_content = (
        "concat_ws('|', t.model_id, t.subject::text, t.body_html::text, t.email_to,"
        " t.partner_to, t.active)"
    )
    automation_content = (
        "concat_ws('|', t.model_id, t.trigger, t.active, t.filter_domain, t.filter_pre_domain)"
    )
    audit_content = (
        "concat_ws('|', t.model_id, t.state, t.log_read, t.log_write, t.log_create, t.log_unlink)"
    )
    return [
        (
            "ir_ui_view",
            "View",
            f"t.type = 'qweb' OR t.model {VAULT_MODEL_SQL}",
            view_content,
            "concat_ws(' ', t.name, '(' || t.key || ')')",
        ),
        ("ir_asset", "Web asset", "TRUE", asset_content, "concat(t.bundle, ': ', t.path)"),
        (
            "ir_module_module",
            "Installed module",
            "t.state IN ('installed', 'to upgrade', 'to remove', 'to install')",
            "concat_ws('|', t.name, t.state, t.latest_version)",
            "t.name",
        ),
        (
            "ir_model_fields",
            "Custom field",
            f"t.state = 'manual' OR t.relation {VAULT_MODEL_SQL}",
            field_content,
            "concat(t.model, '.', t.name)",
        ),
        (
            "ir_act_server",
            "Server action",
            f"t.model_id IN {vp_model_ids}",
            "concat_ws('|', t.model_id, t.state, t.code, t.usage, t.binding_model_id)",
            "t.name::text",
        ),
        ("ir_rule", "Record rule", f"t.model_id IN {vp_model_ids}", rule_content, "t.name"),
        (
            "ir_model_access",
            "Access right",
            f"t.model_id IN {vp_model_ids}",
            access_content,
            "t.name",
        ),
        (
            "mail_template",
            "Mail template",
            f"t.model_id IN {vp_model_ids}",
            template_content,
            "t.name::text",
        ),
        (
            "base_automation",
            "Automation rule",
            f"t.model_id IN {vp_model_ids}",
            automation_content,
            "t.name::text",
        ),
        ("auditlog_rule", "Audit-log rule", "TRUE", audit_content, "t.name"),
        # keyed by address, not row: Odoo builds a bundle anew (a new row) whenever it is
        # missing, so only a different content at the same address is a change
        (
            "ir_attachment",
            "Compiled web assets",
            f"t.url LIKE '{BUNDLE_PREFIX}%%'",
            (
                "concat_ws('|', t.url, t.type, t.mimetype, t.public, t.res_model, t.res_id,"
                " t.create_uid, t.checksum, t.store_fname, md5(t.db_datas), t.file_size)"
            ),
            "t.url",
            "t.url",
        ),
    ]


# tables whose rows come and go with Odoo's own work: only a changed row is a change
_CHANGES_ONLY = {"ir_attachment"}


def _with_key(entry):
    return entry if len(entry) == 6 else (*entry, "t.id")


def _guard_model_ids(cls, what):
    """Wrap ``create`` and ``write`` of a model with a ``model_id`` on its registry class
    (built anew at every registry load) to refuse records about the vault models."""
    if cls.__dict__.get("_vp_guarded"):
        return
    create, write = cls.create, cls.write

    @api.model_create_multi
    def guarded_create(self, vals_list):
        guard = self.env["vp.config.guard"]
        guard._check_model_ids([v.get("model_id") for v in vals_list], guard._label(what))
        records = create(self, vals_list)
        guard._log_change(guard._label(what), records, "create")
        return records

    def guarded_write(self, vals):
        guard = self.env["vp.config.guard"]
        guard._check_model_ids([*self.model_id.ids, vals.get("model_id")], guard._label(what))
        guard._log_change(guard._label(what), self, "write")
        return write(self, vals)

    cls.create = guarded_create
    cls.write = guarded_write
    cls._vp_guarded = True


class VpConfigGuard(models.AbstractModel):
    _name = "vp.config.guard"
    _description = "Configuration guard of the vault"

    @api.model
    def _present_spec(self):
        """The guarded tables this database has (auditlog and base_automation are
        optional); known for the life of the registry, which reloads on installs."""
        registry = self.env.registry
        present = getattr(registry, "_vp_guarded_spec", None)
        if present is None:
            tables = [entry[0] for entry in _spec()]
            self.env.cr.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname = ANY(%s)"
                " AND relnamespace = 'public'::regnamespace",
                (tables,),
            )
            existing = {row[0] for row in self.env.cr.fetchall()}
            present = [entry for entry in _spec() if entry[0] in existing]
            registry._vp_guarded_spec = present
        return present

    def init(self):
        # the pulse reads the custom fields on every unlocked request: an index, not a
        # scan of every field of every model
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS ir_model_fields_vp_guard_idx ON ir_model_fields (id)"
            " WHERE state = 'manual' OR relation LIKE 'vp.%%'"
        )
        # and the compiled bundles among all attachments (a constant of this module)
        # pylint: disable=sql-injection
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS ir_attachment_vp_guard_idx ON ir_attachment (id)"
            f" WHERE url LIKE '{BUNDLE_PREFIX}%%'"
        )

    @api.model
    def _snapshot(self):
        """{"table:id": short hash} of every guarded configuration row."""
        parts = [
            f"SELECT '{table}:' || {key}, md5(string_agg({content}, ',' ORDER BY t.id))"
            f" FROM {table} t WHERE {where} GROUP BY {key}"
            for table, _label, where, content, _name, key in map(_with_key, self._present_spec())
        ]
        # table and column texts are constants of _spec
        # pylint: disable=sql-injection
        self.env.cr.execute(" UNION ALL ".join(parts))
        return {key: digest[:16] for key, digest in self.env.cr.fetchall()}

    @api.model
    def _pulse(self):
        """A cheap value that changes whenever a guarded row is inserted, changed or
        deleted, by Odoo or in SQL: the row versions (xmin) and places (ctid)."""
        # every insert or update gives a row a new xmin, every delete lowers the count
        parts = [
            f"SELECT '{table}' AS tab, count(*) AS n, coalesce(sum(t.xmin::text::bigint), 0) AS h"
            f" FROM {table} t WHERE {self._fast_where(where)}"
            for table, _label, where, *_rest in self._present_spec()
        ]
        # table and column texts are constants of _spec
        # pylint: disable=sql-injection
        self.env.cr.execute(
            "SELECT string_agg(tab || n || ':' || h, ',' ORDER BY tab)"
            f" FROM ({' UNION ALL '.join(parts)}) p"
        )
        return hashlib.sha256(self.env.cr.fetchone()[0].encode()).hexdigest()[:32]

    @api.model
    def _fast_where(self, where):
        """``where`` with the vault models' ids written out (no sub-query per request)."""
        registry = self.env.registry
        ids = getattr(registry, "_vp_model_ids", None)
        if ids is None:
            # a constant
            # pylint: disable=sql-injection
            self.env.cr.execute(f"SELECT id FROM ir_model WHERE model {VAULT_MODEL_SQL}")
            ids = registry._vp_model_ids = [row[0] for row in self.env.cr.fetchall()] or [0]
        return where.replace(
            f"(SELECT id FROM ir_model WHERE model {VAULT_MODEL_SQL})",
            "(" + ",".join(str(int(i)) for i in ids) + ")",
        )

    @api.model
    def _changes(self, old, new):
        """Readable, content-free descriptions of what differs between two snapshots."""
        keys = sorted((set(old) ^ set(new)) | {k for k in set(old) & set(new) if old[k] != new[k]})
        if not keys:
            return []
        spec = {entry[0]: entry for entry in self._present_spec()}
        changes = []
        for key in keys:
            table, res_id = key.split(":", 1)
            kind = "added" if key not in old else "removed" if key not in new else "changed"
            if table in _CHANGES_ONLY and kind != "changed":
                continue
            entry = spec.get(table)
            name, who, when = "", "", False
            if entry and kind != "removed":
                # constants of _spec; the key is a parameter
                # pylint: disable=sql-injection
                self.env.cr.execute(
                    f"SELECT {entry[4]}, u.login, t.write_date FROM {table} t "
                    f"LEFT JOIN res_users u ON u.id = t.write_uid WHERE {_with_key(entry)[5]}"
                    " = %s ORDER BY t.id DESC LIMIT 1",
                    (res_id if table in _CHANGES_ONLY else int(res_id),),
                )
                row = self.env.cr.fetchone()
                if row:
                    name, who, when = row
            changes.append(
                {
                    "key": key,
                    "kind": kind,
                    "label": self._label(entry[1] if entry else table),
                    "name": str(name or f"#{res_id}")[:120],
                    "who": who or "",
                    "date": when,
                }
            )
        return changes

    @api.model
    def _label(self, label):
        labels = {
            "View": self.env._("View"),
            "Web asset": self.env._("Web asset"),
            "Installed module": self.env._("Installed module"),
            "Custom field": self.env._("Custom field"),
            "Server action": self.env._("Server action"),
            "Record rule": self.env._("Record rule"),
            "Access right": self.env._("Access right"),
            "Mail template": self.env._("Mail template"),
            "Automation rule": self.env._("Automation rule"),
            "Audit-log rule": self.env._("Audit-log rule"),
            "Compiled web assets": self.env._("Compiled web assets"),
        }
        return labels.get(label, label)

    # ------------------------------------------------------------------ refusals

    @api.model
    def _installing(self):
        """Module installation or upgrade writes its own files' data: allowed."""
        ctx = self.env.context
        return (
            bool(ctx.get("install_mode") or ctx.get("install_module") or ctx.get(UNINSTALLING))
            or not self.env.registry.ready
        )

    @api.model
    def _is_vault_model(self, model_name):
        return bool(model_name) and model_name.startswith("vp.")

    @api.model
    def _refuse(self, what):
        raise UserError(
            self.env._(
                "%s: the confidential counsellor's data cannot be reached by configuration. "
                "Changes like this would run inside a counsellor's work with their unlocked "
                "vault, so they are refused.",
                what,
            )
        )

    @api.model
    def _check_model_ids(self, model_ids, what):
        if self._installing():
            return
        models_ = self.env["ir.model"].sudo().browse([i for i in model_ids if i])
        if any(self._is_vault_model(m.model) for m in models_):
            self._refuse(what)

    @api.model
    def _log_change(self, what, records, operation):
        """A line in the hash-chained security log for every guarded change made through
        Odoo (not for module installation): visible at every counsellor's next unlock,
        also when the change was undone in between."""
        if self._installing() or not records:
            return
        # the unlocked vaults of this transaction check the configuration again
        vault_gate.forget_checks(self.env.cr)
        names = ", ".join((r.display_name or str(r.id)) for r in records[:5])
        operations = {
            "create": self.env._("created"),
            "write": self.env._("changed"),
            "unlink": self.env._("deleted"),
        }
        self.env["vp.security.log"].sudo()._log(
            "config_change",
            self.env._(
                "%(what)s %(operation)s by %(user)s: %(names)s",
                what=what,
                operation=operations[operation],
                user=self.env.user.login,
                names=names,
            ),
        )

    # ------------------------------------------------------------------ optional modules

    def _register_hook(self):
        """Automation rules (base_automation) and audit-log rules (OCA auditlog) are not
        among this addon's dependencies; when installed, their create and write refuse
        rules on the vault models like the core models do (config_guard_refusals)."""
        super()._register_hook()
        for model_name, what in (
            ("base.automation", "Automation rule"),
            ("auditlog.rule", "Audit-log rule"),
        ):
            if model_name in self.env:
                _guard_model_ids(type(self.env[model_name]), what)
