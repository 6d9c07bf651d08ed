# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The settings screen: one reader of the addon's parameters, the two forms that write
them (Settings administrators, functional administrator), and nobody else reading or
writing them over RPC."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from ..models.conversation.vp_conversation import ConversationError
from .anonymous_common import AnonymousFixture

THRESHOLD = "vertrouwenspersoon.report_threshold"
NEW = "vertrouwenspersoon.anonymous_new_per_hour"
SLOT = "vertrouwenspersoon.booking_slot_minutes"
LEAD = "vertrouwenspersoon.booking_lead_hours"
# the settings of the anonymous channel: field -> (default, minimum)
ANONYMOUS = {
    "vp_anonymous_retention_months": (12, 1),
    "vp_anonymous_wrong_codes_per_hour": (10, 1),
    "vp_anonymous_wrong_codes_global_per_hour": (200, 1),
    "vp_anonymous_new_per_hour": (60, 1),
}
FORMS = ("res.config.settings", "vp.config.settings")


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

    def test_anonymous_settings_read_default_and_never_below_minimum(self):
        """The channel's four parameters keep their keys (existing databases keep their
        values) and are read like every other setting."""
        for name, (default, minimum) in ANONYMOUS.items():
            key = self.settings._fields[name].config_parameter
            self.assertEqual(key, "vertrouwenspersoon." + name.removeprefix("vp_"))
            with self.subTest(setting=name):
                self.params.search([("key", "=", key)]).unlink()
                self.assertEqual(self.settings._vp_value(name), default)
                for mistyped in ("many", "[3]", "  "):
                    self.params.set_param(key, mistyped)
                    self.assertEqual(self.settings._vp_value(name), default)
                for low in ("0", "-4", "0.4"):
                    self.params.set_param(key, low)
                    self.assertEqual(self.settings._vp_value(name), minimum)
                self.params.set_param(key, "7")
                self.assertEqual(self.settings._vp_value(name), 7)

    def test_forms_refuse_anonymous_settings_below_minimum(self):
        users = {"res.config.settings": "settings_admin", "vp.config.settings": "functional_admin"}
        for model in FORMS:
            Form = self.env[model].with_user(self.users[users[model]])
            for name, (_default, minimum) in ANONYMOUS.items():
                with self.subTest(model=model, setting=name), self.assertRaises(ValidationError):
                    Form.create({name: minimum - 1})
            # at the minimum it saves
            Form.create(dict.fromkeys(ANONYMOUS, 1))

    def test_settings_page_shows_the_typed_values(self):
        """Odoo's own res.config.settings reading would show 0 for a mistyped number and 1
        for a too low one; the page shows what the code uses."""
        self.params.set_param("vertrouwenspersoon.anonymous_new_per_hour", "sixty")
        self.params.set_param(THRESHOLD, "1")
        Form = self.env["res.config.settings"].with_user(self.users["settings_admin"])
        values = Form.default_get(["vp_anonymous_new_per_hour", "vp_report_threshold"])
        self.assertEqual(values["vp_anonymous_new_per_hour"], 60)
        self.assertEqual(values["vp_report_threshold"], 3)

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
            # the field vp_<key> of parameter vertrouwenspersoon.<key>
            self.assertEqual(
                field.config_parameter, "vertrouwenspersoon." + name.removeprefix("vp_"), name
            )
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
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param(THRESHOLD, "5")
        params.search([("key", "like", "vertrouwenspersoon.anonymous_")]).unlink()

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _attacks(self):
        names = self.env["vp.settings"]._vp_setting_names()
        attacks = {
            "read the parameter": ("ir.config_parameter", "get_param", [THRESHOLD], {}),
            "read an anonymous parameter": ("ir.config_parameter", "get_param", [NEW], {}),
            "search the parameters": (
                "ir.config_parameter",
                "search_read",
                [[("key", "like", "vertrouwenspersoon.")]],
                {"fields": ["key", "value"]},
            ),
            "write the parameter": ("ir.config_parameter", "set_param", [THRESHOLD, "1"], {}),
            "write an anonymous parameter": ("ir.config_parameter", "set_param", [NEW, "1"], {}),
        }
        for model, form in zip(FORMS, ("Settings", "the functional form"), strict=True):
            attacks[f"read through {form}"] = (model, "default_get", [names], {})
            for name, values in (
                ("report threshold", {"vp_report_threshold": 3}),
                ("anonymous limits", {name: 1000 for name in ANONYMOUS}),
            ):
                attacks[f"write the {name} through {form}"] = (
                    model,
                    "web_save",
                    [[], values],
                    {"specification": {}},
                )
        return attacks

    def test_roles_without_settings_get_nothing(self):
        for role in ("hr_officer", "employee", "director", "counsellor"):
            self.authenticate(self.users[role].login, self.users[role].login)
            for attack, (model, method, args, kwargs) in self._attacks().items():
                with self.subTest(role=role, attack=attack):
                    with self.assertRaises(JsonRpcException) as refused:
                        self._call(model, method, *args, **kwargs)
                    self.assertIn("AccessError", str(refused.exception))
        settings = self.env["vp.settings"]
        self.assertEqual(settings._vp_value("vp_report_threshold"), 5)
        for name, (default, _minimum) in ANONYMOUS.items():
            self.assertEqual(settings._vp_value(name), default, name)

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


@tagged("post_install", "-at_install")
class TestAnonymousSettings(AnonymousFixture, TransactionCase):
    """The anonymous channel uses what the functional administrator saves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_anonymous()
        cls.attempts = cls.env["vp.booking.attempt"]

    def save(self, **values):
        form = self.env["vp.config.settings"].with_user(self.roles["functional_admin"])
        form.create(values).action_save()

    def test_fewer_new_conversations_per_hour(self):
        started = self.attempts._count_recent(self.attempts._hash("anon-new", "all"))
        self.save(vp_anonymous_new_per_hour=started + 1)
        self.start()
        with self.assertRaisesRegex(ConversationError, "Too many anonymous messages"):
            self.start(body="Nog een gesprek")
        self.save(vp_anonymous_new_per_hour=started + 2)
        self.start(body="Nu wel")

    def test_fewer_wrong_codes_per_hour(self):
        self.start()
        tried = self.attempts._count_recent(self.attempts._hash("anon-code", "all"))
        self.save(
            vp_anonymous_wrong_codes_per_hour=2,
            vp_anonymous_wrong_codes_global_per_hour=tried + 3,
        )
        bad = "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZX"
        for _i in range(2):
            self.assertIn("opens no conversation", self.try_code(bad, "198.51.100.1"))
        self.assertIn("Too many", self.try_code(bad, "198.51.100.1"))
        # the third wrong code of everyone together is the last one heard
        self.assertIn("opens no conversation", self.try_code(bad, "198.51.100.2"))
        self.assertIn("Too many", self.try_code(bad, "198.51.100.3"))

    def test_shorter_retention(self):
        conversation, _code = self.start()
        self.save(vp_anonymous_retention_months=2)
        conversation.invalidate_recordset(["retention_date"])
        self.assertEqual(
            conversation.retention_date,
            (conversation.date_last_message + relativedelta(months=2)).date(),
        )
        conversation.sudo().date_last_message = fields.Datetime.now() - timedelta(days=70)
        self.assertEqual(self.env["vp.conversation"].sudo()._cron_retention(), 1)
        self.assertFalse(conversation.exists())
