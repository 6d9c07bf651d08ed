# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MELDER, SECRET, THIRD_PARTY, CaseCommon


@tagged("post_install", "-at_install")
class TestCaseLifecycle(CaseCommon):
    def test_reference_per_year(self):
        Case = self.env["vp.case"].with_user(self.counsellor)
        a = Case.create({"date_intake": "2025-05-01"})
        b = Case.create({"date_intake": "2025-06-01"})
        c = Case.create({"date_intake": "2024-06-01"})
        self.assertRegex(a.name, r"^VP-2025-\d{4}$")
        self.assertEqual(int(b.name[-4:]), int(a.name[-4:]) + 1)
        self.assertRegex(c.name, r"^VP-2024-\d{4}$")
        self.assertRegex(self.case.name, r"^VP-2026-\d{4}$")

    def test_full_lifecycle(self):
        case = self.case_as_counsellor
        case.action_guidance()
        case.action_formal()
        case.action_aftercare()
        case.outcome = "resolved"
        case.action_close()
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.date_closed, fields.Date.today())
        self.assertEqual(case.retention_date, fields.Date.today() + relativedelta(months=12))
        case.action_reopen()
        self.assertEqual(case.state, "guidance")
        self.assertFalse(case.date_closed)
        self.assertFalse(case.retention_date)

    def test_retention_months_configurable(self):
        self.env["ir.config_parameter"].sudo().set_param("vertrouwenspersoon.retention_months", 6)
        case = self.case_as_counsellor
        case.outcome = "withdrawn"
        case.action_close()
        self.assertEqual(case.retention_date, fields.Date.today() + relativedelta(months=6))

    def test_invalid_transitions(self):
        case = self.case_as_counsellor
        with self.assertRaisesRegex(UserError, "cannot go from"):
            case.action_aftercare()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            case.write({"state": "aftercare"})
        self.assertEqual(case.state, "intake")

    def test_close_needs_outcome(self):
        with self.assertRaisesRegex(UserError, "outcome"):
            self.case_as_counsellor.action_close()
        self.assertEqual(self.case.state, "intake")

    def test_outside_remit_needs_referral(self):
        case = self.case_as_counsellor
        case.remit_reason = "reorganisation"
        with self.assertRaisesRegex(UserError, "referral"):
            case.action_outside_remit()
        self.assertEqual(case.state, "intake")
        case.referral_ids = self.env.ref("vertrouwenspersoon.vp_referral_legal")
        case.action_outside_remit()
        self.assertEqual(case.state, "outside_remit")
        self.assertTrue(case.date_closed)
        self.assertTrue(case.retention_date)

    def test_referral_types(self):
        codes = set(self.env["vp.referral.type"].search([]).mapped("code"))
        self.assertEqual(
            codes,
            {
                "company_doctor",
                "social_work",
                "gp_psychologist",
                "legal",
                "mediator",
                "victim_support",
                "ombudsman",
                "hr_consent",
            },
        )

    def test_no_case_for_someone_else(self):
        with self.assertRaisesRegex(UserError, "only create cases for yourself"):
            self.env["vp.case"].with_user(self.counsellor).create(
                {"counsellor_id": self.other_counsellor.id}
            )

    def test_no_silent_reassign(self):
        with self.assertRaisesRegex(UserError, "Hand over"):
            self.case_as_counsellor.write({"counsellor_id": self.other_counsellor.id})
        with self.assertRaisesRegex(UserError, "Share"):
            self.case_as_counsellor.write({"deputy_ids": [(4, self.other_counsellor.id)]})
        # system code may, but it is logged for the counsellors
        self.case.sudo().write({"counsellor_id": self.other_counsellor.id})
        log = self.env["vp.security.log"].search(
            [("case_id", "=", self.case.id), ("event", "=", "reassign")]
        )
        self.assertEqual(len(log), 1)

    def test_hand_over_logged(self):
        self.case_as_counsellor.action_hand_over(self.other_counsellor)
        self.assertEqual(self.case.counsellor_id, self.other_counsellor)
        self.assertFalse(
            self.env["vp.case"].with_user(self.counsellor).search([("id", "=", self.case.id)])
        )
        log = (
            self.env["vp.security.log"]
            .with_user(self.other_counsellor)
            .search([("case_id", "=", self.case.id), ("event", "=", "reassign")])
        )
        self.assertEqual(log.actor_id, self.counsellor)

    def test_share_only_with_counsellors(self):
        employee = self.roles["employee"]
        with self.assertRaisesRegex(UserError, "another counsellor"):
            self.case_as_counsellor.action_share_with(employee)
        with self.assertRaises(ValidationError):
            self.case.sudo().with_context(vp_share=True).write({"deputy_ids": [(4, employee.id)]})

    def test_malformed_user_argument_gets_the_clear_message(self):
        """share/revoke/hand-over are called over RPC with whatever a client sends."""
        deputies = self.case.deputy_ids
        for garbage in ("abc", None, [], {}, -1, 10**9, "1; DROP TABLE vp_case"):
            with self.subTest(user=garbage):
                with self.assertRaisesRegex(UserError, "another counsellor"):
                    self.case_as_counsellor.action_share_with(garbage)
                with self.assertRaisesRegex(UserError, "another counsellor"):
                    self.case_as_counsellor.action_hand_over(garbage)
                self.assertTrue(self.case_as_counsellor.action_revoke(garbage))
        self.assertEqual(self.case.deputy_ids, deputies)
        self.assertEqual(self.case.counsellor_id, self.counsellor)
        # an id as a string, as JSON clients send it, still works
        self.case_as_counsellor.action_share_with(str(self.other_counsellor.id))
        self.assertIn(self.other_counsellor, self.case.deputy_ids)

    def test_deputy_cannot_reshare(self):
        self.case_as_counsellor.action_share_with(self.other_counsellor)
        third = self.roles["hr_officer"]
        third.groups_id += self.env.ref("vertrouwenspersoon.group_vp_counsellor")
        with self.assertRaisesRegex(AccessError, "Only the counsellor"):
            self.case.with_user(self.other_counsellor).action_share_with(third)
        self.assertNotIn(third, self.case.deputy_ids)

    def test_no_content_after_destruction(self):
        self.case_as_counsellor.outcome = "resolved"
        self.case_as_counsellor.action_close()
        self.case.sudo()._retention_destroy()
        with self.assertRaisesRegex(UserError, "destroyed"):
            self.env["vp.case.contact"].with_user(self.counsellor).create(
                {"case_id": self.case.id, "notes": "nieuw"}
            )
        with self.assertRaisesRegex(UserError, "destroyed"):
            self.case_as_counsellor.action_reopen()

    def test_group_membership_logged(self):
        admin = self.roles["settings_admin"]
        group = self.env.ref("vertrouwenspersoon.group_vp_counsellor")
        # the admin makes themselves counsellor, through res.users ...
        admin.with_user(admin).write({"groups_id": [(4, group.id)]})
        # ... and someone else through res.groups
        employee = self.roles["employee"]
        group.with_user(admin).write({"users": [(4, employee.id)]})
        group.with_user(admin).write({"users": [(3, employee.id)]})
        Log = self.env["vp.security.log"].with_user(self.counsellor)
        events = Log.search([("user_id", "in", (admin | employee).ids)])
        self.assertEqual(
            sorted((e.event, e.user_id.login) for e in events),
            sorted(
                [
                    ("group_add", admin.login),
                    ("group_add", employee.login),
                    ("group_remove", employee.login),
                ]
            ),
        )
        self.assertTrue(all(e.actor_id == admin for e in events))


