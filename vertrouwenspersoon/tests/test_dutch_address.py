# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Each audience is addressed one way in Dutch: employees with "je", counsellors with "u"."""

import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged

PO_FILE = Path(__file__).resolve().parent.parent / "i18n" / "nl.po"
FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
# where a text is shown: the employee's pages and mails, or the counsellor's screens
EMPLOYEE = (
    "controllers/portal.py",
    "controllers/slot_picker.py",
    "controllers/anonymous",
    "vertrouwenspersoon.vp_portal_",
    "vertrouwenspersoon.vp_confirm_email",
    "vertrouwenspersoon.vp_appointment_confirm_mail_body",
    "vertrouwenspersoon.vp_booking_mail_",
)
COUNSELLOR = (
    "controllers/vault",
    "models/vault/",
    "models/case/",
    "models/time/",
    "models/conversation/",
    "wizards/",
    "vertrouwenspersoon.vp_case_",
    "vertrouwenspersoon.vp_conversation_",
    "vertrouwenspersoon.vp_time_",
    "vertrouwenspersoon.vp_vault_",
    "vertrouwenspersoon.vp_counsellor_view_form",
    "vertrouwenspersoon.vp_appointment_view_form",
    "vertrouwenspersoon.vp_appointment_action",
    "vertrouwenspersoon.field_vp_time_entry__",
)


@tagged("post_install", "-at_install")
class TestDutchAddress(TransactionCase):
    def _wrong(self, audience, wrong_form):
        found = []
        for entry in polib.pofile(str(PO_FILE)):
            places = " ".join(place for place, _line in entry.occurrences)
            if any(marker in places for marker in audience) and wrong_form.search(entry.msgstr):
                found.append(f"{places}: {entry.msgstr[:100]}")
        return found

    def test_employees_are_addressed_with_je(self):
        wrong = self._wrong(EMPLOYEE, FORMAL)
        self.assertFalse(wrong, "\n".join(wrong))

    def test_counsellors_are_addressed_with_u(self):
        wrong = self._wrong(COUNSELLOR, INFORMAL)
        self.assertFalse(wrong, "\n".join(wrong))
