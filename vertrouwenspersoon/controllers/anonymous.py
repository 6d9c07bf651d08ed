# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The anonymous channel: write to a counsellor without a name, come back with a code.

* The pages are rendered from a file (views/vp_conversation_page.html) with Jinja2, no
  script, a strict Content-Security-Policy and ``Cache-Control: no-store``, like the
  vault pages: no administrator's inherited layout or view can read what is typed here
  (the message, the receipt code).
* Everything is written as the superuser, never as the visitor: a logged-in employee
  leaves no user, partner or session on any row. Nothing is put in the session either;
  the code travels only in POST bodies (never in a URL, so never in an access log).
* The code is shown once, in the response to the POST that sent the first message.
"""

from odoo import SUPERUSER_ID, http
from odoo.http import request
from odoo.tools import format_datetime

from ..models.conversation.vp_conversation import (
    MAX_BODY,
    MAX_FILE,
    CodeError,
    ConversationError,
)
from ..tools import receipt_code as rc
from .anonymous_texts import anonymous_texts
from .file_page import HEADERS, render_page

BASE = "/vertrouwenspersoon/anoniem"
THREAD = f"{BASE}/gesprek"
REPLY = f"{BASE}/gesprek/schrijven"
RECEIPT = f"{BASE}/ontvangstbewijs"


class AnonymousController(http.Controller):
    # ------------------------------------------------------------------ helpers

    def _neutral_env(self):
        """The superuser, with the visitor's language: what the page writes carries no
        trace of who is visiting."""
        return request.env(user=SUPERUSER_ID)

    def _profiles(self):
        Profile = request.env["vp.counsellor"].sudo()
        return Profile.search(Profile._bookable_domain())

    def _render(self, page, status=200, **values):
        env = request.env
        conversations = env["vp.conversation"].sudo()
        values.setdefault("error", None)
        values.setdefault("notice", None)
        values.setdefault("post", {})
        values.update(
            page=page,
            t=anonymous_texts(env, conversations._retention_months()),
            lang=(env.lang or "en_US").split("_")[0],
            company=env.company.name,
            csrf_token=request.csrf_token(),
            base=BASE,
            thread_url=THREAD,
            reply_url=REPLY,
            receipt_url=RECEIPT,
            max_body=MAX_BODY,
            book_url="/vertrouwenspersoon/afspraak"
            if env.user._is_public()
            else "/my/vertrouwenspersoon",
            profiles=[
                {"id": p.id, "name": p.name, "is_external": p.is_external} for p in self._profiles()
            ],
        )
        return render_page("vp_conversation_page.html", values, status=status)

    def _bad_csrf(self, page="home", **values):
        return self._render(
            page,
            status=400,
            error=request.env._(
                "This form has expired or was not sent from this site. Nothing was sent. "
                "Please reload the page and try again."
            ),
            **values,
        )

    def _attachment(self):
        upload = request.httprequest.files.get("attachment")
        if not upload or not upload.filename:
            return None
        # read one byte more than allowed: enough to refuse a file that is too big
        return upload.filename, upload.read(MAX_FILE + 1)

    def _thread_values(self, conversation, data_key):
        env = request.env
        thread = conversation._writer_thread(data_key)
        for item in thread:
            item["when"] = format_datetime(env, item["date"], dt_format="short")
        return {"thread": thread}

    def _client(self):
        return request.httprequest.remote_addr or ""

    def _open(self, code, post):
        """``(None, (conversation, K))`` for the receipt code of a posted form, or
        ``(page, None)``: the page that refuses the form or the code. A refusal is returned,
        not raised: the counters of wrong codes are committed."""
        if not request.validate_csrf(post.get("csrf_token")):
            return self._bad_csrf("code"), None
        try:
            return None, self._neutral_env()["vp.conversation"]._open_with_code(
                code, self._client()
            )
        except CodeError as exc:
            return self._render("code", status=403, error=exc.args[0]), None

    # ------------------------------------------------------------------ pages

    @http.route(BASE, type="http", auth="public", methods=["GET"], sitemap=False)
    def anonymous_home(self, **kw):
        return self._render("home")

    @http.route(BASE, type="http", auth="public", methods=["POST"], csrf=False, sitemap=False)
    def anonymous_send(self, **post):
        if not request.validate_csrf(post.get("csrf_token")):
            return self._bad_csrf(post=post)
        if post.get("website"):  # honeypot: invisible to people, filled in by bots
            return self._render("home", status=400, error=request.env._("Nothing was sent."))
        env = self._neutral_env()
        profile = env["vp.counsellor"]
        choice = post.get("counsellor") or "any"
        if choice != "any":
            try:
                profile = profile.browse(int(choice)).exists()
            except ValueError:
                profile = profile.browse()
            if not profile or not profile._is_bookable():
                return self._render(
                    "home",
                    status=400,
                    post=post,
                    error=request.env._(
                        "This counsellor cannot receive messages (any more). Nothing was "
                        "sent: please choose another one."
                    ),
                )
        try:
            with env.cr.savepoint():
                conversation, code = env["vp.conversation"]._start(
                    profile, post.get("body"), self._attachment()
                )
        except ConversationError as exc:
            return self._render("home", status=400, post=post, error=exc.args[0])
        return self._render("receipt", code=code, reference=conversation.name)

    @http.route(RECEIPT, type="http", auth="public", methods=["POST"], csrf=False, sitemap=False)
    def anonymous_receipt(self, code="", **post):
        """The receipt code as a text file (the browser posts back the code it shows)."""
        if not request.validate_csrf(post.get("csrf_token")):
            return self._bad_csrf()
        canonical = rc.normalize(code)
        if not canonical:
            return self._render("home", status=400, error=request.env._("Nothing to download."))
        _ = request.env._
        text = "\r\n".join(
            [
                _("Receipt code of your anonymous conversation"),
                "",
                rc.format_code(canonical),
                "",
                _("Open your conversation at: %s", request.httprequest.host_url.rstrip("/") + BASE),
                _(
                    "Keep this code where nobody else finds it. Without it, nobody can open the "
                    "conversation for you."
                ),
                "",
            ]
        )
        return request.make_response(
            text.encode(),
            headers=[
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Disposition", 'attachment; filename="ontvangstbewijs.txt"'),
                *HEADERS,
            ],
        )

    @http.route(THREAD, type="http", auth="public", methods=["GET"], sitemap=False)
    def anonymous_thread_form(self, **kw):
        return self._render("code")

    @http.route(THREAD, type="http", auth="public", methods=["POST"], csrf=False, sitemap=False)
    def anonymous_thread(self, code="", **post):
        refused, opened = self._open(code, post)
        if refused:
            return refused
        return self._render("thread", code=code, **self._thread_values(*opened))

    @http.route(REPLY, type="http", auth="public", methods=["POST"], csrf=False, sitemap=False)
    def anonymous_reply(self, code="", **post):
        refused, opened = self._open(code, post)
        if refused:
            return refused
        conversation, data_key = opened
        error = notice = None
        status = 200
        try:
            with conversation.env.cr.savepoint():
                conversation._writer_reply(data_key, post.get("body"), self._attachment())
            notice = request.env._("Your message was sent.")
            post = {}
        except ConversationError as exc:
            error, status = exc.args[0], 400
        return self._render(
            "thread",
            status=status,
            error=error,
            notice=notice,
            post=post,
            code=code,
            **self._thread_values(conversation, data_key),
        )
