# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The anonymous channel as the writer and the counsellor use it (model level)."""

import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from ..models.conversation.vp_conversation import (
    MAX_BODY,
    MAX_CODE_FAILURES,
    CodeError,
    ConversationError,
)
from ..tools import receipt_code as rc
from .anonymous_common import FILE_MARKER, MARKER, AnonymousFixture
from .common import VAULT_PASS

PDF = b"%PDF-1.4\n" + FILE_MARKER + b"\n%%EOF"


@tagged("post_install", "-at_install")
class TestAnonymousConversation(AnonymousFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_anonymous()

    # ------------------------------------------------------------------ writer

    def test_code_has_enough_entropy_and_reads_back_however_typed(self):
        conversation, code = self.start()
        groups = code.split("-")
        self.assertEqual([len(g) for g in groups], [4] * 6)
        self.assertGreaterEqual(rc.SECRET_BITS, 80)
        typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
        found, _key = self.neutral()._open_with_code(typed, "client-a")
        self.assertEqual(found, conversation)

    def test_writer_reads_the_answer_and_writes_more_with_the_code(self):
        conversation, code = self.start(attachment=("verslag.pdf", PDF))
        self.assertEqual(conversation.state, "new")
        self.assertTrue(conversation.awaiting_answer)
        mine = self.as_counsellor(conversation)
        self.assertIn(MARKER, mine.thread_html)
        self.assertEqual(mine.message_ids.attachment, PDF)
        self.assertEqual(mine.message_ids.attachment_name, "verslag.pdf")
        mine.reply = "Dank voor uw bericht, <b>schrijf gerust</b> meer."
        self.assertEqual(conversation.state, "answered")
        self.assertFalse(conversation.awaiting_answer)
        found, key = self.neutral()._open_with_code(code, "client-a")
        thread = found._writer_thread(key)
        self.assertEqual([m["author"] for m in thread], ["writer", "counsellor"])
        self.assertEqual(thread[0]["body"], MARKER)
        self.assertEqual(thread[0]["attachment_name"], "verslag.pdf")
        self.assertEqual(thread[1]["body"], "Dank voor uw bericht, <b>schrijf gerust</b> meer.")
        found._writer_reply(key, "Nog een vraag")
        self.assertEqual(conversation.state, "new")
        self.assertIn("Nog een vraag", mine.thread_html)
        # the counsellor's HTML is shown as text, never rendered
        self.assertIn("&lt;b&gt;schrijf gerust&lt;/b&gt;", mine.thread_html)

    def test_html_in_a_file_name_is_shown_as_text(self):
        name = "<img src=x onerror=alert(1)>.txt"
        conversation, _code = self.start(attachment=(name, b"platte tekst"))
        html = self.as_counsellor(conversation).thread_html
        self.assertNotIn("<img src=x", html)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;.txt", html)

    def test_the_writers_times_are_kept_to_the_hour(self):
        conversation, _code = self.start()
        message = conversation.message_ids
        self.assertEqual((message.date.minute, message.date.second), (0, 0))

    def test_a_code_of_one_conversation_opens_nothing_of_another(self):
        first, code_first = self.start()
        second, code_second = self.start(body="Tweede bericht")
        found, key = self.neutral()._open_with_code(code_first, "c")
        self.assertEqual(found, first)
        # the key of the first opens no message of the second
        with self.assertRaises(UserError):
            second.message_ids._decrypt_with(key, "body")
        # same lookup group, other secret: refused
        forged = rc.format_code(rc.normalize(code_second)[:4] + rc.normalize(code_first)[4:])
        with self.assertRaises(CodeError):
            self.neutral()._open_with_code(forged, "c")

    def test_wrong_codes_lock_the_conversation_and_tell_the_counsellor(self):
        conversation, code = self.start()
        canonical = rc.normalize(code)
        mails = self.env["mail.mail"].sudo()
        before = mails.search_count([("email_to", "ilike", "vp_a_counsellor")])
        for i in range(MAX_CODE_FAILURES):
            wrong = canonical[:4] + ("0" * 19 + str(i % 10))[:20]
            self.assertIn("opens no conversation", self.try_code(wrong, f"client-{i}"))
        self.assertTrue(conversation.code_locked)
        # now even the right code opens nothing, without checking it
        self.assertIn("locked", self.try_code(code, "client-x"))
        notices = mails.search([("email_to", "ilike", "vp_a_counsellor")])
        self.assertEqual(len(notices) - before, 1)
        self.assertEqual(notices[0].subject, "Something needs your attention")
        self.as_counsellor(conversation).action_allow_code_again()
        self.assertEqual(self.try_code(code, "client-x")[0], conversation)

    def test_wrong_codes_are_rate_limited_per_client(self):
        self.start()
        bad = "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"
        for _i in range(10):
            self.assertIn("opens no conversation", self.try_code(bad, "203.0.113.9"))
        self.assertIn("Too many", self.try_code(bad, "203.0.113.9"))
        # another client is still heard; the address is kept only as a keyed hash
        self.assertIn("opens no conversation", self.try_code(bad, "198.51.100.7"))
        self.env.cr.execute("SELECT string_agg(key, ' ') FROM vp_booking_attempt")
        self.assertNotIn("203.0.113.9", self.env.cr.fetchone()[0])

    def test_wrong_codes_are_rate_limited_globally(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "vertrouwenspersoon.anonymous_wrong_codes_global_per_hour", "3"
        )
        bad = "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZY"
        for i in range(3):
            self.assertIn("opens no conversation", self.try_code(bad, f"client-{i}"))
        self.assertIn("Too many", self.try_code(bad, "client-new"))

    def test_bad_input_is_refused_and_writes_nothing(self):
        Conversation = self.env["vp.conversation"].sudo()
        count = Conversation.search_count([])
        cases = [
            ("", None, "empty"),
            ("   \n ", None, "empty"),
            ("x" * (MAX_BODY + 1), None, "too long"),
            ("bad \x00 char", None, "control characters"),
            ("ok", ("groot.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024)), "too big"),
            ("ok", ("script.html", b"<html><script>alert(1)</script></html>"), "not accepted"),
            ("ok", ("nep.pdf", b"MZ\x90\x00 executable"), "not accepted"),
            ("ok", ("foto.pdf", b"\x89PNG\r\n\x1a\n0000"), "not accepted"),
        ]
        for body, attachment, message in cases:
            with (
                self.subTest(message=message, body=body[:10]),
                self.assertRaisesRegex(ConversationError, message),
            ):
                self.start(body=body, attachment=attachment)
        self.assertEqual(Conversation.search_count([]), count)
        for code in ("", "abc", "1234-5678", "Ü" * 24, "<script>" * 3, "x" * 500):
            with self.subTest(code=code[:10]), self.assertRaisesRegex(CodeError, "not a receipt"):
                self.neutral()._open_with_code(code, "c")

    def test_a_counsellor_who_left_gets_nothing_new_and_the_writer_is_told(self):
        conversation, code = self.start()
        self.counsellor.groups_id = [
            fields.Command.unlink(self.env.ref("vertrouwenspersoon.group_vp_counsellor").id)
        ]
        found, key = self.neutral()._open_with_code(code, "c")
        count = len(conversation.message_ids)
        with self.assertRaisesRegex(ConversationError, "no longer available"):
            found._writer_reply(key, "Is er iemand?")
        self.assertEqual(len(conversation.message_ids), count)
        # and the page no longer offers them
        with self.assertRaisesRegex(ConversationError, "cannot receive"):
            self.start()

    def test_any_counsellor_reaches_every_counsellor_until_one_takes_it(self):
        conversation, _code = self.start(profile=None)
        self.assertTrue(conversation.any_counsellor)
        # every counsellor with a vault (the demo counsellors too, with demo data)
        self.assertLessEqual(self.counsellor | self.other_counsellor, conversation.reader_ids)
        self.assertFalse(conversation.counsellor_id)
        self.as_counsellor(conversation).action_take()
        self.assertEqual(conversation.counsellor_id, self.counsellor)
        self.assertEqual(conversation.reader_ids, self.counsellor)
        with self.assertRaises(AccessError):
            conversation.with_user(self.other_counsellor).read(["name"])

    # ------------------------------------------------------------------ counsellor

    def test_new_message_sends_a_neutral_mail_without_author(self):
        mails = self.env["mail.mail"].sudo()
        before = mails.search([]).ids
        self.start(body="Geheim verhaal over Klaproos")
        mail = mails.search([("id", "not in", before)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "A new message is waiting for you")
        self.assertNotIn("Klaproos", mail.body_html)
        self.assertFalse(mail.author_id)
        self.assertEqual(mail.create_uid.id, fields.first(self.env.ref("base.user_root")).id)

    def test_locked_counsellor_sees_a_placeholder_and_cannot_answer(self):
        conversation, _code = self.start()
        vault = self.env(user=self.counsellor)["vp.vault"]
        vault.lock()
        self.addCleanup(vault.unlock, VAULT_PASS)
        mine = self.as_counsellor(conversation)
        self.assertTrue(mine.vault_locked)
        self.assertNotIn(MARKER, mine.thread_html or "")
        self.assertIn("Locked", mine.message_ids.body)
        with self.assertRaisesRegex(UserError, "Unlock"):
            mine.reply = "Antwoord"
        self.assertEqual(len(conversation.message_ids), 1)

    def test_turn_into_a_case_keeps_the_messages_as_encrypted_contact_moments(self):
        conversation, _code = self.start(attachment=("verslag.pdf", PDF))
        mine = self.as_counsellor(conversation)
        mine.reply = "Ik lees mee."
        action = mine.action_turn_into_case()
        case = self.env["vp.case"].with_user(self.counsellor).browse(action["res_id"])
        self.assertEqual(conversation.state, "case")
        self.assertEqual(conversation.case_id, case)
        self.assertEqual(case.counsellor_id, self.counsellor)
        notes = case.contact_ids.sorted("id").mapped("notes")
        self.assertEqual(len(notes), 2)
        self.assertIn(MARKER, notes[0])
        self.assertEqual(case.document_ids.name, "verslag.pdf")
        self.assertEqual(base64.b64decode(case.document_ids.datas), PDF)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT string_agg(t::text, ' ') FROM vp_case_contact t WHERE case_id = %s", [case.id]
        )
        self.assertNotIn("Klaproos", self.env.cr.fetchone()[0])
        with self.assertRaisesRegex(UserError, "already a case"):
            mine.action_turn_into_case()

    def test_a_conversation_counts_in_the_annual_report_only_as_a_case(self):
        Case = self.env["vp.case"].sudo()
        before = Case.search_count([])
        self.start()
        self.assertEqual(Case.search_count([]), before)

    def test_hand_over_and_deputy_follow_the_rules_of_cases(self):
        conversation, _code = self.start()
        self.unlock(self.other_counsellor)
        mine = self.as_counsellor(conversation)
        theirs = conversation.with_user(self.other_counsellor)
        with self.assertRaises(AccessError):
            theirs.read(["name"])
        mine.action_share_with(self.other_counsellor)
        self.assertIn(MARKER, theirs.thread_html)
        # a deputy reads and answers, but does not hand over or share
        theirs.reply = "Ik neem waar."
        with self.assertRaises(AccessError):
            theirs.action_hand_over(self.counsellor)
        mine.action_revoke(self.other_counsellor)
        with self.assertRaises(AccessError):
            theirs.read(["name"])
        mine.action_hand_over(self.other_counsellor)
        self.assertEqual(conversation.counsellor_id, self.other_counsellor)
        self.assertIn(MARKER, theirs.thread_html)
        with self.assertRaises(AccessError):
            mine.read(["name"])
        self.assertFalse(
            self.env["vp.conversation.key"]
            .sudo()
            .search(
                [("conversation_id", "=", conversation.id), ("user_id", "=", self.counsellor.id)]
            )
        )

    def test_close_and_reopen(self):
        conversation, code = self.start()
        mine = self.as_counsellor(conversation)
        mine.action_close()
        self.assertEqual(conversation.state, "closed")
        self.assertFalse(conversation.awaiting_answer)
        found, key = self.neutral()._open_with_code(code, "c")
        found._writer_reply(key, "Toch nog iets")
        self.assertEqual(conversation.state, "new")

    def cards(self, user):
        """The dashboard's counters as ``user`` sees them, by key."""
        cards = self.env["vp.case.dashboard"].with_user(user).get_cards()
        return {card["key"]: card["count"] for card in cards}

    def test_dashboard_counts_waiting_conversations(self):
        self.start()
        self.assertEqual(self.cards(self.counsellor)["conversation"], 1)
        self.assertEqual(self.cards(self.other_counsellor)["conversation"], 0)

    # ------------------------------------------------------------------ Wbk

    def test_wbk_confirmation_goes_to_the_writer_with_the_date(self):
        conversation, code = self.start()
        mine = self.as_counsellor(conversation)
        mine.action_mark_wbk()
        received = conversation.wbk_date_received
        self.assertEqual(conversation.wbk_confirm_due, received + timedelta(days=7))
        self.assertEqual(conversation.wbk_date_confirmed, fields.Date.context_today(mine))
        self.assertTrue(conversation.wbk_feedback_due)
        found, key = self.neutral()._open_with_code(code, "c")
        last = found._writer_thread(key)[-1]
        self.assertIn("Confirmation of receipt", last["body"])
        self.assertIn(received.strftime("%d-%m-%Y"), last["body"])
        mine.action_wbk_feedback_given()
        self.assertTrue(conversation.wbk_date_feedback)

    def test_wbk_deadline_reminder_and_overdue(self):
        conversation, _code = self.start()
        self.as_counsellor(conversation).action_mark_wbk()
        past = fields.Date.today() - timedelta(days=120)
        conversation.sudo().write({"wbk_date_confirmed": past})
        self.assertTrue(conversation.wbk_overdue)
        Conversation = self.env["vp.conversation"].with_user(self.counsellor)
        self.assertIn(conversation, Conversation.search([("wbk_overdue", "=", True)]))
        mails = self.env["mail.mail"].sudo()
        before = mails.search([]).ids
        Conversation.sudo()._cron_wbk_reminders()
        Conversation.sudo()._cron_wbk_reminders()  # once per deadline
        sent = mails.search([("id", "not in", before)])
        self.assertEqual(sent.mapped("subject"), ["A deadline is coming up"])
        self.assertEqual(self.cards(self.counsellor)["wbk"], 1)

    # ------------------------------------------------------------------ retention

    def test_retention_destroys_old_conversations_that_never_became_a_case(self):
        old, _code = self.start()
        kept, _code2 = self.start(body="Nog bezig")
        cased, _code3 = self.start(body="Wordt een zaak")
        self.as_counsellor(cased).action_turn_into_case()
        long_ago = fields.Datetime.now() - timedelta(days=400)
        (old | cased).sudo().write({"date_last_message": long_ago})
        destroyed = self.env["vp.conversation"].sudo()._cron_retention()
        self.assertEqual(destroyed, 1)
        self.assertFalse(old.exists())
        self.assertTrue(kept.exists() and cased.exists())
        self.env.cr.execute(
            "SELECT count(*) FROM vp_conversation_message WHERE conversation_id = %s", [old.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute(
            "SELECT count(*) FROM vp_conversation_key WHERE conversation_id = %s", [old.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_a_conversation_goes_with_the_content_of_its_case(self):
        conversation, _code = self.start()
        action = self.as_counsellor(conversation).action_turn_into_case()
        case = self.env["vp.case"].browse(action["res_id"])
        self.env["vp.conversation"].sudo()._cron_retention()
        self.assertTrue(conversation.exists())
        case.sudo()._retention_destroy()
        self.env["vp.conversation"].sudo()._cron_retention()
        self.assertFalse(conversation.exists())

    def test_retention_is_configurable(self):
        conversation, _code = self.start()
        self.env["ir.config_parameter"].sudo().set_param(
            "vertrouwenspersoon.anonymous_retention_months", "1"
        )
        conversation.sudo().date_last_message = fields.Datetime.now() - timedelta(days=40)
        self.assertEqual(self.env["vp.conversation"].sudo()._cron_retention(), 1)
