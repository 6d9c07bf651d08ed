# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The anonymous pages over HTTP, as a logged-in employee and as a visitor: the employee
stays anonymous, the code is shown once and kept nowhere, bad input is refused."""

import logging
import re

from odoo.tests import HttpCase, tagged

from ..models.conversation.vp_conversation import MAX_BODY
from ..tools import receipt_code as rc
from .anonymous_common import FILE_MARKER, MARKER, AnonymousFixture

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE_RE = re.compile(r'id="vp-receipt-code">([0-9A-Z-]+)<')
SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>"
BASE = "/vertrouwenspersoon/anoniem"
# Every column the channel's rows may fill. A new column fails this test until someone
# checked that it cannot identify the writer.
EXPECTED_COLUMNS = {
    "vp_conversation": {
        "id",
        "name",
        "state",
        "counsellor_id",
        "any_counsellor",
        "date_start",
        "date_last_message",
        "awaiting_answer",
        "case_id",
        "code_lookup",
        "code_verifier",
        "code_wrapped_key",
        "code_failures",
        "code_locked",
        "is_wbk",
        "wbk_date_received",
        "wbk_confirm_due",
        "wbk_date_confirmed",
        "wbk_feedback_due",
        "wbk_date_feedback",
        "wbk_reminded",
    },
    "vp_conversation_message": {
        "id",
        "conversation_id",
        "author",
        "counsellor_id",
        "date",
        "has_attachment",
        "is_wbk_confirmation",
        "body_enc",
        "attachment_name_enc",
        "attachment_enc",
    },
    "vp_conversation_key": {"id", "conversation_id", "user_id", "wrapped_key"},
    "vp_conversation_reader_rel": {"conversation_id", "user_id"},
}


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        try:
            self.lines.append(record.getMessage())
        except Exception:  # noqa: BLE001 (a broken log record is no evidence either way)
            self.lines.append(str(record.msg))


@tagged("post_install", "-at_install")
class TestAnonymousHttp(AnonymousFixture, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_anonymous()

    def csrf(self, url=BASE):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return CSRF_RE.search(response.text).group(1)

    def send(self, data, files=None, url=BASE):
        data = {"counsellor": str(self.profile.id), **data, "csrf_token": self.csrf()}
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def open_thread(self, code):
        return self.url_open(
            f"{BASE}/gesprek", data={"code": code, "csrf_token": self.csrf()}, allow_redirects=False
        )

    def capture_logs(self):
        handler = _Capture()
        root = logging.getLogger()
        root.addHandler(handler)
        self.addCleanup(root.removeHandler, handler)
        return handler

    # ------------------------------------------------------------------ the writer

    def test_employee_writes_reads_the_answer_and_stays_anonymous(self):
        logs = self.capture_logs()
        self.authenticate("vp_a_employee", "vp_a_employee")
        page = self.url_open(BASE)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Anna Anoniem", page.text)
        self.assertIn("you lose access", page.text)
        self.assertIn("default-src 'none'", page.headers["Content-Security-Policy"])
        self.assertEqual(page.headers["Cache-Control"], "no-store")
        mails_before = self.env["mail.mail"].sudo().search([]).ids
        response = self.send(
            {"body": f"{MARKER} {SCRIPT}"},
            files={"attachment": ("notulen.txt", FILE_MARKER, "text/plain")},
        )
        self.assertEqual(response.status_code, 200, response.text[-600:])
        code = CODE_RE.search(response.text).group(1)
        self.assertIsNotNone(rc.normalize(code))
        conversation = self.env["vp.conversation"].sudo().search([], order="id desc", limit=1)
        self.assertEqual(conversation.counsellor_id, self.counsellor)
        self.env.flush_all()
        # --- nothing on the new rows links to the employee
        employee = self.employee
        ids = {employee.id, employee.partner_id.id}
        for table, expected in EXPECTED_COLUMNS.items():
            self.env.cr.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                [table],
            )
            self.assertEqual({c for (c,) in self.env.cr.fetchall()}, expected, table)
        self.env.cr.execute(
            "SELECT t::text FROM vp_conversation t WHERE id = %s", [conversation.id]
        )
        row = self.env.cr.fetchone()[0]
        for needle in ("vp_a_employee", "127.0.0.1", "python-requests", employee.name):
            self.assertNotIn(needle, row)
        users = set(conversation.reader_ids.ids) | set(conversation.counsellor_id.ids)
        self.assertFalse(users & ids)
        self.assertFalse(set(conversation.message_ids.counsellor_id.ids) & ids)
        mails = self.env["mail.mail"].sudo().search([("id", "not in", mails_before)])
        self.assertEqual(mails.mapped("subject"), ["A new message is waiting for you"])
        self.assertFalse(mails.author_id)
        self.assertNotIn(employee.id, mails.create_uid.ids + mails.mail_message_id.create_uid.ids)
        self.assertNotIn(employee.partner_id, mails.mail_message_id.author_id)
        self.assertFalse(
            self.env["mail.message"].sudo().search_count([("model", "=", "vp.conversation")])
        )
        # --- the code is in no row, no mail and no log line
        canonical = rc.normalize(code)
        for text in (code, canonical):
            self.assertNotIn(text, row)
            self.assertNotIn(text, " ".join(mails.mapped("body_html")))
            self.assertFalse([line for line in logs.lines if text in line])
        # --- the counsellor answers with HTML in it; the writer sees it escaped
        self.as_counsellor(conversation).reply = f"Antwoord {SCRIPT}"
        thread = self.open_thread(code.lower())
        self.assertEqual(thread.status_code, 200)
        self.assertIn(MARKER, thread.text)
        self.assertIn("notulen.txt", thread.text)
        self.assertNotIn("<script>", thread.text)
        self.assertNotIn("<img src=x", thread.text)
        self.assertIn("&lt;script&gt;", thread.text)
        # --- and writes more with the code
        more = self.url_open(
            f"{BASE}/gesprek/schrijven",
            data={"code": code, "body": "Tweede bericht", "csrf_token": self.csrf()},
        )
        self.assertEqual(more.status_code, 200)
        self.assertIn("Your message was sent", more.text)
        self.assertIn("Tweede bericht", more.text)
        self.assertEqual(len(conversation.message_ids), 3)
        # the backend shows the writer's script as text too
        html = self.as_counsellor(conversation).thread_html
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;script&gt;", html)

    def test_the_code_is_shown_once_and_downloads_as_a_file(self):
        response = self.send({"body": MARKER, "counsellor": "any"})
        code = CODE_RE.search(response.text).group(1)
        self.assertEqual(response.text.count(code), 3)  # shown, download form, open form
        download = self.url_open(
            f"{BASE}/ontvangstbewijs", data={"code": code, "csrf_token": self.csrf()}
        )
        self.assertEqual(download.status_code, 200)
        self.assertIn("attachment", download.headers["Content-Disposition"])
        self.assertIn(code, download.text)
        # the home page and the thread never show it again
        self.assertNotIn(code, self.url_open(BASE).text)
        self.assertNotIn(code, self.open_thread(code).text.replace(f'value="{code}"', ""))

    def test_bad_input_gets_a_clear_message_and_writes_nothing(self):
        Conversation = self.env["vp.conversation"].sudo()
        count = Conversation.search_count([])
        cases = [
            ({"body": ""}, None, "empty"),
            ({"body": "x" * (MAX_BODY + 1)}, None, "too long"),
            ({"body": "ok", "counsellor": "999999"}, None, "cannot receive"),
            ({"body": "ok", "counsellor": "abc"}, None, "cannot receive"),
            (
                {"body": "ok"},
                {"attachment": ("groot.txt", b"a" * (5 * 1024 * 1024 + 10), "text/plain")},
                "too big",
            ),
            (
                {"body": "ok"},
                {"attachment": ("pagina.html", b"<html><script>x</script></html>", "text/html")},
                "not accepted",
            ),
        ]
        for data, files, message in cases:
            with self.subTest(message=message):
                response = self.send(data, files=files)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertNotIn("Traceback", response.text)
        # no CSRF token, and the honeypot
        response = self.url_open(BASE, data={"body": "ok", "counsellor": "any"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("expired", response.text)
        response = self.send({"body": "ok", "website": "spam"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Conversation.search_count([]), count)
        # malformed and wrong codes
        for code in ("", "1234", "<script>alert(1)</script>", "Z" * 24):
            with self.subTest(code=code):
                response = self.open_thread(code)
                self.assertEqual(response.status_code, 403)
                self.assertNotIn("<script>alert", response.text)

    def test_booking_pages_link_to_the_anonymous_page(self):
        self.authenticate("vp_a_employee", "vp_a_employee")
        self.assertIn(BASE, self.url_open("/my/vertrouwenspersoon").text)
