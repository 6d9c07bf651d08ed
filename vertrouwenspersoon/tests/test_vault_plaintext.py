# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No plaintext outside the vault: reasons for keeping a case longer, replies declining
a booking and time-entry notes are encrypted (old plain columns too); the security log
keeps no content; Privacy Lookup and display names reveal nothing of a case."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import sql

from .common import MELDER, SECRET, VAULT_PASS, CaseCommon, row_text

REASON = "Melder Zeldzaamnaam doet aangifte bij de politie"
REPLY = "Ik ben dan op cursus over Zonnebloem"
NOTE = "Gesprek met Zeldzaamnaam over Zonnebloem"


class PlaintextCommon(CaseCommon):
    @property
    def admin(self):
        return self.roles["settings_admin"]

    @property
    def outsiders(self):
        """Who must not read the counsellor's content: a colleague, the Settings admin."""
        return (self.other_counsellor, self.admin)

    def time_entry(self, **vals):
        """An hour of support today, written by the counsellor."""
        Entry = self.env["vp.time.entry"].with_user(self.counsellor)
        return Entry.create(
            {"date": fields.Date.today(), "activity_type": "support", "hours": 1, **vals}
        )

    def closed_case(self):
        case = self.case_as_counsellor
        case.outcome = "resolved"
        case.action_close()
        return case

    def extend_in_dialog(self, case, reason=REASON):
        wizard = (
            self.env["vp.case.retention.extend"]
            .with_user(self.counsellor)
            .create({"case_id": case.id, "reason": reason})
        )
        wizard.action_confirm()
        return wizard


@tagged("post_install", "-at_install")
class TestVaultPlaintext(PlaintextCommon):
    # ------------------------------------------------------------------ retention reason

    def test_retention_reason_is_encrypted_and_not_logged(self):
        case = self.closed_case()
        wizard = self.extend_in_dialog(case)
        self.assertEqual(case.retention_reason, REASON)
        for table, record_id in (
            ("vp_case", case.id),
            ("vp_case_retention_extend", wizard.id),
        ):
            self.assertNotIn("Zeldzaamnaam doet", row_text(self.env, table, record_id), table)
        self.env.cr.execute("SELECT description FROM vp_security_log WHERE case_id = %s", [case.id])
        self.assertFalse([d for (d,) in self.env.cr.fetchall() if "aangifte" in d])
        for user in self.outsiders:
            self.assertFalse(case.with_user(user).sudo().retention_reason, user.login)

    def test_retention_dialog_needs_the_vault_unlocked(self):
        case = self.closed_case()
        self.env(user=self.counsellor)["vp.vault"].lock()
        self.addCleanup(self.env(user=self.counsellor)["vp.vault"].unlock, VAULT_PASS)
        with self.assertRaisesRegex(UserError, "Unlock"):
            self.extend_in_dialog(case)
        self.assertFalse(case.retention_extended)

    def test_destroyed_case_keeps_no_reason_anywhere(self):
        case = self.closed_case()
        self.extend_in_dialog(case)
        case.sudo()._retention_destroy()
        self.assertFalse(case.sudo().retention_reason_enc)
        self.env.cr.execute(
            "SELECT string_agg(t::text, ' ') FROM vp_security_log t WHERE case_id = %s",
            [case.id],
        )
        lines = self.env.cr.fetchone()[0]
        for secret in ("aangifte", MELDER, SECRET):
            self.assertNotIn(secret, lines)

    # ------------------------------------------------------------------ old plaintext

    def test_old_plain_columns_are_encrypted_and_dropped(self):
        """A database upgraded from a build that stored these in plain columns."""
        case = self.closed_case()
        entry = self.time_entry()
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("ALTER TABLE vp_case ADD COLUMN retention_reason text")
        cr.execute("UPDATE vp_case SET retention_reason = %s WHERE id = %s", [REASON, case.id])
        cr.execute("ALTER TABLE vp_case_document ADD COLUMN name varchar")
        cr.execute(
            "UPDATE vp_case_document SET name = %s WHERE id = %s",
            ["gesprek Zeldzaamnaam.pdf", self.document.id],
        )
        cr.execute("ALTER TABLE vp_time_entry ADD COLUMN note varchar")
        cr.execute("UPDATE vp_time_entry SET note = %s WHERE id = %s", [NOTE, entry.id])
        cr.execute(
            "INSERT INTO vp_security_log (date, event, case_id, description)"
            " VALUES (now(), 'retention_extend', %s, %s)",
            [case.id, f"Retention of case {case.name} extended to 2030-01-31: {REASON}"],
        )
        self.env["vp.case"].init()
        self.env["vp.time.entry"].init()
        self.env["vp.case.document"].init()
        self.env.invalidate_all()
        self.assertFalse(sql.column_exists(cr, "vp_case_document", "name"))
        self.assertEqual(self.document.with_user(self.counsellor).name, "gesprek Zeldzaamnaam.pdf")
        self.assertFalse(sql.column_exists(cr, "vp_case", "retention_reason"))
        self.assertFalse(sql.column_exists(cr, "vp_time_entry", "note"))
        self.assertEqual(case.retention_reason, REASON)
        self.assertEqual(entry.with_user(self.counsellor).note, NOTE)
        cr.execute(
            "SELECT description FROM vp_security_log WHERE event = 'retention_extend'"
            " AND case_id = %s",
            [case.id],
        )
        self.assertEqual(cr.fetchone()[0], f"Retention of case {case.name} extended to 2030-01-31.")

    # ------------------------------------------------------------------ documents

    def test_document_file_name_is_content(self):
        document = (
            self.env["vp.case.document"]
            .with_user(self.counsellor)
            .create({"case_id": self.case.id, "name": "aangifte Zeldzaamnaam.pdf", "datas": "SGk="})
        )
        self.assertEqual(document.name, "aangifte Zeldzaamnaam.pdf")
        self.assertNotIn("Zeldzaamnaam", row_text(self.env, "vp_case_document", document.id))
        for user in self.outsiders:
            self.assertFalse(document.with_user(user).sudo().name, user.login)
            self.assertNotIn("Zeldzaamnaam", document.with_user(user).sudo().display_name or "")

    # ------------------------------------------------------------------ time entries

    def test_time_entry_note_is_for_its_counsellor_only(self):
        entry = self.time_entry(note=NOTE, case_id=self.case.id)
        self.assertEqual(entry.with_user(self.counsellor).note, NOTE)
        self.assertNotIn("Zonnebloem", row_text(self.env, "vp_time_entry", entry.id))
        self.assertFalse(entry.with_user(self.admin).sudo().note)
        # found by its counsellor, by nobody else
        Entry = self.env["vp.time.entry"]
        self.assertIn(entry, Entry.with_user(self.counsellor).search([("note", "ilike", "Zonne")]))
        self.assertFalse(Entry.with_user(self.admin).sudo().search([("note", "ilike", "Zonne")]))


