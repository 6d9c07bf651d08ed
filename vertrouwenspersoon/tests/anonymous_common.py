# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fixture of the anonymous channel tests: two counsellors with a profile and a vault,
one user per role of the threat model, cheap scrypt for codes and vaults (tests only)."""

from unittest.mock import patch

from odoo import SUPERUSER_ID

from ..models.conversation.vp_conversation import CodeError
from ..models.vault import vp_vault as vault_module
from ..tools import receipt_code
from .booking_common import add_two_counsellors
from .common import VAULT_PASS, outsider_roles, setup_vaults

FAST_CODE_KDF = {"alg": "scrypt", "n": 2**10, "r": 8, "p": 1}
MARKER = "Zonnebloemkwestie van afdeling Klaproos"
FILE_MARKER = b"Bijlage over de Klaproosvergadering"


class AnonymousFixture:
    @classmethod
    def setup_anonymous(cls):
        env = cls.env
        patcher = patch.object(receipt_code, "KDF_PARAMS", FAST_CODE_KDF)
        patcher.start()
        cls.addClassCleanup(patcher.stop)
        add_two_counsellors(cls, "vp_a", "Anoniem")
        cls.roles = outsider_roles(env, "vp_a", cls.other_counsellor)
        cls.employee = cls.roles["employee"]
        cls.employee.email = "emp.anon@example.com"
        setup_vaults(cls, cls.counsellor, cls.other_counsellor, unlock=[cls.counsellor])
        cls.addClassCleanup(vault_module._PROCESS_KEYS.clear)

    @classmethod
    def neutral(cls):
        """The environment of the anonymous page (the superuser)."""
        return cls.env(user=SUPERUSER_ID)["vp.conversation"]

    @classmethod
    def start(cls, body=MARKER, profile="default", attachment=None):
        profile = cls.profile if profile == "default" else profile
        profile = profile or cls.env["vp.counsellor"]
        return cls.neutral()._start(profile.with_env(cls.env(user=SUPERUSER_ID)), body, attachment)

    @classmethod
    def as_counsellor(cls, conversation, user=None):
        return conversation.with_user(user or cls.counsellor)

    def try_code(self, code, client="client"):
        """Open with ``code`` as the page does: a refusal is returned, not raised, and
        what it wrote (the counters) stays, as the controller commits it."""
        try:
            return self.neutral()._open_with_code(code, client)
        except CodeError as exc:
            return exc.args[0]

    def unlock(self, user):
        self.env(user=user)["vp.vault"].unlock(VAULT_PASS)
        self.addCleanup(self.env(user=user)["vp.vault"].lock)
