# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Readers are only who the case says: planted key rows and vaults get nothing new and
are shown to the counsellor; a counsellor removed from the group receives nothing."""

import base64
import json

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.vault.vp_vault_drop_mixin import DROP_PREFIX
from ..tools import vault_crypto as vc
from .booking_common import BookingFixture
from .common import VAULT_PASS
from .test_vault_case import VaultCaseCommon

COUNSELLOR = "vertrouwenspersoon.group_vp_counsellor"


def drop_readers(envelope):
    """The user ids a drop (vp1d:) is wrapped for."""
    assert envelope.startswith(DROP_PREFIX), envelope[:8]
    return {int(uid) for uid in json.loads(base64.b64decode(envelope[len(DROP_PREFIX) :]))["k"]}


@tagged("post_install", "-at_install")
class TestVaultReaders(VaultCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr = new_test_user(cls.env, "vc_hr", groups="base.group_user,hr.group_hr_user")
        # the keys an attacker controls
        cls.admin_private, cls.admin_public = vc.generate_keypair()
        cls.hr_private, cls.hr_public = vc.generate_keypair()

    # ------------------------------------------------------------------ planting

    def plant_as_admin(self):
        """What a Settings administrator can do with sudo() in a server action: a vault
        for themselves, and a key row on the case wrapping a key they know."""
        env = self.env(user=self.admin)
        env["vp.vault"].sudo().create(
            {"user_id": self.admin.id, "public_key": base64.b64encode(self.admin_public).decode()}
        )
        known_key = vc.random_key()
        env["vp.case.key"].sudo().create(
            {
                "case_id": self.case.id,
                "user_id": self.admin.id,
                "wrapped_key": vc.wrap_key(
                    self.admin_public, known_key, ("vp.case", self.case.id, self.admin.id)
                ),
            }
        )
        self.env.invalidate_all()

    def plant_as_dba(self):
        """The database administrator: the same rows, inserted with SQL for HR."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            "INSERT INTO vp_vault (user_id, public_key, create_date, write_date)"
            " VALUES (%s, %s, now(), now())",
            [self.hr.id, base64.b64encode(self.hr_public).decode()],
        )
        wrapped = vc.wrap_key(
            self.hr_public, vc.random_key(), ("vp.case", self.case.id, self.hr.id)
        )
        cr.execute(
            "INSERT INTO vp_case_key (case_id, user_id, wrapped_key, create_date, write_date)"
            " VALUES (%s, %s, %s, now(), now())",
            [self.case.id, self.hr.id, wrapped],
        )
        self.env.invalidate_all()

    def add_contact_while_locked(self, text):
        self.lock(self.owner)
        contact = (
            self.env["vp.case.contact"]
            .with_user(self.owner)
            .create({"case_id": self.case.id, "notes": text})
        )
        self.env.flush_all()
        return contact.sudo().notes_enc

    # ------------------------------------------------------------------ attacks

    def test_key_row_planted_with_sudo_receives_no_drop(self):
        self.plant_as_admin()
        envelope = self.add_contact_while_locked(self.marker + " na de aanval")
        self.assertEqual(drop_readers(envelope), {self.owner.id})
        # the administrator's own private key opens nothing of it
        drop = json.loads(base64.b64decode(envelope[len(DROP_PREFIX) :]))
        self.assertNotIn(str(self.admin.id), drop["k"])

    def test_key_row_planted_with_sql_receives_no_drop(self):
        self.plant_as_dba()
        envelope = self.add_contact_while_locked(self.marker + " na de aanval")
        self.assertEqual(drop_readers(envelope), {self.owner.id})

    def test_planted_key_row_gets_no_new_wrap_on_share(self):
        self.plant_as_admin()
        self.unlock(self.owner)
        self.case.with_user(self.owner).action_share_with(self.deputy)
        holders = self.env["vp.case.key"].sudo().search([("case_id", "=", self.case.id)]).user_id
        self.assertEqual(holders, self.owner | self.deputy)
        # ... and the removal of the planted row is logged on the case, without content
        line = self.env["vp.security.log"].search(
            [("case_id", "=", self.case.id), ("event", "=", "vault_foreign_key")]
        )
        self.assertEqual(line.user_id, self.admin)
        self.assertNotIn(self.marker, line.description)

    def test_findings_show_planted_key_rows_and_vaults(self):
        self.plant_as_admin()
        self.plant_as_dba()
        findings = self.env(user=self.owner)["vp.vault"]._reader_findings()
        text = "\n".join(findings)
        self.assertEqual(len(findings), 4, findings)
        for name in (self.admin.name, self.hr.name):
            self.assertIn(name, text)
        self.assertIn(self.case.name, text)
        self.assertNotIn(self.marker, text)
        # a colleague without a case here is told about the vaults, not about the case
        other = self.env(user=self.stranger)["vp.vault"]._reader_findings()
        self.assertEqual(len(other), 2)
        self.assertNotIn(self.case.name, "\n".join(other))

    def test_unlock_shows_the_findings(self):
        self.plant_as_admin()
        events = self.env(user=self.owner)["vp.vault"].unlock(VAULT_PASS)
        self.assertTrue(
            any(
                self.admin.name in event["description"] and self.case.name in event["description"]
                for event in events
            ),
            events,
        )

    def test_no_findings_without_plants(self):
        self.unlock(self.owner)
        self.case.with_user(self.owner).action_share_with(self.deputy)
        self.assertEqual(self.env(user=self.owner)["vp.vault"]._reader_findings(), [])
        self.assertEqual(self.env(user=self.deputy)["vp.vault"]._reader_findings(), [])

    # ------------------------------------------------------------------ group removal

    def remove_from_group(self, user):
        group = self.env.ref(COUNSELLOR)
        group.sudo().write({"users": [Command.unlink(user.id)]})
        self.env.invalidate_all()

    def test_deputy_removed_from_group_receives_nothing_new(self):
        self.unlock(self.owner)
        self.case.with_user(self.owner).action_share_with(self.deputy)
        self.remove_from_group(self.deputy)
        envelope = self.add_contact_while_locked(self.marker + " later")
        self.assertEqual(drop_readers(envelope), {self.owner.id})
        # the left-over key is among the findings, until revoking removes it (logged)
        # (their key row on the case, and their vault of someone no longer a counsellor)
        findings = self.env(user=self.owner)["vp.vault"]._reader_findings()
        self.assertEqual(len(findings), 2)
        self.assertTrue(all(self.deputy.name in finding for finding in findings))
        self.unlock(self.owner)
        self.case.with_user(self.owner).action_revoke(self.deputy)
        holders = self.env["vp.case.key"].sudo().search([("case_id", "=", self.case.id)]).user_id
        self.assertEqual(holders, self.owner)
        self.assertTrue(
            self.env["vp.security.log"].search_count(
                [("event", "=", "vault_foreign_key"), ("user_id", "=", self.deputy.id)]
            )
        )

    def test_removed_counsellor_cannot_be_shared_with(self):
        self.unlock(self.owner)
        self.remove_from_group(self.deputy)
        with self.assertRaises(UserError):
            self.case.with_user(self.owner).action_share_with(self.deputy)
        self.assertFalse(
            self.env["vp.case.key"].sudo().search_count([("user_id", "=", self.deputy.id)])
        )

    def test_case_of_removed_counsellor_takes_no_content(self):
        self.remove_from_group(self.owner)
        with self.assertRaises(UserError):
            self.env["vp.case.contact"].with_user(self.owner).sudo().create(
                {"case_id": self.case.id, "notes": self.marker + " zinloos"}
            )


