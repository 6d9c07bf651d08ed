# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An anonymous conversation: someone writes to a counsellor without giving a name and
comes back with a receipt code (see docs/anonymous.md).

Who the writer is must not be recoverable from what the database keeps:

* ``_log_access = False`` on every model of the channel: no ``create_uid``/``write_uid``
  (the logged-in employee who writes), no ``create_date`` to the second;
* the public page runs as the superuser (``SUPERUSER_ID``), never as the visitor, and
  sends its neutral e-mail as the superuser too (no author, no creator);
* no ``mail.thread``: no chatter, followers, tracking or notifications;
* the writer's message times are kept to the hour;
* no IP address, user agent or session is stored; wrong codes count per client as a
  keyed hash for an hour or so (like the booking limiter), new conversations only
  globally.

Every message (both ways) is encrypted under a random conversation key ``K``. ``K`` is
wrapped for the public key of every counsellor who may read the conversation
(``vp.conversation.key``) and under the *code key*, derived with scrypt from the
receipt code (``code_wrapped_key``). The server keeps no usable key: only the code
holder and the counsellors' unlocked vaults open ``K``.
"""

import base64
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from ...tools import receipt_code as rc
from ...tools import vault_crypto as vc
from ...tools import wbk
from ..res_users import COUNSELLOR_GROUP
from ..vault.security_log_text import _lt
from ..vault.vp_vault import lock_for_attempt
from ..vault.vp_vault_drop_mixin import VaultIntegrityError

MESSAGE_MODEL = "vp.conversation.message"
MAX_BODY = 10000  # characters of one message
MAX_FILE = 5 * 1024 * 1024  # bytes of one attachment
# detected type -> file name endings accepted for it
ALLOWED_TYPES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "text/plain": (".txt",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
}
MAX_CODE_FAILURES = 10  # wrong codes for one conversation before it locks
CONTROL_CHARS = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"} | {"\x7f"}


class ConversationError(UserError):
    """Refused input of the anonymous page, with a message for the writer."""


class CodeError(ConversationError):
    """A wrong, malformed, locked or rate-limited receipt code."""


def _code_aad(conversation_id):
    return vc._aad("vp-conversation-code", int(conversation_id))


class VpConversation(models.Model):
    _name = "vp.conversation"
    _inherit = ["vp.share.mixin", "vp.sudo.only.mixin"]
    _description = "Anonymous conversation"
    _share_wizard = "vp.conversation.share"
    _order = "date_last_message desc, id desc"
    _log_access = False  # no create_uid / write_uid: nothing of who wrote, ever
    # counsellors only type answers; everything else changes through the buttons
    _vp_refused = {
        "create": _lt("Anonymous conversations are started on the anonymous page only."),
        "write": _lt("Use the buttons to change a conversation."),
        "unlink": _lt("Conversations are destroyed by the retention policy only."),
    }
    _vp_user_fields = frozenset({"reply"})

    name = fields.Char(string="Reference", readonly=True, required=True, default="/")
    state = fields.Selection(
        [
            ("new", "New message"),
            ("answered", "Answered"),
            ("closed", "Closed"),
            ("case", "Turned into a case"),
        ],
        default="new",
        required=True,
        readonly=True,
        index=True,
    )
    counsellor_id = fields.Many2one(
        "res.users",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="Empty while the writer chose any counsellor and nobody took it yet.",
    )
    reader_ids = fields.Many2many(
        "res.users",
        "vp_conversation_reader_rel",
        "conversation_id",
        "user_id",
        string="Counsellors who can read it",
        readonly=True,
    )
    any_counsellor = fields.Boolean(string="Sent to any counsellor", readonly=True)
    date_start = fields.Datetime(string="First message", readonly=True)
    date_last_message = fields.Datetime(string="Last message", readonly=True, index=True)
    awaiting_answer = fields.Boolean(
        readonly=True, index=True, help="The last message is the writer's."
    )
    message_ids = fields.One2many(MESSAGE_MODEL, "conversation_id", string="Messages")
    message_count = fields.Integer(compute="_compute_message_count")
    case_id = fields.Many2one("vp.case", readonly=True, ondelete="set null", index=True)
    # the receipt code: a lookup hash of its first group, a slow verifier, K under its key
    code_lookup = fields.Char(readonly=True, index=True, groups="base.group_no_one")
    code_verifier = fields.Char(readonly=True, groups="base.group_no_one")
    code_wrapped_key = fields.Char(readonly=True, groups="base.group_no_one")
    code_failures = fields.Integer(string="Wrong codes in a row", readonly=True)
    code_locked = fields.Boolean(
        string="Locked after wrong codes",
        readonly=True,
        help="Too many wrong receipt codes were tried: the code opens nothing until you "
        "allow it again.",
    )
    retention_date = fields.Date(
        string="Destroyed on",
        compute="_compute_retention_date",
        help="Unless it becomes a case, the conversation is destroyed this long after "
        "its last message.",
    )
    # Wbk (Wet bescherming klokkenluiders) track
    is_wbk = fields.Boolean(string="Wbk integrity report", readonly=True)
    wbk_date_received = fields.Date(string="Received on", readonly=True)
    wbk_confirm_due = fields.Date(
        string="Confirmation of receipt due", compute="_compute_wbk_dates", store=True
    )
    wbk_date_confirmed = fields.Date(string="Receipt confirmed on", readonly=True)
    wbk_feedback_due = fields.Date(string="Feedback due", compute="_compute_wbk_dates", store=True)
    wbk_date_feedback = fields.Date(string="Feedback given on", readonly=True)
    wbk_reminded = fields.Char(readonly=True, help="Technical: reminders already sent.")
    wbk_overdue = fields.Boolean(compute="_compute_wbk_overdue", search="_search_wbk_overdue")
    # what the counsellor types: encrypted and posted on save, never stored in the clear
    reply = fields.Text(
        string="Your answer", compute="_compute_reply", inverse="_inverse_reply", store=False
    )
    thread_html = fields.Html(compute="_compute_thread_html", sanitize=False, string="Thread")
    vault_locked = fields.Boolean(compute="_compute_vault_locked")

    _sql_constraints = [
        ("code_lookup_unique", "unique(code_lookup)", "Receipt codes differ in their first group."),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("message_ids")
    def _compute_message_count(self):
        for conversation in self:
            conversation.message_count = len(conversation.message_ids)

    @api.depends("date_last_message", "case_id")
    def _compute_retention_date(self):
        months = self._retention_months()
        for conversation in self:
            last = conversation.date_last_message
            conversation.retention_date = (
                (last + relativedelta(months=months)).date()
                if last and not conversation.case_id
                else False
            )

    @api.depends("is_wbk", "wbk_date_received", "wbk_date_confirmed")
    def _compute_wbk_dates(self):
        for conversation in self:
            received = conversation.is_wbk and conversation.wbk_date_received
            confirmed = conversation.is_wbk and conversation.wbk_date_confirmed
            conversation.wbk_confirm_due = wbk.confirm_due(received)
            conversation.wbk_feedback_due = wbk.feedback_due(confirmed)

    def _compute_wbk_overdue(self):
        today = fields.Date.context_today(self)
        for conversation in self:
            conversation.wbk_overdue = conversation._wbk_next_due() is not False and (
                conversation._wbk_next_due() < today
            )

    def _search_wbk_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue Wbk deadlines."))
        domain = wbk.open_deadline_domain("<", fields.Date.context_today(self))
        return domain if (operator == "=") == value else ["!", *domain]

    def _wbk_next_due(self):
        """The next Wbk deadline still open, or False."""
        self.ensure_one()
        if not self.is_wbk:
            return False
        if not self.wbk_date_confirmed:
            return self.wbk_confirm_due
        if not self.wbk_date_feedback:
            return self.wbk_feedback_due
        return False

    def _compute_reply(self):
        for conversation in self:
            conversation.reply = False

    @api.depends_context("uid")
    def _compute_vault_locked(self):
        locked = not self.env["vp.vault"].is_vault_unlocked()
        for conversation in self:
            conversation.vault_locked = locked

    @api.depends("message_ids")
    @api.depends_context("uid")
    def _compute_thread_html(self):
        """The thread as the counsellor reads it: decrypted by this addon's code in the
        counsellor's own request, every text escaped (never rendered as HTML)."""
        _ = self.env._
        labels = dict(self.env[MESSAGE_MODEL]._fields["author"]._description_selection(self.env))
        for conversation in self:
            parts = []
            for message in conversation.message_ids.sorted("id"):
                when = fields.Datetime.context_timestamp(self, message.date).strftime(
                    "%d-%m-%Y %H:%M"
                )
                who = labels.get(message.author, "")
                if message.author == "counsellor" and message.counsellor_id:
                    who = f"{who} ({message.counsellor_id.name})"
                css = "bg-light" if message.author == "writer" else "bg-white border"
                body = message.body or ""
                parts.append(
                    Markup(
                        '<div class="p-2 mb-2 rounded %s"><div class="small text-muted">'
                        "%s · %s%s</div><div>%s</div></div>"
                    )
                    % (
                        css,
                        who,
                        when,
                        Markup(" · 📎 %s") % (message.attachment_name or _("attachment"))
                        if message.has_attachment
                        else "",
                        plaintext2html(body) if body else "",
                    )
                )
            conversation.thread_html = Markup("").join(parts) or False

    # ------------------------------------------------------------------ settings

    @api.model
    def _retention_months(self):
        return self.env["vp.settings"]._vp_value("vp_anonymous_retention_months")

    @api.model
    def _pepper(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret", "")

    # ------------------------------------------------------------------ input checks

    @api.model
    def _clean_body(self, body):
        _ = self.env._
        if not isinstance(body, str) or not body.strip():
            raise ConversationError(_("Please write a message: it is empty."))
        body = body.replace("\r\n", "\n").strip()
        if len(body) > MAX_BODY:
            raise ConversationError(
                _(
                    "Your message is too long (%(length)s characters). The limit is "
                    "%(limit)s characters: shorten it or send it in parts.",
                    length=len(body),
                    limit=MAX_BODY,
                )
            )
        if any(c in CONTROL_CHARS for c in body):
            raise ConversationError(
                _(
                    "Your message contains invisible control characters (for example from "
                    "copying and pasting). Nothing was sent. Please remove them."
                )
            )
        return body

    @api.model
    def _clean_attachment(self, name, data):
        """(name, bytes) of an accepted file, None without a file; refused with a clear
        message when too big or of a type the counsellor cannot safely open."""
        if not data:
            return None
        _ = self.env._
        if len(data) > MAX_FILE:
            raise ConversationError(
                _(
                    "The file is too big (%(size)s MB). The limit is %(limit)s MB.",
                    size=round(len(data) / 1024 / 1024, 1),
                    limit=MAX_FILE // 1024 // 1024,
                )
            )
        name = "".join(c for c in (name or "") if c not in CONTROL_CHARS and c not in "/\\")
        name = name.strip()[-120:] or "bijlage"
        mimetype = guess_mimetype(data, default="application/octet-stream")
        endings = ALLOWED_TYPES.get(mimetype, ())
        if not endings or not name.lower().endswith(endings):
            raise ConversationError(
                _(
                    "This type of file is not accepted. Send a PDF, a picture (PNG or "
                    "JPEG), a text file or a document (DOCX or ODT)."
                )
            )
        return name, data

    @api.model
    def _readers_for(self, profile):
        """Who receives a new conversation: the chosen counsellor, or every bookable
        counsellor with a vault ("any counsellor")."""
        Profile = self.env["vp.counsellor"].sudo()
        profiles = profile if profile else Profile.search(Profile._bookable_domain())
        users = profiles.filtered(lambda p: p._is_bookable()).user_id
        users = users.filtered(lambda u: self.env["vp.vault"]._vault_of(u).public_key)
        if not users:
            raise ConversationError(
                self.env._(
                    "This counsellor cannot receive anonymous messages at the moment. "
                    "Nothing was sent: please choose another counsellor."
                )
                if profile
                else self.env._(
                    "No counsellor can receive anonymous messages at the moment. Nothing was sent."
                )
            )
        return users

    def _current_readers(self):
        """Readers who are still counsellors with a vault: new content is for them."""
        self.ensure_one()
        users = self.sudo().reader_ids.filtered(
            lambda u: (
                u.active
                and u.has_group(COUNSELLOR_GROUP)
                and self.env["vp.vault"]._vault_of(u).public_key
            )
        )
        return users

    # ------------------------------------------------------------------ writer side
    # These run as the superuser (the public page): see the module docstring.

    @api.model
    def _check_superuser_env(self):
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(self.env._("The anonymous channel writes as the superuser only."))

    @api.model
    def _writer_now(self):
        """The writer's time, kept to the hour: minutes and seconds help nobody answer
        but help whoever holds the web server's access log."""
        return fields.Datetime.now().replace(minute=0, second=0, microsecond=0)

    @api.model
    def _start(self, profile, body, attachment=None):
        """A new conversation with its first message; returns (conversation, code)."""
        self._check_superuser_env()
        body = self._clean_body(body)
        attachment = self._clean_attachment(*attachment) if attachment else None
        readers = self._readers_for(profile)
        attempts = self.env["vp.booking.attempt"]
        key = attempts._hash("anon-new", "all")
        limit = self.env["vp.settings"]._vp_value("vp_anonymous_new_per_hour")
        if attempts._count_recent(key) >= limit:
            raise ConversationError(
                self.env._(
                    "Too many anonymous messages were sent in the last hour. Nothing was "
                    "sent: please try again later."
                )
            )
        # counted at the hour, like the message itself: no row holds the second it was sent
        self.env.cr.execute(
            "INSERT INTO vp_booking_attempt (key, date) VALUES (%s, %s)", [key, self._writer_now()]
        )
        pepper = self._pepper()
        for _attempt in range(20):
            code = rc.generate()
            canonical = rc.normalize(code)
            lookup = rc.lookup_id(canonical, pepper)
            if not self.search_count([("code_lookup", "=", lookup)]):
                break
        verifier, code_key = rc.new_verifier(canonical)
        now = self._writer_now()
        conversation = self.create(
            {
                "counsellor_id": profile.user_id.id if profile else False,
                "any_counsellor": not profile,
                "reader_ids": [fields.Command.set(readers.ids)],
                "code_lookup": lookup,
                "code_verifier": verifier,
                "date_start": now,
                "date_last_message": now,
            }
        )
        data_key = vc.random_key()
        conversation.write(
            {
                "name": f"AN-{conversation.id:05d}",
                "code_wrapped_key": base64.b64encode(
                    vc.seal(code_key, data_key, _code_aad(conversation.id))
                ).decode(),
            }
        )
        for user in readers:
            conversation._wrap_for(user, data_key)
        conversation._add_message(data_key, "writer", body, attachment)
        conversation._notify_readers("new")
        return conversation, code

    def _wrap_for(self, user, data_key):
        self.ensure_one()
        keys = self.env["vp.conversation.key"].sudo()
        keys.search([("conversation_id", "=", self.id), ("user_id", "=", user.id)]).unlink()
        keys.create(
            {
                "conversation_id": self.id,
                "user_id": user.id,
                "wrapped_key": self.env["vp.vault"]._wrap_for(
                    user, data_key, ("vp.conversation", self.id, user.id)
                ),
            }
        )

    @api.model
    def _client_key(self, client):
        return self.env["vp.booking.attempt"]._hash("anon-code", client or "-")

    @api.model
    def _open_with_code(self, code, client=None):
        """(conversation, K) for a receipt code; CodeError otherwise.

        Wrong codes are counted per client (a keyed hash, forgotten after a day), globally
        and per conversation (locked after MAX_CODE_FAILURES); counters are written in the
        current transaction: the caller must let it commit (the controller does).
        """
        self._check_superuser_env()
        _ = self.env._
        canonical = rc.normalize(code)
        if not canonical:
            raise CodeError(
                _(
                    "This is not a receipt code. A receipt code has 24 letters and digits in "
                    "6 groups of 4, for example 7KQ2-M9XD-4H1P-ZR8C-3W6N-TB5E."
                )
            )
        attempts = self.env["vp.booking.attempt"]
        client_key = self._client_key(client)
        global_key = attempts._hash("anon-code", "all")
        settings = self.env["vp.settings"]
        # the client's guard row first: a parallel burst of one client is refused, not
        # counted twice (see vp.booking.guard)
        if (
            not self.env["vp.booking.guard"].sudo()._claim([client_key])
            or attempts._count_recent(client_key)
            >= settings._vp_value("vp_anonymous_wrong_codes_per_hour")
            or attempts._count_recent(global_key)
            >= settings._vp_value("vp_anonymous_wrong_codes_global_per_hour")
        ):
            raise CodeError(
                _("Too many wrong receipt codes were tried. Please try again in an hour.")
            )
        conversation = self.search(
            [("code_lookup", "=", rc.lookup_id(canonical, self._pepper()))], limit=1
        )
        wrong = CodeError(
            _(
                "This receipt code opens no conversation. Check it and try again; a "
                "conversation destroyed after its retention period cannot be opened."
            )
        )
        if not conversation:
            attempts._add([client_key, global_key])
            raise wrong
        conversation._lock_for_attempt()
        if conversation.code_locked:
            raise CodeError(
                _(
                    "This conversation is locked because wrong receipt codes were tried too "
                    "often. The counsellor has been told and can open it again for you; "
                    "try again in a few days."
                )
            )
        code_key = rc.check(canonical, conversation.code_verifier)
        if code_key is None:
            attempts._add([client_key, global_key])
            conversation._register_code_failure()
            raise wrong
        if conversation.code_failures:
            conversation.code_failures = 0
        try:
            data_key = vc.open_sealed(
                code_key,
                base64.b64decode(conversation.code_wrapped_key or ""),
                _code_aad(conversation.id),
            )
        except (vc.VaultCryptoError, ValueError) as exc:
            raise CodeError(
                _("This conversation cannot be opened: its key was tampered with.")
            ) from exc
        return conversation, data_key

    def _lock_for_attempt(self):
        """One code check at a time per conversation, on the latest counters."""
        lock_for_attempt(
            self,
            0x7671,
            ["code_failures", "code_locked"],
            CodeError(self.env._("Another attempt is in progress. Try again.")),
        )

    def _register_code_failure(self):
        self.ensure_one()
        failures = self.code_failures + 1
        vals = {"code_failures": failures}
        if failures >= MAX_CODE_FAILURES:
            vals["code_locked"] = True
        self.write(vals)
        if vals.get("code_locked"):
            self._notify_readers("locked")

    def _writer_thread(self, data_key):
        """The thread as the writer sees it (dicts), decrypted with K."""
        self.ensure_one()
        messages = self.message_ids.sorted("id")
        return [
            {
                "author": message.author,
                "date": message.date,
                "body": message._decrypt_with(data_key, "body"),
                "attachment_name": message.has_attachment
                and message._decrypt_with(data_key, "attachment_name"),
            }
            for message in messages
        ]

    def _writer_reply(self, data_key, body, attachment=None):
        """A further message of the writer (already holding K from the code)."""
        self.ensure_one()
        self._check_superuser_env()
        body = self._clean_body(body)
        attachment = self._clean_attachment(*attachment) if attachment else None
        if self.code_locked:
            raise CodeError(self.env._("This conversation is locked."))
        if not self._current_readers():
            raise ConversationError(
                self.env._(
                    "The counsellor of this conversation is no longer available, and "
                    "nobody else can read it. Nothing was sent. Please start a new "
                    "conversation with another counsellor."
                )
            )
        now = self._writer_now()
        self._add_message(data_key, "writer", body, attachment, date=now)
        vals = {"date_last_message": now, "awaiting_answer": True}
        if self.state in ("answered", "closed"):
            vals["state"] = "new"
        self.write(vals)
        self._notify_readers("new")

    # ------------------------------------------------------------------ messages

    def _add_message(self, data_key, author, body, attachment=None, date=None, **extra):
        """Encrypt and store one message under K (the caller checked the input)."""
        self.ensure_one()
        messages = self.env[MESSAGE_MODEL].sudo()
        message = messages.create(
            {
                "conversation_id": self.id,
                "author": author,
                "date": date
                or (self._writer_now() if author == "writer" else fields.Datetime.now()),
                "has_attachment": bool(attachment),
                **extra,
            }
        )
        vals = {"body_enc": vc.encrypt_field(data_key, body, MESSAGE_MODEL, message.id, "body")}
        if attachment:
            name, data = attachment
            vals["attachment_name_enc"] = vc.encrypt_field(
                data_key, name, MESSAGE_MODEL, message.id, "attachment_name"
            )
            vals["attachment_enc"] = vc.encrypt_field(
                data_key, data, MESSAGE_MODEL, message.id, "attachment"
            )
        message.write(vals)
        if author == "writer":
            self.sudo().awaiting_answer = True
        return message

    # ------------------------------------------------------------------ e-mails

    def _notify_readers(self, kind):
        """A neutral e-mail to every reader: no content, no subject of the writer.

        Sent as the superuser: no mail.message records who triggered it.
        """
        env = self.env(user=SUPERUSER_ID)
        for conversation in self.with_env(env):
            readers = conversation.counsellor_id or conversation.reader_ids
            for user in readers.filtered(lambda u: u.email and u.has_group(COUNSELLOR_GROUP)):
                conversation.with_context(lang=user.lang)._send_neutral_mail(kind, user)

    def _send_neutral_mail(self, kind, user):
        _ = self.env._
        subjects = {
            "new": _("A new message is waiting for you"),
            "locked": _("Something needs your attention"),
            "wbk": _("A deadline is coming up"),
        }
        url = f"{self.get_base_url()}/odoo/action-vertrouwenspersoon.vp_conversation_action"
        body = Markup('<p>%s</p><p><a href="%s">%s</a></p>') % (
            subjects[kind] + ".",
            url,
            _("Open Odoo"),
        )
        self.env["mail.mail"].sudo().create(
            {
                "subject": subjects[kind],
                "body_html": body,
                "email_to": user.email_formatted,
                "email_from": self.env.company.email_formatted or user.email_formatted,
                "author_id": False,
                "auto_delete": True,
                "vp_booking_mail": True,
            }
        )

    # ------------------------------------------------------------------ counsellor side

    def _check_reader(self, responsible=False):
        """Raise unless the current user may act on every conversation (``responsible``:
        the counsellor itself, or any reader while nobody took it)."""
        self.check_access("read")
        for conversation in self:
            readers = conversation.sudo().reader_ids
            if self.env.user not in readers:
                raise AccessError(self.env._("This is not your conversation."))
            owner = conversation.sudo().counsellor_id
            if responsible and owner and owner != self.env.user:
                raise AccessError(
                    self.env._("Only the counsellor of %s can do this.", conversation.name)
                )

    def _conversation_key(self):
        """K for the current user through the vault gate, or None (locked, not a reader)."""
        self.ensure_one()
        private = self.env["vp.vault"]._get_private_key()
        if private is None:
            return None
        row = (
            self.env["vp.conversation.key"]
            .sudo()
            .search([("conversation_id", "=", self.id), ("user_id", "=", self.env.uid)], limit=1)
        )
        if not row:
            return None
        try:
            return vc.unwrap_key(
                private, row.wrapped_key, ("vp.conversation", self.id, self.env.uid)
            )
        except vc.VaultCryptoError:
            raise VaultIntegrityError(
                self.env._("The key of %s does not authenticate: it was tampered with.", self.name)
            ) from None

    def _key_or_unlock(self):
        key = self._conversation_key()
        if key is None:
            raise UserError(self.env._("Unlock your vault first."))
        return key

    def _inverse_reply(self):
        for conversation in self:
            if conversation.reply:
                conversation._post_answer(conversation.reply)

    def _post_answer(self, body, **extra):
        self.ensure_one()
        self._check_reader()
        if self.case_id and self.case_id.sudo().destroyed_date:
            raise UserError(self.env._("This conversation's case was destroyed."))
        body = self._clean_body(body)
        data_key = self._key_or_unlock()
        message = self._add_message(
            data_key, "counsellor", body, counsellor_id=self.env.uid, **extra
        )
        vals = {"awaiting_answer": False, "date_last_message": message.date}
        if self.state == "new":
            vals["state"] = "answered"
        self.sudo().write(vals)
        return message

    def action_unlock_vault(self):
        """To the unlock page, and back to this conversation."""
        self.ensure_one()
        self._check_reader()
        action = self.env.ref("vertrouwenspersoon.vp_conversation_action")
        return {
            "type": "ir.actions.act_url",
            "url": f"/vertrouwenspersoon/vault?redirect=/odoo/action-{action.id}/{self.id}",
            "target": "self",
        }

    def action_send_reply(self):
        """The form saved the answer (inverse of ``reply``) before calling this."""
        self._check_reader()
        return True

    def action_take(self):
        """Take a conversation sent to any counsellor: the others no longer read it."""
        self._check_reader()
        me = self.env.user
        for conversation in self.sudo():
            if conversation.counsellor_id:
                raise UserError(self.env._("%s already has a counsellor.", conversation.name))
            conversation._change_access(
                "reassign",
                me,
                {"counsellor_id": me.id, "reader_ids": [fields.Command.set(me.ids)]},
                _lt(
                    "%(actor)s took anonymous conversation %(ref)s.",
                    **conversation._access_log_names(me),
                ),
                dropped=conversation.reader_ids - me,
            )
        return True

    def _access_log_names(self, user):
        """What a security log line of an access change names."""
        return {"actor": self.env.user.name, "ref": self.name, "user": user.name}

    def _change_access(self, event, user, vals, message, dropped=None):
        """Write ``vals`` (counsellor, readers) on this one conversation, delete the
        wrapped keys of the ``dropped`` users and log ``message`` about ``user``."""
        self.ensure_one()
        self.sudo().write(vals)
        if dropped:
            self.env["vp.conversation.key"].sudo().search(
                [("conversation_id", "=", self.id), ("user_id", "in", dropped.ids)]
            ).unlink()
        self.env["vp.security.log"].sudo()._log(event, message, user=user)

    def _other_counsellor(self, user):
        user = self.env["vp.case"]._counsellor_arg(user)
        if not user or not user.has_group(COUNSELLOR_GROUP):
            raise UserError(self.env._("A conversation can only go to another counsellor."))
        if not self.env["vp.vault"]._vault_of(user).public_key:
            raise UserError(
                self.env._("%s has no vault yet: nothing can be shared with them.", user.name)
            )
        return user

    def action_share_with(self, user):
        """Let another counsellor read and answer (deputy); needs the vault unlocked."""
        self._check_reader(responsible=True)
        user = self._other_counsellor(user)
        for conversation in self:
            if user in conversation.sudo().reader_ids:
                continue
            conversation._wrap_for(user, conversation._key_or_unlock())
            conversation._change_access(
                "share",
                user,
                {"reader_ids": [fields.Command.link(user.id)]},
                _lt(
                    "%(actor)s shared anonymous conversation %(ref)s with %(user)s.",
                    **conversation._access_log_names(user),
                ),
            )
        return True

    def action_revoke(self, user):
        self._check_reader(responsible=True)
        user = self.env["vp.case"]._counsellor_arg(user)
        for conversation in self.sudo():
            if user not in conversation.reader_ids or user == conversation.counsellor_id:
                continue
            conversation._change_access(
                "revoke",
                user,
                {"reader_ids": [fields.Command.unlink(user.id)]},
                _lt(
                    "%(actor)s revoked the access of %(user)s to anonymous conversation %(ref)s.",
                    **conversation._access_log_names(user),
                ),
                dropped=user,
            )
        return True

    def action_hand_over(self, user):
        """Give the conversation to another counsellor; the previous one no longer reads it."""
        self._check_reader(responsible=True)
        user = self._other_counsellor(user)
        me = self.env.user
        for conversation in self:
            conversation._wrap_for(user, conversation._key_or_unlock())
            conversation._change_access(
                "reassign",
                user,
                {
                    "counsellor_id": user.id,
                    "any_counsellor": False,
                    "reader_ids": [fields.Command.link(user.id), fields.Command.unlink(me.id)],
                },
                _lt(
                    "%(actor)s handed anonymous conversation %(ref)s over to %(user)s.",
                    **conversation._access_log_names(user),
                ),
                dropped=me,
            )
        return {"type": "ir.actions.act_window_close"}

    def action_close(self):
        self._check_reader()
        self.sudo().filtered(lambda c: c.state in ("new", "answered")).write(
            {"state": "closed", "awaiting_answer": False}
        )
        return True

    def action_reopen(self):
        self._check_reader()
        self.sudo().filtered(lambda c: c.state == "closed").write({"state": "answered"})
        return True

    def action_allow_code_again(self):
        """The writer may try their code again (after the counsellor's judgement)."""
        self._check_reader(responsible=True)
        self.sudo().write({"code_locked": False, "code_failures": 0})
        return True

    def _check_may_share(self):
        self._check_reader(responsible=True)

    def action_turn_into_case(self):
        """One click: a case of this counsellor, each message an encrypted contact moment
        and each attachment a case document (content through the case vault)."""
        self.ensure_one()
        self._check_reader()
        _ = self.env._
        if self.case_id:
            raise UserError(_("%s is already a case.", self.name))
        if self.sudo().counsellor_id not in (self.env.user, self.env["res.users"]):
            raise UserError(_("Only the counsellor of the conversation can turn it into a case."))
        data_key = self._key_or_unlock()
        if not self.sudo().counsellor_id:
            self.action_take()
        labels = dict(self.env[MESSAGE_MODEL]._fields["author"]._description_selection(self.env))
        contacts, documents = [], []
        for message in self.message_ids.sorted("id"):
            body = message._decrypt_with(data_key, "body")
            contacts.append(
                fields.Command.create(
                    {
                        "date": message.date,
                        "duration": 0.0,
                        "channel": False,
                        "notes": f"{labels[message.author]}: {body}",
                    }
                )
            )
            if message.has_attachment:
                documents.append(
                    fields.Command.create(
                        {
                            "name": message._decrypt_with(data_key, "attachment_name"),
                            "datas": base64.b64encode(
                                message._decrypt_with(data_key, "attachment")
                            ),
                        }
                    )
                )
        case = self.env["vp.case"].create(
            {
                "date_intake": fields.Datetime.context_timestamp(self, self.date_start).date(),
                "melder_name": _("Anonymous (conversation %s)", self.name),
                "contact_ids": contacts,
                "document_ids": documents,
            }
        )
        self.sudo().write({"case_id": case.id, "state": "case"})
        if self.is_wbk and hasattr(case, "_wbk_from_conversation"):
            case._wbk_from_conversation(self)
        return case._action_open_form()

    # ------------------------------------------------------------------ Wbk

    def action_mark_wbk(self):
        """Mark as a Wbk integrity report: the confirmation of receipt goes to the writer
        through the conversation at once, with the date of receipt."""
        self._check_reader(responsible=True)
        today = fields.Date.context_today(self)
        for conversation in self:
            if conversation.is_wbk:
                continue
            received = fields.Datetime.context_timestamp(self, conversation.date_start).date()
            conversation.sudo().write({"is_wbk": True, "wbk_date_received": received})
            conversation._post_answer(
                self.env._(
                    "Confirmation of receipt: your report was received on %(date)s. It is "
                    "handled as a report of wrongdoing under the Dutch Whistleblower "
                    "Protection Act (Wet bescherming klokkenluiders). You will hear about "
                    "the follow-up within three months of today.",
                    date=received.strftime("%d-%m-%Y"),
                ),
                is_wbk_confirmation=True,
            )
            conversation.sudo().wbk_date_confirmed = today
        return True

    def action_wbk_feedback_given(self):
        self._check_reader()
        self.sudo().filtered("is_wbk").write({"wbk_date_feedback": fields.Date.context_today(self)})
        return True

    @api.model
    def _cron_wbk_reminders(self):
        """Daily: a neutral e-mail to the counsellor before each open Wbk deadline."""
        today = fields.Date.context_today(self)
        soon = today + timedelta(days=wbk.REMIND_DAYS)
        for conversation in self.sudo().search([("is_wbk", "=", True), ("state", "!=", "case")]):
            due = conversation._wbk_next_due()
            step = "confirm" if not conversation.wbk_date_confirmed else "feedback"
            sent = (conversation.wbk_reminded or "").split(",")
            if due and due <= soon and step not in sent:
                conversation._notify_readers("wbk")
                conversation.wbk_reminded = ",".join(filter(None, [*sent, step]))
        # the same for Wbk cases (a case made from a conversation is reminded as a case)
        for case in self.env["vp.case"].sudo().search([("is_wbk", "=", True)]):
            due = wbk.next_due(
                case.wbk_date_received, case.wbk_date_confirmed, case.wbk_date_feedback
            )
            step = "confirm" if not case.wbk_date_confirmed else "feedback"
            sent = (case.wbk_reminded or "").split(",")
            if due and due <= soon and step not in sent and case.counsellor_id.email:
                self.with_context(lang=case.counsellor_id.lang)._send_neutral_mail(
                    "wbk", case.counsellor_id
                )
                case.wbk_reminded = ",".join(filter(None, [*sent, step]))

    # ------------------------------------------------------------------ retention

    @api.model
    def _cron_retention(self):
        """Daily: destroy conversations that never became a case, a configurable time
        (default 12 months) after their last message, and those whose case's content
        was destroyed. Nothing of them is kept: rows, keys and code verifier go."""
        limit = fields.Datetime.now() - relativedelta(months=self._retention_months())
        expired = self.sudo().search(
            [
                "|",
                "&",
                ("case_id", "=", False),
                ("date_last_message", "<", limit),
                ("case_id.destroyed_date", "!=", False),
            ]
        )
        count = len(expired)
        expired.unlink()
        return count
