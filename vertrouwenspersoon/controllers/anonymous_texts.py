# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The words of the anonymous pages, translated from the addon's own .po files (the
pages are rendered from a file, like the vault pages: see anonymous.py)."""

from ..models.conversation.vp_conversation import MAX_BODY, MAX_FILE


def anonymous_texts(env, retention_months):
    _ = env._
    return {
        "title": _("Write anonymously to a confidential counsellor"),
        "back": _("Back"),
        "intro": _(
            "Here you can write to a confidential counsellor without giving your name. "
            "You can ask a question, tell what is happening, or ask what your options are."
        ),
        "knows_title": _("What the counsellor will and will not know"),
        "knows": [
            _("The counsellor reads only what you write and the file you attach."),
            _(
                "Your name, e-mail address, account and computer are not asked and not "
                "kept: not even if you are logged in. Times are kept to the hour."
            ),
            _(
                "Anything in your message or file can still say who you are (names, "
                "details, the document's author). Leave out what you do not want to share."
            ),
            _(
                "Your messages are encrypted. Only the counsellor you choose (or, for "
                '"any counsellor", the counsellors of the organisation) can read them; '
                "not HR, not your manager, not the system administrators."
            ),
        ],
        "code_title": _("Your receipt code"),
        "code_intro": _(
            "After sending you get a receipt code, once. With it you come back here to read "
            "the counsellor's answer and to write more. Nobody can show it to you again: if "
            "you lose it, you lose access to the conversation (you can always start a new "
            "one)."
        ),
        "retention": _(
            "A conversation that does not become a case is destroyed %s months after its "
            "last message.",
            retention_months,
        ),
        "write_title": _("Write a message"),
        "counsellor": _("To"),
        "any_counsellor": _("Any counsellor"),
        "external": _("external"),
        "internal": _("internal"),
        "message": _("Your message"),
        "message_help": _("At most %s characters.", MAX_BODY),
        "attachment": _("Attach a file (optional)"),
        "attachment_help": _(
            "PDF, PNG, JPEG, text, DOCX or ODT, at most %s MB. A file can contain your name "
            "(as its author): check it first.",
            MAX_FILE // 1024 // 1024,
        ),
        "send": _("Send anonymously"),
        "have_code": _("I already have a receipt code"),
        "code": _("Receipt code"),
        "open": _("Open my conversation"),
        "sent_title": _("Your message was sent"),
        "receipt_help": _(
            "This is your receipt code. Write it down, print this page or download it now: "
            "it is shown only this once. Keep it where nobody else finds it."
        ),
        "download": _("Download the receipt code"),
        "print_help": _("To print, use the print command of your browser (Ctrl+P)."),
        "stored": _("I have stored my receipt code: open my conversation"),
        "thread_title": _("Your conversation"),
        "writer": _("You"),
        "counsellor_said": _("Counsellor"),
        "no_answer": _("No answer yet. Come back later with your receipt code."),
        "reply": _("Write more"),
        "send_more": _("Send"),
        "sent_more": _("Your message was sent."),
        "leave": _(
            "When you are done, close this window: nothing of this conversation is kept in "
            "your browser or in your account."
        ),
        "no_counsellors": _("No counsellor can receive anonymous messages at the moment."),
        "book_instead": _("Prefer to talk? Make an appointment"),
        "file_label": _("File"),
    }