@tagged("post_install", "-at_install")
class TestVaultReadersBooking(BookingFixture, VaultCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_booking()
        cls.env.ref(COUNSELLOR).sudo().write({"users": [Command.unlink(cls.other_counsellor.id)]})

    def test_removed_counsellor_is_not_offered(self):
        profiles = self.env["vp.counsellor"].sudo()
        offered = profiles.search(profiles._bookable_domain())
        self.assertIn(self.profile, offered)
        self.assertNotIn(self.other_profile, offered)

    def test_removed_counsellor_cannot_be_booked_or_written_for(self):
        slot = self.other_profile._free_slots()[self.other_profile.id][0]
        with self.assertRaises(UserError):
            self.book(profile=self.other_profile, start=slot, note="Vertrouwelijk")
        self.assertFalse(
            self.Appointment.search([("counsellor_id", "=", self.other_counsellor.id)])
        )


@tagged("post_install", "-at_install")
class TestVaultReadersPortal(BookingFixture, HttpCase):
    """Over HTTP, as the employee and as an anonymous visitor would see it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_booking()
        cls.env.ref(COUNSELLOR).sudo().write({"users": [Command.unlink(cls.other_counsellor.id)]})

    def test_removed_counsellor_not_on_portal_or_public_page(self):
        self.authenticate("vp_b_portal", "vp_b_portal")
        for url in ("/my/vertrouwenspersoon", "/vertrouwenspersoon/afspraak"):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            self.assertIn("Anna Counsellor", page.text)
            self.assertNotIn("Bert Counsellor", page.text)
        for url in (
            f"/my/vertrouwenspersoon/book/{self.other_profile.id}",
            f"/vertrouwenspersoon/afspraak/book/{self.other_profile.id}",
        ):
            self.assertNotEqual(self.url_open(url).status_code, 200, url)
