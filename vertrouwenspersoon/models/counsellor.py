from odoo import api, fields, models
from odoo.exceptions import ValidationError

CHANNELS = [
    ("in_person", "In person (confidential room)"),
    ("phone", "Phone"),
    ("video", "Video call"),
    ("outside", "Outside the organisation"),
]


class VpCounsellor(models.Model):
    """The public face of a counsellor: what an employee sees when choosing one.

    Employees and portal users never read this model through the ORM; the portal
    controller reads a whitelist of fields with sudo (see ``_portal_profile``).
    """

    _name = "vp.counsellor"
    _description = "Counsellor profile"
    _inherit = ["image.mixin"]
    _order = "sequence, name, id"

    user_id = fields.Many2one(
        "res.users",
        string="Counsellor",
        required=True,
        ondelete="restrict",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("vertrouwenspersoon.group_vp_counsellor").ids)
        ],
    )
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    intro = fields.Text(
        string="Introduction",
        help="A few sentences shown to employees choosing a counsellor.",
    )
    is_external = fields.Boolean(
        string="External counsellor",
        help="Not employed by the organisation (e.g. hired from an agency).",
    )
    language_ids = fields.Many2many(
        "res.lang",
        string="Languages",
        context={"active_test": False},
    )
    gender = fields.Selection(
        [("female", "Female"), ("male", "Male"), ("other", "Other")],
    )
    channel_in_person = fields.Boolean(string="In person", default=True)
    channel_phone = fields.Boolean(string="By phone", default=True)
    channel_video = fields.Boolean(string="By video call", default=True)
    channel_outside = fields.Boolean(string="Outside the organisation")
    room = fields.Char(
        string="Room / location",
        help="Where the confidential room is, shown to the employee after booking.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Appointments can be booked within these hours.",
    )
    _sql_constraints = [
        ("user_unique", "unique(user_id)", "This user already has a counsellor profile."),
    ]

    @api.constrains("user_id")
    def _check_user_is_counsellor(self):
        for profile in self:
            if not profile.user_id.has_group("vertrouwenspersoon.group_vp_counsellor"):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a counsellor: add the user to the Counsellor group first.",
                        user=profile.user_id.name,
                    )
                )

    @api.constrains("channel_in_person", "channel_phone", "channel_video", "channel_outside")
    def _check_channels(self):
        for profile in self:
            if not profile._channels():
                raise ValidationError(self.env._("Offer at least one channel."))

    @api.onchange("user_id")
    def _onchange_user_id(self):
        if self.user_id and not self.name:
            self.name = self.user_id.name

    @api.model
    def _bookable_domain(self):
        """Profiles employees may book: active, of an active user who is a counsellor
        now (a user removed from the group is offered to nobody and receives nothing)."""
        group = self.env.ref("vertrouwenspersoon.group_vp_counsellor")
        return [
            ("active", "=", True),
            ("user_id.active", "=", True),
            ("user_id.groups_id", "in", group.ids),
        ]

    def _is_bookable(self):
        self.ensure_one()
        profile = self.sudo()
        return bool(
            profile.exists()
            and profile.active
            and profile.user_id.active
            and profile.user_id.has_group("vertrouwenspersoon.group_vp_counsellor")
        )

    def _channels(self):
        """Keys of the channels this counsellor offers, in display order."""
        self.ensure_one()
        return [key for key, _label in CHANNELS if self[f"channel_{key}"]]

    def _channel_labels(self):
        names = dict(self.env["vp.appointment"]._fields["channel"]._description_selection(self.env))
        return [(key, names[key]) for key in self._channels()]

    def _portal_profile(self):
        """The whitelist of profile data an employee may see (read with sudo)."""
        self.ensure_one()
        profile = self.sudo()
        return {
            "id": profile.id,
            "name": profile.name,
            "intro": profile.intro or "",
            "is_external": profile.is_external,
            "languages": profile.language_ids.mapped("name"),
            "gender": dict(profile._fields["gender"]._description_selection(self.env)).get(
                profile.gender, ""
            ),
            "channels": profile._channel_labels(),
            "room": profile.room or "",
            # bin_size: the size, not the photo itself read from the filestore
            "has_image": bool(profile.with_context(bin_size=True).image_128),
        }
