# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.tests import TransactionCase, new_test_user

from ..models.vault import vp_vault as vault_module
from ..tools import vault_crypto

COUNSELLOR = "vertrouwenspersoon.group_vp_counsellor"
# The roles of the threat model, each with the groups its test user gets.
ROLES = {
    "counsellor": COUNSELLOR,
    "director": "base.group_user,vertrouwenspersoon.group_vp_director",
    "functional_admin": "vertrouwenspersoon.group_vp_manager",
    "hr_officer": "hr.group_hr_user",
    "hr_manager": "hr.group_hr_manager",
    "settings_admin": "base.group_system",
    "employee": "base.group_user",
    "portal": "base.group_portal",
}
CASE_MODELS = ("vp.case", "vp.case.contact", "vp.case.document", "vp.security.log")

MELDER = "Melder Zeldzaamnaam"
SECRET = "Geheime verklaring over afdeling Zonnebloem"
THIRD_PARTY = "Passage over collega Derdepersoon"
VAULT_PASS = "Zeven eiken in de Linde 2024"
FAST_KDF = {"alg": "scrypt", "n": 2**14, "r": 8, "p": 1}


def role_users(env, prefix, *roles):
    """One test user per role (login and password ``<prefix>_<role>``), by role."""
    return {role: new_test_user(env, f"{prefix}_{role}", groups=ROLES[role]) for role in roles}


def outsider_roles(env, prefix, other_counsellor):
    """The users who must not see a counsellor's records, by role: one per role of the
    threat model but the counsellor's own, and ``other_counsellor``."""
    roles = role_users(env, prefix, *(role for role in ROLES if role != "counsellor"))
    roles["other_counsellor"] = other_counsellor
    return roles


def add_role_users(cls, prefix, *roles):
    """The users of ``role_users`` as attributes of the test class (``cls.director``)."""
    for role, user in role_users(cls.env, prefix, *roles).items():
        setattr(cls, role, user)


def use_cheap_kdf(cls):
    """Cheap scrypt parameters for the test class (tests only), and no key left behind."""
    patcher = patch.object(vault_crypto, "KDF_PARAMS", FAST_KDF)
    patcher.start()
    cls.addClassCleanup(patcher.stop)
    cls.addClassCleanup(vault_module._PROCESS_KEYS.clear)


def setup_vaults(cls, *users, unlock=()):
    """Vaults for test counsellors (cheap scrypt: tests only); unlock some of them."""
    use_cheap_kdf(cls)
    for user in users:
        cls.env(user=user)["vp.vault"].setup(VAULT_PASS)
    for user in unlock:
        cls.env(user=user)["vp.vault"].unlock(VAULT_PASS)


class CaseCommon(TransactionCase):
    """Two counsellors, one case with content, contacts and a document, and one user
    per role of the threat model."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.counsellor = new_test_user(cls.env, "vp_t_counsellor", groups=COUNSELLOR)
        cls.other_counsellor = new_test_user(cls.env, "vp_t_other", groups=COUNSELLOR)
        cls.roles = outsider_roles(cls.env, "vp_t", cls.other_counsellor)
        setup_vaults(cls, cls.counsellor, cls.other_counsellor, unlock=[cls.counsellor])
        cls.category = cls.env.ref("vertrouwenspersoon.vp_category_bullying")
        Case = cls.env["vp.case"].with_user(cls.counsellor)
        cls.case = Case.create(
            {
                "date_intake": "2026-02-03",
                "intake_channel": "phone",
                "reporter_type": "employee",
                "accused_role": "manager",
                "category_ids": [(6, 0, cls.category.ids)],
                "melder_name": MELDER,
                "melder_contact": "06-12345678",
                "others_involved": "Leidinggevende Onbekendnaam",
                "description": SECRET,
                "notes": "Eigen aantekening",
            }
        )
        cls.contact = (
            cls.env["vp.case.contact"]
            .with_user(cls.counsellor)
            .create(
                {
                    "case_id": cls.case.id,
                    "date": "2026-02-03 10:00:00",
                    "notes": "Gesprek: " + SECRET,
                }
            )
        )
        cls.third_party_contact = (
            cls.env["vp.case.contact"]
            .with_user(cls.counsellor)
            .create(
                {
                    "case_id": cls.case.id,
                    "date": "2026-02-10 10:00:00",
                    "notes": THIRD_PARTY,
                    "concerns_third_party": True,
                }
            )
        )
        cls.document = (
            cls.env["vp.case.document"]
            .with_user(cls.counsellor)
            .create({"case_id": cls.case.id, "name": "verslag.txt", "datas": "SGFsbG8="})
        )
        cls.case_as_counsellor = cls.case.with_user(cls.counsellor)