@tagged("post_install", "-at_install")
class TestCaseRetention(CaseCommon):
    def _expired_cases(self, count=3):
        Case = self.env["vp.case"].with_user(self.counsellor)
        cases = Case
        for i in range(count):
            case = Case.create(
                {
                    "melder_name": f"{MELDER} {i}",
                    "description": SECRET,
                    "category_ids": [(6, 0, self.category.ids)],
                }
            )
            self.env["vp.case.contact"].with_user(self.counsellor).create(
                {"case_id": case.id, "notes": SECRET, "duration": 1.5}
            )
            self.env["vp.case.document"].with_user(self.counsellor).create(
                {"case_id": case.id, "name": "a.txt", "datas": "SGFsbG8="}
            )
            case.outcome = "resolved"
            case.action_close()
            cases |= case
        cases.sudo().write({"retention_date": fields.Date.today() - timedelta(days=1)})
        return cases

    def test_warning_30_days_before(self):
        self.case_as_counsellor.outcome = "resolved"
        self.case_as_counsellor.action_close()
        Case = self.env["vp.case"].with_user(self.counsellor)
        self.assertNotIn(self.case, Case.search([("retention_warning", "=", True)]))
        self.case.sudo().retention_date = fields.Date.today() + timedelta(days=20)
        self.assertIn(self.case, Case.search([("retention_warning", "=", True)]))
        self.assertTrue(self.case_as_counsellor.retention_warning)
        dashboard = self.env["vp.case.dashboard"].with_user(self.counsellor).create({})
        self.assertEqual(dashboard.retention_count, 1)
        # the start screen (a client action) reads the same counts
        cards = {c["method"]: c["count"] for c in dashboard.get_cards()}
        self.assertEqual(cards["action_retention_due"], 1)

    def test_extend_once_with_reason(self):
        case = self.case_as_counsellor
        case.outcome = "resolved"
        case.action_close()
        before = case.retention_date
        with self.assertRaisesRegex(UserError, "reason"):
            case.action_extend_retention("  ")
        case.action_extend_retention("Klachtprocedure loopt nog")
        self.assertGreater(case.retention_date, before)
        with self.assertRaisesRegex(UserError, "once"):
            case.action_extend_retention("nog eens")
        log = (
            self.env["vp.security.log"]
            .with_user(self.counsellor)
            .search([("case_id", "=", case.id), ("event", "=", "retention_extend")])
        )
        # the reason is content: encrypted on the case, never in the log
        self.assertNotIn("Klachtprocedure", log.description)
        self.assertEqual(case.retention_reason, "Klachtprocedure loopt nog")

    def test_expiry_destroys_content_keeps_metadata(self):
        cases = self._expired_cases(2)
        keep = self.case  # open case: untouched
        done = self.env["vp.case"]._cron_retention()
        self.assertEqual(done, 2)
        for case in cases:
            self.assertEqual(case.destroyed_date, fields.Date.today())
            for field in (
                "melder_name",
                "melder_contact",
                "others_involved",
                "description",
                "notes",
            ):
                self.assertFalse(case[field], field)
            self.assertFalse(case.document_ids)
            self.assertEqual(len(case.contact_ids), 1)
            self.assertFalse(case.contact_ids.notes)
            # metadata for the annual report stays
            self.assertEqual(case.contact_ids.duration, 1.5)
            self.assertEqual(case.category_ids, self.category)
            self.assertEqual(case.outcome, "resolved")
            self.assertEqual(case.state, "closed")
            self.assertTrue(case.name.startswith("VP-"))
        self.assertEqual(keep.melder_name, MELDER)
        self.assertFalse(keep.destroyed_date)
        self.assertEqual(self.env["vp.case"]._cron_retention(), 0)

    def test_interrupted_run_completes_on_rerun(self):
        cases = self._expired_cases(3)
        original = type(self.env["vp.case"])._retention_destroy
        calls = []

        def flaky(records):
            calls.append(records.ids)
            if len(calls) == 2:
                # half-way through the second batch: content already partly erased
                records.sudo().write({"melder_name": False})
                raise RuntimeError("worker killed")
            return original(records)

        # not assertRaises: Odoo's rolls back its whole block, we want to see batch 1 kept
        interrupted = False
        with patch.object(type(self.env["vp.case"]), "_retention_destroy", flaky):
            try:
                self.env["vp.case"]._cron_retention(batch_size=1)
            except RuntimeError:
                interrupted = True
        self.assertTrue(interrupted)
        self.env.invalidate_all()
        destroyed = cases.filtered("destroyed_date")
        self.assertEqual(len(destroyed), 1)
        first_date = destroyed.destroyed_date
        # the interrupted batch was rolled back as a whole: nothing half-destroyed
        for case in cases - destroyed:
            case.invalidate_recordset()
            self.assertTrue(case.melder_name)
            self.assertEqual(case.description, SECRET)
        self.assertEqual(self.env["vp.case"]._cron_retention(batch_size=1), 2)
        self.assertTrue(all(cases.mapped("destroyed_date")))
        self.assertFalse(any(cases.mapped("melder_name")))
        self.assertEqual(destroyed.destroyed_date, first_date)

    def test_cron_registered(self):
        cron = self.env.ref("vertrouwenspersoon.ir_cron_vp_case_retention")
        self.assertTrue(cron.active)
        self.assertEqual(cron.interval_type, "days")


@tagged("post_install", "-at_install")
class TestCaseInzage(CaseCommon):
    def test_inzage_leaves_out_third_parties(self):
        html, _ = (
            self.env["ir.actions.report"]
            .with_user(self.counsellor)
            ._render_qweb_html("vertrouwenspersoon.vp_case_inzage_report", self.case.ids)
        )
        html = html.decode()
        self.assertIn(MELDER, html)
        self.assertIn("Gesprek: " + SECRET, html)
        self.assertNotIn(THIRD_PARTY, html)
        self.assertNotIn("Onbekendnaam", html)

    def test_inzage_action_only_for_counsellor(self):
        action = self.case_as_counsellor.action_print_inzage()
        self.assertEqual(action["report_name"], "vertrouwenspersoon.vp_case_inzage_document")
