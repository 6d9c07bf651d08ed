# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The booking e-mails are mail.template records the functional administrator may reword,
and no edit can make them carry more than the neutral values: attacks by the functional
administrator (template edits), by other template editors, and by a DBA (SQL)."""

from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .booking_common import BookingFixture

BOOKED = "vertrouwenspersoon.mail_template_vp_booking_booked"
COUNSELLOR_BOOKED = "vertrouwenspersoon.mail_template_vp_booking_counsellor_booked"
NOTE = "Mijn leidinggevende Zeldzaamnaam intimideert mij"

# what a functional administrator might try to put in a booking e-mail
ATTACKS = {
    "the booker's note": '<p t-out="object.note"/>',
    "the counsellor's name": '<p t-out="object.counsellor_id.name"/>',
    "a case's reporter": '<p t-out="object.case_id.melder_name"/>',
    "any record through the environment": "<p t-out=\"user.env['vp.case'].search([]).name\"/>",
    "the context": '<p t-out="ctx"/>',
    "another template": '<t t-call="vertrouwenspersoon.vp_portal_book"/>',
    "a formatted attribute": '<a t-attf-href="/x/{{ object.id }}">x</a>',
    "a method call": '<p t-out="when.upper()"/>',
    "an attribute of a value": '<p t-out="url.__class__"/>',
}


@tagged("post_install", "-at_install")
class TestBookingMailTemplates(BookingFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_booking(
            functional_admin=("vp_mail_fa", "base.group_user,vertrouwenspersoon.group_vp_manager")
        )
        cls.template = cls.env.ref(BOOKED)

    def _new_mails(self, before):
        return self.env["mail.mail"].sudo().search([("id", "not in", before)])

    def test_functional_admin_rewords_the_mail(self):
        template = self.template.with_user(self.functional_admin)
        template.write(
            {
                "subject": "Afspraak {{ when }} ontvangen",
                "body_html": '<p>We zien je graag op <strong t-out="when"/>.</p>'
                '<p><a t-att-href="url">Bekijk of verplaats</a></p>',
            }
        )
        before = self.env["mail.mail"].sudo().search([]).ids
        self.book(note=NOTE)
        mail = self._new_mails(before).filtered(lambda m: "emp@example.com" in m.email_to)
        self.assertRegex(mail.subject, r"^Afspraak .+ ontvangen$")
        self.assertIn("We zien je graag op", mail.body_html)
        self.assertIn("/afspraak/", mail.body_html)

    def test_template_edits_cannot_add_content(self):
        template = self.template.with_user(self.functional_admin)
        for attack, body in ATTACKS.items():
            with self.subTest(attack=attack), self.assertRaises(UserError):
                template.write({"body_html": f"<div>{body}</div>"})
        for expression in ("object.note", "object.counsellor_id.name", "ctx", "user.login"):
            with self.subTest(subject=expression), self.assertRaises(UserError):
                template.write({"subject": f"Afspraak {{{{ {expression} }}}}"})
        # nor in another language, nor by moving a template of another model onto this one
        with self.assertRaises(UserError):
            template.with_context(lang="nl_NL").write({"body_html": ATTACKS["the booker's note"]})
        other = self.env["mail.template"].create(
            {
                "name": "Other",
                "model_id": self.env.ref("base.model_res_partner").id,
                "body_html": '<p t-out="object.name"/>',
            }
        )
        with self.assertRaises(UserError):
            other.write({"model_id": self.env.ref("vertrouwenspersoon.model_vp_booking_mail").id})

    def test_only_the_functional_admin_edits_them(self):
        """Other internal users are template editors in a default Odoo: not of these."""
        for login, groups in (
            ("vp_mail_emp", "base.group_user,mail.group_mail_template_editor"),
            ("vp_mail_hr", "base.group_user,hr.group_hr_manager,mail.group_mail_template_editor"),
        ):
            user = new_test_user(self.env, login, groups=groups)
            with self.subTest(user=login), self.assertRaises(AccessError):
                self.template.with_user(user).write({"subject": "Afspraak {{ when }}"})

    def test_template_changed_in_sql_sends_nothing(self):
        """A DBA who writes a content field into the template directly: the template is
        checked again before it renders, so the mail is not made."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object('en_US', %s) WHERE id = %s",
            ['<p t-out="object.counsellor_id.name"/>', self.template.id],
        )
        self.env.invalidate_all()
        before = self.env["mail.mail"].sudo().search([]).ids
        with mute_logger("odoo.addons.vertrouwenspersoon.models.booking.vp_appointment_notice"):
            self.book(note=NOTE)
        for mail in self._new_mails(before):
            self.assertNotIn("vp_b_counsellor", mail.body_html)
            self.assertNotIn("Anna Counsellor", mail.body_html)

    def test_render_holds_no_record(self):
        """Second lock, without the first: even a template that passed no check reads
        nothing, because no record stands behind `object`."""
        Mail = self.env["vp.booking.mail"]
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object('en_US', %s) WHERE id = %s",
            ['<p t-out="object.counsellor_id.name"/>', self.template.id],
        )
        self.env.invalidate_all()
        no_check = patch.object(type(Mail), "_check_template", lambda *args: None)
        with no_check, self.assertRaises(Exception) as failure:
            Mail._render(BOOKED, {"when": "1 december 10:00"})
        self.assertNotIn("Anna Counsellor", str(failure.exception))

    def test_counsellor_mail_neutral_and_translated(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(
            ["vertrouwenspersoon"], ["nl_NL"], overwrite=True
        )
        self.counsellor.lang = "nl_NL"
        before = self.env["mail.mail"].sudo().search([]).ids
        self.book(note=NOTE)
        mail = self._new_mails(before).filtered(lambda m: "vp_b_counsellor" in m.email_to)
        self.assertRegex(mail.subject, r"^Nieuwe afspraak op ")
        self.assertNotIn("Zeldzaamnaam", mail.body_html)
