# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Refuse configuration of the vault models, and log changes of what can run in a
counsellor's request (see vp_config_guard.py for why)."""

from odoo import api, models


def _guard(env):
    return env["vp.config.guard"]


class _VaultModelConfig(models.AbstractModel):
    """Configuration that could run inside a counsellor's request: refuse creating,
    changing or deleting what reaches a vault model (``_vp_check``), and log the changes
    of ``_vp_logged`` in the security log."""

    _name = "vp.config.guard.model.mixin"
    _description = "Guarded configuration of the vault models"

    def _vp_what(self):
        """What these records are, in the refusal and (one of LABELS) in the log."""
        return self._description

    def _vp_check(self, vals_list):
        """Raise if the change reaches a vault model: a create (``self`` empty) or write
        of ``vals_list``, or an unlink (``vals_list`` None). By default: the records'
        ``model_id`` or the one written."""
        model_ids = [*self.model_id.ids, *(vals.get("model_id") for vals in vals_list or ())]
        _guard(self.env)._check_model_ids(model_ids, self._vp_what())

    def _vp_logged(self):
        """The records whose changes go into the security log: none by default (what
        reaches a vault model is refused, the rest cannot run in a counsellor's work)."""
        return self.browse()

    @api.model_create_multi
    def create(self, vals_list):
        self.browse()._vp_check(vals_list)
        records = super().create(vals_list)
        _guard(self.env)._log_change(self._vp_what(), records._vp_logged(), "create")
        return records

    def write(self, vals):
        self._vp_check([vals])
        _guard(self.env)._log_change(self._vp_what(), self._vp_logged(), "write")
        return super().write(vals)

    def unlink(self):
        self._vp_check(None)
        _guard(self.env)._log_change(self._vp_what(), self._vp_logged(), "unlink")
        return super().unlink()
