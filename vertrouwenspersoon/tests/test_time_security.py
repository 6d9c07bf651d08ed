# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import setup_vaults

ROLES = {
    # internal attackers may export, so export_data reaches the access check
    "hr_officer": "hr.group_hr_user,base.group_allow_export",
    "hr_manager": "hr.group_hr_manager,base.group_allow_export",
    "employee": "base.group_user,base.group_allow_export",
    "portal": "base.group_portal",
    "director": "base.group_user,base.group_allow_export,vertrouwenspersoon.group_vp_director",
    "functional_admin": "vertrouwenspersoon.group_vp_manager,base.group_allow_export",
    "settings_admin": "base.group_system,hr.group_hr_manager",
}


@tagged("post_install", "-at_install")
class TestTimeSecurity(TransactionCase):
    """Attacks on time entries and expenses (with receipts) per role and read path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.counsellor = new_test_user(
            cls.env,
            "vp_ts_counsellor",
            groups="vertrouwenspersoon.group_vp_counsellor,base.group_allow_export",
        )
        cls.other_counsellor = new_test_user(
            cls.env,
            "vp_ts_other",
            groups="vertrouwenspersoon.group_vp_counsellor,base.group_allow_export",
        )
        cls.users = {
            role: new_test_user(cls.env, f"vp_ts_{role}", groups=groups)
            for role, groups in ROLES.items()
        }
        # a time entry's note is encrypted for its counsellor: they need a vault
        setup_vaults(cls, cls.counsellor, cls.other_counsellor, unlock=[cls.counsellor])
        cls.year = date.today().year - 5  # a past year without demo budgets
        budget = cls.env["vp.budget"].create(
            {"year": cls.year, "cost_category": "literature", "amount": 100.0}
        )
        cls.entry = (
            cls.env["vp.time.entry"]
            .with_user(cls.counsellor)
            .create(
                {
                    "date": date(cls.year, 1, 5),
                    "activity_type": "support",
                    "hours": 1.5,
                    "note": "LEAK-NOTE second talk",
                }
            )
        )
        cls.expense = (
            cls.env["vp.expense"]
            .with_user(cls.counsellor)
            .create(
                {
                    "date": date(cls.year, 1, 5),
                    "budget_id": budget.id,
                    "amount": 42.0,
                    "description": "LEAK-DESC taxi to reporter",
                    "receipt": b"TEVBSy1SRUNFSVBU",
                    "receipt_filename": "taxi.pdf",
                }
            )
        )
        cls.targets = {
            "vp.time.entry": (cls.entry, ["note", "hours", "counsellor_id"], "LEAK-NOTE"),
            "vp.expense": (cls.expense, ["description", "receipt", "amount"], "LEAK-DESC"),
        }

    def _attack_without_acl(self, user, model, record, fields):
        Model = self.env[model].with_user(user)
        with self.assertRaises(AccessError, msg=f"{user.login} read {model}"):
            record.with_user(user).read(fields)
        with self.assertRaises(AccessError, msg=f"{user.login} search {model}"):
            Model.search([])
        with self.assertRaises(AccessError, msg=f"{user.login} search_count {model}"):
            Model.search_count([])
        with self.assertRaises(AccessError, msg=f"{user.login} read_group {model}"):
            Model.read_group([], ["counsellor_id"], ["counsellor_id"])
        with self.assertRaises(AccessError, msg=f"{user.login} name_search {model}"):
            Model.name_search("LEAK")
        may_export = user._is_admin() or user.has_group("base.group_allow_export")
        exc = AccessError if may_export else UserError
        with self.assertRaises(exc, msg=f"{user.login} export_data {model}"):
            record.with_user(user).export_data(fields)
        with self.assertRaises(AccessError, msg=f"{user.login} write {model}"):
            record.with_user(user).write({"counsellor_id": user.id})
        with self.assertRaises(AccessError, msg=f"{user.login} unlink {model}"):
            record.with_user(user).unlink()

    @mute_logger(
        "odoo.models", "odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model"
    )
    def test_roles_without_access(self):
        for role, user in self.users.items():
            for model, (record, fields, _marker) in self.targets.items():
                with self.subTest(role=role, model=model):
                    self._attack_without_acl(user, model, record, fields)

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_other_counsellor_sees_nothing(self):
        user = self.other_counsellor
        for model, (record, fields, marker) in self.targets.items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(user)
                with self.assertRaises(AccessError):
                    record.with_user(user).read(fields)
                self.assertFalse(Model.search([]))
                self.assertEqual(Model.search_count([]), 0)
                self.assertFalse(
                    Model.read_group(
                        [], ["amount:sum" if model == "vp.expense" else "hours:sum"], []
                    )[0]["__count"]
                )
                self.assertEqual(Model.name_search(marker), [])
                with self.assertRaises(AccessError):
                    record.with_user(user).export_data(fields)
                with self.assertRaises(AccessError):
                    record.with_user(user).write({"counsellor_id": user.id})
                with self.assertRaises(AccessError):
                    record.with_user(user).unlink()
                # nor can a counsellor register time or costs in someone else's name
                with self.assertRaises(AccessError):
                    Model.create(
                        {
                            **record.copy_data()[0],
                            "counsellor_id": self.counsellor.id,
                        }
                    )

    def test_counsellor_sees_own_entries(self):
        user = self.counsellor
        for model, (record, fields, marker) in self.targets.items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(user)
                self.assertEqual(Model.search([]), record)
                self.assertEqual(Model.search_count([]), 1)
                self.assertEqual(record.with_user(user).read(fields)[0]["id"], record.id)
                self.assertEqual([r[0] for r in Model.name_search(marker)], [record.id])
                exported = record.with_user(user).export_data(fields)["datas"]
                self.assertIn(marker, str(exported))
        self.assertEqual(
            self.env["vp.time.entry"]
            .with_user(user)
            .read_group([], ["hours:sum"], ["activity_type"])[0]["hours"],
            1.5,
        )
        self.assertEqual(self.expense.with_user(user).receipt, b"TEVBSy1SRUNFSVBU")

    def test_functional_admin_reads_totals_only(self):
        admin = self.users["functional_admin"]
        self.env.flush_all()
        for model in ("vp.time.summary", "vp.time.guideline", "vp.expense.summary"):
            fields = self.env[model].with_user(admin).fields_get()
            for forbidden in ("note", "case_id", "description", "receipt"):
                self.assertNotIn(forbidden, fields, f"{model}.{forbidden}")
        totals = (
            self.env["vp.time.summary"]
            .with_user(admin)
            .read_group(
                [("counsellor_id", "=", self.counsellor.id)],
                ["hours:sum"],
                ["date:month", "activity_type"],
                lazy=False,
            )
        )
        self.assertEqual([(t["activity_type"], t["hours"]) for t in totals], [("support", 1.5)])
        spent = (
            self.env["vp.expense.summary"]
            .with_user(admin)
            .read_group([("year", "=", self.year)], ["amount:sum"], ["cost_category"])
        )
        self.assertEqual([(s["cost_category"], s["amount"]) for s in spent], [("literature", 42.0)])
        guideline = (
            self.env["vp.time.guideline"]
            .with_user(admin)
            .search([("counsellor_id", "=", self.counsellor.id)])
        )
        self.assertEqual(guideline.hours, 1.5)
        # and planned budgets and contracts are theirs to set
        self.env["vp.budget"].with_user(admin).create(
            {"year": self.year, "cost_category": "other", "amount": 50}
        )
        self.env["vp.counsellor.contract"].with_user(admin).create(
            {"counsellor_id": self.other_counsellor.id, "year": self.year, "hourly_rate": 95}
        )

    @mute_logger(
        "odoo.models", "odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model"
    )
    def test_totals_not_for_other_roles(self):
        self.env.flush_all()
        for role, user in self.users.items():
            if role == "functional_admin":
                continue
            for model in (
                "vp.time.summary",
                "vp.time.guideline",
                "vp.expense.summary",
                "vp.budget",
                "vp.counsellor.contract",
                "vp.time.statement",
            ):
                with self.subTest(role=role, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])

    def test_counsellor_totals_are_own(self):
        self.env.flush_all()
        for model in ("vp.time.summary", "vp.time.guideline"):
            rows = self.env[model].with_user(self.other_counsellor).search([])
            self.assertNotIn(self.counsellor, rows.counsellor_id, model)
        self.assertEqual(
            self.env["vp.time.summary"].with_user(self.counsellor).search([]).counsellor_id,
            self.counsellor,
        )

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_budget_and_contracts_read_only_for_counsellors(self):
        budget = self.env["vp.budget"].with_user(self.counsellor).search([("year", "=", self.year)])
        self.assertTrue(budget)
        with self.assertRaises(AccessError):
            budget.amount = 1_000_000
        contract = self.env["vp.counsellor.contract"].create(
            {"counsellor_id": self.counsellor.id, "year": self.year, "hourly_rate": 95}
        )
        with self.assertRaises(AccessError):
            contract.with_user(self.counsellor).hourly_rate = 200
        with self.assertRaises(AccessError):
            contract.with_user(self.other_counsellor).read(["hourly_rate"])


@tagged("post_install", "-at_install")
class TestPublishedYearMixinRpc(TransactionCase):
    """RPC on the abstract mixin itself is refused cleanly (found by `make fuzz`)."""

    def test_unlink_on_the_mixin_is_an_access_error(self):
        employee = new_test_user(self.env, "vp_mixin_emp", groups="base.group_user")
        mixin = self.env["vp.published.year.mixin"].with_user(employee).browse([1, 2])
        with self.assertRaises(AccessError):
            mixin.unlink()
