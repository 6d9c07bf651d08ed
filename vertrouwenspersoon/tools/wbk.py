# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Deadlines of the Dutch whistleblower act (Wet bescherming klokkenluiders, art. 2
lid 1 sub c/d): a confirmation of receipt within 7 days, feedback on the follow-up
within 3 months of that confirmation. Pure Python."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

CONFIRM_DAYS = 7
FEEDBACK_MONTHS = 3
REMIND_DAYS = 2  # the counsellor's reminder goes out this many days before a deadline


def confirm_due(received):
    return received + timedelta(days=CONFIRM_DAYS) if received else False


def feedback_due(confirmed):
    return confirmed + relativedelta(months=FEEDBACK_MONTHS) if confirmed else False


def next_due(received, confirmed, feedback):
    """The next open deadline (a date) or False when both were met."""
    if not received:
        return False
    if not confirmed:
        return confirm_due(received)
    if not feedback:
        return feedback_due(confirmed)
    return False


def open_deadline_domain(operator, day):
    """The Odoo domain of Wbk reports (cases or conversations) with a deadline still open
    that is ``operator`` (``<``, ``<=``) ``day``."""
    return [
        ("is_wbk", "=", True),
        "|",
        "&",
        ("wbk_date_confirmed", "=", False),
        ("wbk_confirm_due", operator, day),
        "&",
        ("wbk_date_feedback", "=", False),
        ("wbk_feedback_due", operator, day),
    ]