@tagged("post_install", "-at_install")
class TestVaultPlaintextBooking(PlaintextCommon):
    """The booker's side: a reply that declines, Privacy Lookup, display names."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.booker = new_test_user(
            cls.env, "vp_t_booker", name=MELDER, email="zeldzaam@example.com"
        )
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=3)
        cls.appointment = (
            cls.env["vp.appointment"]
            .sudo()
            .create(
                {
                    "counsellor_id": cls.counsellor.id,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "channel": "phone",
                    "user_id": cls.booker.id,
                    "partner_id": cls.booker.partner_id.id,
                    "note": SECRET,
                    "case_id": cls.case.id,
                }
            )
        )

    def test_reply_declining_is_encrypted_and_mailed(self):
        appointment = self.appointment.with_user(self.counsellor)
        appointment.write({"decline_message": REPLY})
        appointment.action_decline()
        self.assertEqual(appointment.state, "declined")
        self.assertNotIn("cursus", row_text(self.env, "vp_appointment", appointment.id))
        self.assertEqual(appointment.decline_message, REPLY)
        for user in (self.other_counsellor, self.admin, self.booker):
            self.assertFalse(self.appointment.with_user(user).sudo().decline_message, user.login)
        # the employee gets it by e-mail, sent in the counsellor's request
        mail = self.env["mail.mail"].search([("email_to", "ilike", "zeldzaam@example.com")])
        self.assertTrue(any("cursus" in (m.body_html or "") for m in mail))

    def test_privacy_lookup_finds_nothing_of_a_case(self):
        """The administrator looks the reporter up by name and e-mail address."""
        wizard = (
            self.env["privacy.lookup.wizard"]
            .with_user(self.admin)
            .create({"name": MELDER, "email": "zeldzaam@example.com"})
        )
        wizard.action_lookup()
        lines = wizard.line_ids
        self.assertTrue(lines, "the lookup finds the person's own records")
        self.assertFalse([m for m in lines.mapped("res_model") if m.startswith("vp.")])
        shown = " ".join(lines.mapped("res_name")) + (wizard.records_description or "")
        for secret in (self.case.name, SECRET, "ppointment"):
            self.assertNotIn(secret, shown)

    def test_display_names_reveal_nothing_of_a_case(self):
        entry = self.time_entry(note=NOTE, case_id=self.case.id)
        share = (
            self.env["vp.case.share"]
            .with_user(self.counsellor)
            .create({"case_id": self.case.id, "user_id": self.other_counsellor.id})
        )
        extend = self.extend_in_dialog(self.closed_case())  # a log line about the case
        logs = self.env["vp.security.log"].search([("case_id", "=", self.case.id)])
        self.assertTrue(logs)
        records = [entry, self.appointment, share, extend, *logs]
        for user in self.outsiders:
            for record in records:
                # what a many2one, a lookup or a log shows them (read as superuser) ...
                name = record.with_user(user).sudo().display_name
                for secret in (self.case.name, MELDER, SECRET, "Zonnebloem", "aangifte"):
                    self.assertNotIn(secret, name, f"{record._name} as {user.login}")
                # ... and the record itself stays closed to them
                with self.assertRaises(AccessError, msg=f"{record._name} as {user.login}"):
                    record.with_user(user).read(["display_name"])
