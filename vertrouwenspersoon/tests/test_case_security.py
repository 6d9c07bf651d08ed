# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Attacks on case data: every role of the threat model against every access path.

Each check returns normally only if nothing of the target case leaks: an AccessError,
an empty result, or a result without the case. The table ROLES x PATHS is run as
subtests, so one failing combination names itself.
"""

from odoo import models
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CASE_MODELS, MELDER, SECRET, VAULT_PASS, CaseCommon, Denied, RoleAttacks

ALLOWED_VP_COMODELS = {"vp.category", "vp.counsellor", "vp.counsellor.contract"}


@tagged("post_install", "-at_install")
class TestCaseSegregation(RoleAttacks, CaseCommon):
    LEAK_PROBE = ("counsellor", "vp.case")
    READ_FIELDS = ("name", "melder_name", "notes", "description")
    ATTRIBUTE_FIELDS = ("melder_name", "notes", "datas", "description")
    WEB_READ_FIELDS = WEB_SEARCH_FIELDS = (
        "name",
        "melder_name",
        "description",
        "state",
        "notes",
        "date",
    )
    NAME_SEARCHES = ("VP-", "")
    EXPORT_REFUSAL = "rights to export"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # log lines about the case, to attack vp.security.log too
        cls.case_as_counsellor.action_share_with(cls.other_counsellor)
        cls.case_as_counsellor.action_revoke(cls.other_counsellor)

    # ------------------------------------------------------------ the paths
    def _records(self):
        """(model, ids) of everything hanging off the target case."""
        return {
            "vp.case": self.case.ids,
            "vp.case.contact": (self.contact | self.third_party_contact).ids,
            "vp.case.document": self.document.ids,
            "vp.security.log": self.env["vp.security.log"]
            .sudo()
            .search([("case_id", "=", self.case.id)])
            .ids,
        }

    def path_search_content(self, Model, ids):
        if "melder_name" in Model._fields:
            self._no_ids(ids, Model.search([("melder_name", "ilike", "Zeldzaam")]).ids)
        if "notes" in Model._fields:
            self._no_ids(ids, Model.search([("notes", "ilike", "Zonnebloem")]).ids)

    def path_private_read_group(self, Model, ids):
        groups = Model._read_group([("id", "in", ids)], [], ["__count"])
        self.assertEqual(groups[0][0], 0)

    def path_web_read_group(self, Model, ids):
        field = "create_date:day"
        result = Model.web_read_group([("id", "in", ids)], ["id:count"], [field])
        self.assertEqual(result["length"], 0)

    def path_write(self, Model, ids):
        field = next(f for f in ("notes", "description", "name") if f in Model._fields)
        Model.browse(ids).write({field: "overwritten"})
        self.fail("write succeeded")

    def path_create_on_case(self, Model, ids):
        vals = {"vp.case.contact": {"notes": "x"}, "vp.case.document": {"name": "x"}}
        if Model._name not in vals:
            raise Denied
        Model.create({"case_id": self.case.id, **vals[Model._name]})
        self.fail("created a record on someone else's case")

    PATHS = (
        *RoleAttacks.PATHS,
        "search_content",
        "private_read_group",
        "web_read_group",
        "create_on_case",
    )

    def test_roles_x_paths(self):
        """Every role against every read/write path of every case model."""
        self.attack_every_role(CASE_MODELS)
        # and nothing changed underneath
        self.assertEqual(self.case.melder_name, MELDER)
        self.assertEqual(self.case.description, SECRET)
        self.assertEqual(len(self.case.contact_ids), 2)

    def test_the_attacks_see_a_leak(self):
        self.assert_attacks_see_a_leak()

    # --------------------------------------------------------- RPC methods
    def _public_methods(self):
        Case = type(self.env["vp.case"])
        return sorted(
            name
            for name in dir(Case)
            if name.startswith("action_")
            and getattr(getattr(Case, name), "__module__", "").startswith(
                "odoo.addons.vertrouwenspersoon"
            )
        )

    def test_public_methods_refused_to_other_roles(self):
        self.case_as_counsellor.outcome = "resolved"
        methods = self._public_methods()
        self.assertIn("action_share_with", methods)
        self.assertIn("action_print_inzage", methods)
        for role, user in self.roles.items():
            for method in methods:
                with self.subTest(role=role, method=method):
                    args = {
                        "action_share_with": (user.id,),
                        "action_revoke": (self.counsellor.id,),
                        "action_hand_over": (user.id,),
                        "action_extend_retention": ("reden",),
                    }.get(method, ())
                    with self.assertRaises(AccessError):
                        getattr(self.case.with_user(user), method)(*args)
                    self.env.invalidate_all()
        self.assertEqual(self.case.state, "intake")
        self.assertEqual(self.case.counsellor_id, self.counsellor)
        self.assertFalse(self.case.deputy_ids)

    def test_settings_admin_cannot_make_self_deputy(self):
        admin = self.roles["settings_admin"]
        with self.assertRaises(AccessError):
            self.case.with_user(admin).write({"deputy_ids": [(4, admin.id)]})
        with self.assertRaises(AccessError):
            self.case.with_user(admin).action_share_with(admin)
        self.assertFalse(self.case.deputy_ids)

    # ----------------------------------------------------- side channels
    def _flows(self):
        """Run every flow of a case, so the side-channel checks have something to find."""
        case = self.case_as_counsellor
        case.action_share_with(self.other_counsellor)
        case.action_revoke(self.other_counsellor)
        case.action_guidance()
        case.action_aftercare()
        self.env["vp.case.contact"].with_user(self.counsellor).create(
            {"case_id": case.id, "is_aftercare": True, "notes": "nazorg " + SECRET}
        )
        case.outcome = "resolved"
        case.action_close()
        case.action_extend_retention("nog nodig")
        self.env["ir.actions.report"].with_user(self.counsellor)._render_qweb_html(
            "vertrouwenspersoon.vp_case_inzage_report", case.ids
        )
        self.env.flush_all()

    def test_no_mail_trace(self):
        self._flows()
        for model in CASE_MODELS:
            self.assertNotIn("message_ids", self.env[model]._fields, model)
            self.assertNotIn("activity_ids", self.env[model]._fields, model)
            for trace in ("mail.message", "mail.followers", "mail.activity"):
                self.assertFalse(
                    self.env[trace]
                    .sudo()
                    .search_count(
                        [("res_model" if trace != "mail.message" else "model", "=", model)]
                    ),
                    f"{trace} for {model}",
                )
        self.assertFalse(
            self.env["mail.message"]
            .sudo()
            .search_count(["|", ("body", "ilike", "Zonnebloem"), ("subject", "ilike", "VP-")])
        )
        self.assertFalse(
            self.env["mail.notification"]
            .sudo()
            .search_count([("mail_message_id.model", "in", CASE_MODELS)])
        )
        self.assertFalse(
            self.env["mail.mail"].sudo().search_count([("body_html", "ilike", "Zonnebloem")])
        )

    def test_no_attachment_and_no_filestore(self):
        before = self.env["ir.attachment"].sudo().search([]).ids
        self._flows()
        doc = (
            self.env["vp.case.document"]
            .with_user(self.counsellor)
            .create({"case_id": self.case.id, "name": "brief.pdf", "datas": "JVBERi0xLjQ="})
        )
        self.assertEqual(doc.datas, b"JVBERi0xLjQ=")
        Attachment = self.env["ir.attachment"].sudo()
        self.assertFalse(Attachment.search_count([("res_model", "in", CASE_MODELS)]))
        self.assertFalse(Attachment.search_count([("name", "in", ("brief.pdf", "verslag.txt"))]))
        # the inzage was rendered but not saved as attachment
        new = Attachment.search([("id", "not in", before)])
        self.assertFalse(
            new.filtered(lambda a: a.res_model in CASE_MODELS or "VP-" in (a.name or ""))
        )
        self.assertFalse(self.env["vp.case.document"]._fields["datas"].attachment)

    def test_no_calendar_event(self):
        self._flows()
        Event = self.env["calendar.event"].sudo().with_context(active_test=False)
        self.assertFalse(Event.search_count([("res_model", "in", CASE_MODELS)]))
        self.assertFalse(Event.search_count([("name", "ilike", "VP-")]))

    def test_no_links_from_people(self):
        for model in (
            "res.partner",
            "res.users",
            "hr.employee",
            "hr.employee.public",
            "res.company",
        ):
            for name, field in self.env[model]._fields.items():
                comodel = getattr(field, "comodel_name", None) or ""
                with self.subTest(model=model, field=name):
                    self.assertFalse(
                        comodel.startswith("vp.") and comodel not in ALLOWED_VP_COMODELS,
                        f"{model}.{name} points to {comodel}",
                    )

    # --------------------------------------------------------- positives
    def test_counsellor_sees_everything(self):
        Case = self.env["vp.case"].with_user(self.counsellor)
        self.assertEqual(Case.search([("id", "=", self.case.id)]), self.case)
        self.assertEqual(Case.search([("melder_name", "ilike", "Zeldzaam")]), self.case)
        self.assertEqual(Case.browse(self.case.id).read(["melder_name"])[0]["melder_name"], MELDER)
        self.assertEqual(
            len(
                self.env["vp.case.contact"]
                .with_user(self.counsellor)
                .search([("case_id", "=", self.case.id)])
            ),
            2,
        )
        self.assertEqual(
            self.env["vp.case.document"]
            .with_user(self.counsellor)
            .search([("case_id", "=", self.case.id)]),
            self.document,
        )

    def test_deputy_sees_until_revoked(self):
        deputy = self.other_counsellor
        Case = self.env["vp.case"].with_user(deputy)
        self.assertFalse(Case.search([("id", "=", self.case.id)]))
        self.case_as_counsellor.action_share_with(deputy)
        self.assertEqual(Case.search([("id", "=", self.case.id)]), self.case)
        self.env(user=deputy)["vp.vault"].unlock(VAULT_PASS)
        self.assertEqual(Case.browse(self.case.id).description, SECRET)
        self.assertEqual(
            len(
                self.env["vp.case.contact"]
                .with_user(deputy)
                .search([("case_id", "=", self.case.id)])
            ),
            2,
        )
        self.assertTrue(
            self.env["vp.case.document"].with_user(deputy).search([("case_id", "=", self.case.id)])
        )
        # the deputy may work on the case ...
        self.env["vp.case.contact"].with_user(deputy).create(
            {"case_id": self.case.id, "notes": "waarneming"}
        )
        # ... and sees the share in the log
        Log = self.env["vp.security.log"].with_user(deputy)
        self.assertEqual(Log.search([("case_id", "=", self.case.id)], limit=1).event, "share")
        self.case_as_counsellor.action_revoke(deputy)
        self.env.invalidate_all()
        self.assertFalse(Case.search([("id", "=", self.case.id)]))
        with self.assertRaises(AccessError):
            Case.browse(self.case.id).read(["description"])
        self.assertFalse(
            self.env["vp.case.contact"].with_user(deputy).search([("case_id", "=", self.case.id)])
        )
        events = (
            self.env["vp.security.log"]
            .with_user(self.counsellor)
            .search([("case_id", "=", self.case.id)])
            .mapped("event")
        )
        self.assertEqual(events[:2], ["revoke", "share"])

    def test_log_visibility(self):
        self.case_as_counsellor.action_share_with(self.other_counsellor)
        self.case_as_counsellor.action_revoke(self.other_counsellor)
        # the other counsellor no longer sees the case's log lines ...
        self.assertFalse(
            self.env["vp.security.log"]
            .with_user(self.other_counsellor)
            .search([("case_id", "=", self.case.id)])
        )
        # ... but group events are visible to every counsellor
        self.roles["employee"].groups_id += self.env.ref("vertrouwenspersoon.group_vp_counsellor")
        for user in (self.counsellor, self.other_counsellor):
            self.assertTrue(
                self.env["vp.security.log"]
                .with_user(user)
                .search([("event", "=", "group_add"), ("user_id", "=", self.roles["employee"].id)])
            )


@tagged("post_install", "-at_install")
class TestRuleCheckInSql(CaseCommon):
    """Many records are rule-checked in one SQL query: it may only ever say yes when
    Odoo's own check would; every other answer is Odoo's."""

    def _case(self, user, date="2026-03-01"):
        return self.env["vp.case"].with_user(user).create({"date_intake": date})

    def test_own_cases_together_and_a_foreign_one_refused(self):
        own = self.case | self._case(self.counsellor)
        foreign = self._case(self.other_counsellor)
        Case = self.env["vp.case"].with_user(self.counsellor)
        self.assertEqual(len(Case.browse(own.ids).read(["name"])), 2)
        mixed = Case.browse((own | foreign).ids)
        with self.assertRaises(AccessError):
            mixed.read(["name"])
        self.assertFalse(mixed.has_access("read"))
        self.assertEqual(mixed._filtered_access("read"), Case.browse(own.ids))
        with self.assertRaises(AccessError):
            mixed.write({"notes": "overwritten"})
        with self.assertRaises(AccessError):
            self.env["vp.case.contact"].with_user(self.other_counsellor).browse(
                (self.contact | self.third_party_contact).ids
            ).read(["date"])

    def test_deputy_reads_shared_cases_until_revoked(self):
        second = self._case(self.counsellor)
        both = self.case | second
        self.case_as_counsellor.action_share_with(self.other_counsellor)
        second.with_user(self.counsellor).action_share_with(self.other_counsellor)
        as_deputy = self.env["vp.case"].with_user(self.other_counsellor).browse(both.ids)
        self.assertEqual(len(as_deputy.read(["name"])), 2)
        second.with_user(self.counsellor).action_revoke(self.other_counsellor)
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            as_deputy.read(["name"])

    def test_same_answer_as_odoos_own_check(self):
        """For each recordset and operation, the mixin answers exactly as Odoo would."""
        own = self.case | self._case(self.counsellor)
        foreign = self._case(self.other_counsellor)
        gone = self._case(self.counsellor)
        gone_id = gone.id
        gone.sudo().unlink()
        Case = self.env["vp.case"].with_user(self.counsellor)

        def outcome(check, records, operation):
            try:
                result = check(records, operation)
            except Exception as exc:  # noqa: BLE001 - the exception type is the answer
                return type(exc).__name__
            return None if result is None else sorted(result[0].ids)

        for label, ids in (
            ("own", own.ids),
            ("own and foreign", (own | foreign).ids),
            ("own and deleted", [*own.ids, gone_id]),
        ):
            for operation in ("read", "write", "unlink"):
                with self.subTest(records=label, operation=operation):
                    records = Case.browse(ids)
                    self.env.invalidate_all()
                    ours = outcome(type(records)._check_access, records, operation)
                    self.env.invalidate_all()
                    odoo = outcome(models.BaseModel._check_access, records, operation)
                    self.assertEqual(ours, odoo)
