# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The settings screen: one reader of the addon's parameters, the two forms that write
them (Settings administrators, functional administrator), and nobody else reading or
writing them over RPC."""

from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

THRESHOLD = "vertrouwenspersoon.report_threshold"
SLOT = "vertrouwenspersoon.booking_slot_minutes"
LEAD = "vertrouwenspersoon.booking_lead_hours"


def _users(env):
    return {
        "functional_admin": new_test_user(
            env, "vp_set_fa", groups="base.group_user,vertrouwenspersoon.group_vp_manager"
        ),
        "settings_admin": new_test_user(
            env, "vp_set_sys", groups="base.group_user,base.group_system"
        ),
        "hr_officer": new_test_user(env, "vp_set_hr", groups="base.group_user,hr.group_hr_user"),
        "employee": new_test_user(env, "vp_set_emp", groups="base.group_user"),
        "director": new_test_user(
            env, "vp_set_dir", groups="base.group_user,vertrouwenspersoon.group_vp_director"
        ),
        "counsellor": new_test_user(
            env, "vp_set_cou", groups="base.group_user,vertrouwenspersoon.group_vp_counsellor"
        ),
    }


@tagged("post_install", "-at_install")
class TestSettings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = _users(cls.env)
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.settings = cls.env["vp.settings"]

    def test_reader_defaults_for_missing_and_mistyped_parameters(self):
        self.params.search([("key", "=", SLOT)]).unlink()
        self.assertEqual(self.settings._vp_value("vp_booking_slot_minutes"), 60)
        self.params.set_param(SLOT, "an hour")
        self.assertEqual(self.settings._vp_value("vp_booking_slot_minutes"), 60)
        self.params.set_param(SLOT, "45")
        self.assertEqual(self.settings._vp_value("vp_booking_slot_minutes"), 45)
        self.params.set_param("vertrouwenspersoon.public_booking", "maybe")
        self.assertEqual(self.settings._vp_value("vp_public_booking"), "1")

    def test_threshold_never_below_three(self):
        # written directly as a system parameter: the reader still uses 3
        self.params.set_param(THRESHOLD, "1")
        self.assertEqual(self.settings._vp_value("vp_report_threshold"), 3)
        # and neither settings form saves it
        for model, user in (
            ("res.config.settings", self.users["settings_admin"]),
            ("vp.config.settings", self.users["functional_admin"]),
        ):
            with self.subTest(model=model), self.assertRaises(ValidationError):
                self.env[model].with_user(user).create({"vp_report_threshold": 2})

    def test_settings_admin_saves_through_settings(self):
        form = (
            self.env["res.config.settings"]
            .with_user(self.users["settings_admin"])
            .create({"vp_booking_slot_minutes": 45, "vp_report_threshold": 7})
        )
        form.execute()
        self.assertEqual(self.params.get_param(SLOT), "45")
        self.assertEqual(self.settings._vp_value("vp_report_threshold"), 7)

    def test_functional_admin_saves_through_own_form(self):
        Form = self.env["vp.config.settings"].with_user(self.users["functional_admin"])
        values = Form.default_get(["vp_booking_lead_hours", "vp_report_threshold"])
        self.assertEqual(
            values["vp_booking_lead_hours"], self.settings._vp_value("vp_booking_lead_hours")
        )
        # 0 is a real value (no lead time), not "back to the default" as Odoo would store it
        Form.create({"vp_booking_lead_hours": 0, "vp_report_threshold": 6}).action_save()
        self.assertEqual(self.params.get_param(LEAD), "0")
        self.assertEqual(self.settings._vp_value("vp_booking_lead_hours"), 0)
        self.assertEqual(self.settings._vp_value("vp_report_threshold"), 6)

    def test_zero_lead_time_kept_by_settings_page_too(self):
        form = (
            self.env["res.config.settings"]
            .with_user(self.users["settings_admin"])
            .create({"vp_booking_lead_hours": 0})
        )
        form.execute()
        self.assertEqual(self.settings._vp_value("vp_booking_lead_hours"), 0)

    def test_functional_admin_cannot_use_odoo_settings(self):
        """res.config.settings stays the Settings administrators': through it anyone could
        store any module's settings (set_values applies groups as superuser)."""
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.users["functional_admin"]).create({})

    def test_guideline_year_is_52_weeks(self):
        self.params.set_param("vertrouwenspersoon.guideline_hours_per_week", "2")
        self.assertEqual(self.settings._vp_guideline_year_hours(), 104.0)

    def test_settings_show_no_case_data(self):
        """Every field the settings forms show is a parameter of vp.settings: a number or a
        choice, never a link to a case, an appointment or a person."""
        names = set(self.settings._vp_setting_names())
        self.assertTrue(names)
        for name in names:
            field = self.settings._fields[name]
            self.assertIn(field.type, ("integer", "float", "selection"), name)
            self.assertTrue(field.config_parameter.startswith("vertrouwenspersoon."), name)
        admin_form = self.env["vp.config.settings"].with_user(self.users["functional_admin"])
        arch = admin_form.get_view(view_type="form")["arch"]
        shown = {node.get("name") for node in etree.fromstring(arch).iter("field")}
        self.assertEqual(shown, names)
        settings_form = self.env["res.config.settings"].with_user(self.users["settings_admin"])
        arch = etree.fromstring(settings_form.get_view(view_type="form")["arch"])
        (app,) = arch.xpath("//app[@name='vertrouwenspersoon']")
        self.assertEqual({node.get("name") for node in app.iter("field")}, names)


@tagged("post_install", "-at_install")
class TestSettingsRpc(HttpCase):
    """HR, employees, directors and counsellors attack the parameters over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = _users(cls.env)
        cls.env["ir.config_parameter"].sudo().set_param(THRESHOLD, "5")

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _attacks(self):
        fields = ["vp_report_threshold", "vp_booking_slot_minutes"]
        return {
            "read the parameter": ("ir.config_parameter", "get_param", [THRESHOLD], {}),
            "search the parameters": (
                "ir.config_parameter",
                "search_read",
                [[("key", "like", "vertrouwenspersoon.")]],
                {"fields": ["key", "value"]},
            ),
            "write the parameter": ("ir.config_parameter", "set_param", [THRESHOLD, "1"], {}),
            "read through Settings": ("res.config.settings", "default_get", [fields], {}),
            "write through Settings": (
                "res.config.settings",
                "web_save",
                [[], {"vp_report_threshold": 3}],
                {"specification": {}},
            ),
            "read through the functional form": ("vp.config.settings", "default_get", [fields], {}),
            "write through the functional form": (
                "vp.config.settings",
                "web_save",
                [[], {"vp_report_threshold": 3}],
                {"specification": {}},
            ),
        }

    def test_roles_without_settings_get_nothing(self):
        for role in ("hr_officer", "employee", "director", "counsellor"):
            self.authenticate(self.users[role].login, self.users[role].login)
            for attack, (model, method, args, kwargs) in self._attacks().items():
                with self.subTest(role=role, attack=attack):
                    with self.assertRaises(JsonRpcException) as refused:
                        self._call(model, method, *args, **kwargs)
                    self.assertIn("AccessError", str(refused.exception))
        self.assertEqual(self.env["vp.settings"]._vp_value("vp_report_threshold"), 5)

    def test_functional_admin_saves_over_rpc(self):
        """The same calls work for the functional administrator: the refusals above come
        from the role, not from a broken call."""
        self.authenticate("vp_set_fa", "vp_set_fa")
        values = self._call("vp.config.settings", "default_get", ["vp_report_threshold"])
        self.assertEqual(values["vp_report_threshold"], 5)
        record = self._call(
            "vp.config.settings", "web_save", [], {"vp_report_threshold": 4}, specification={}
        )
        self._call("vp.config.settings", "action_save", [record[0]["id"]])
        self.assertEqual(self.env["vp.settings"]._vp_value("vp_report_threshold"), 4)
