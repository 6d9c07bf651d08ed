"""Demo only: a realistic volume of cases, so the demo annual report shows real figures.

Eight hand-written cases (demo/vp_case_demo.xml) show what a case looks like; the annual
report needs volume: a few hundred employees and around a hundred cases a year over
three years, or every cell is "< 5". Generated in batches from a seeded random source,
so every demo database gets the same figures.

Cases whose retention period is over are created as the retention cron leaves them:
metadata only. The others get encrypted content, like every case.
"""

import base64
import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

FIRST_NAMES = [
    "Anna",
    "Bram",
    "Chantal",
    "Daan",
    "Emma",
    "Fleur",
    "Gijs",
    "Hanneke",
    "Iris",
    "Jasper",
    "Kim",
    "Lotte",
    "Mark",
    "Noor",
    "Olga",
    "Pim",
    "Quinten",
    "Ruben",
    "Sophie",
    "Thijs",
    "Umut",
    "Vera",
    "Wouter",
    "Yara",
    "Zeynep",
    "Ahmed",
    "Bas",
    "Carla",
    "Dirk",
    "Esra",
    "Femke",
    "Gerrit",
    "Hatice",
    "Ilse",
    "Joost",
    "Karin",
    "Lars",
    "Maaike",
    "Niels",
    "Özlem",
    "Paul",
    "Rachida",
    "Stijn",
    "Tamara",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Yilmaz",
    "El Idrissi",
    "Kok",
    "Jacobs",
    "Vermeulen",
    "van Beek",
    "Postma",
    "Kuiper",
]
JOBS = {
    "dept_zorg": ["Carer", "Nurse", "Care Assistant", "Senior Nurse"],
    "dept_facilitair": ["Facility Employee", "Cook", "Cleaner", "Driver"],
    "dept_po": ["HR Adviser", "Payroll Administrator"],
    "dept_financien": ["Accountant", "Administrative Assistant"],
    "dept_ict": ["Service Desk Employee", "System Administrator"],
    "dept_directie": ["Management Assistant", "Policy Adviser"],
}
# relative frequency of the classifying values: a care organisation with a lot of
# aggression from clients, most reports by employees about colleagues and managers
CATEGORIES = {
    "vp_category_aggression": 30,
    "vp_category_bullying": 22,
    "vp_category_intimidation": 16,
    "vp_category_conflict": 14,
    "vp_category_sexual_harassment": 9,
    "vp_category_discrimination": 8,
    "vp_category_other": 3,
}
REPORTER_TYPES = {"employee": 72, "temp": 12, "intern": 7, "former": 6, "secondee": 3}
ACCUSED_ROLES = {"colleague": 37, "manager": 28, "client": 28, "subordinate": 7}
ROUTES = {"listening": 45, "informal": 40, "formal_complaint": 11, "police_report": 4}
REFERRALS = {
    "": 52,
    "vp_referral_company_doctor": 16,
    "vp_referral_social_work": 12,
    "vp_referral_gp_psychologist": 9,
    "vp_referral_legal": 6,
    "vp_referral_victim_support": 6,
    "vp_referral_mediator": 3,
}
OUTCOMES = {
    "resolved": 46,
    "partly_resolved": 24,
    "referred": 12,
    "not_resolved": 10,
    "withdrawn": 8,
}
CHANNELS = {"in_person": 45, "phone": 35, "video": 12, "email": 8}
DURATIONS = {"lt_1m": 25, "m1_6": 40, "m6_12": 20, "gt_1y": 15}
AVATAR_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="180" height="180">'
    b'<rect width="180" height="180" fill="#7db06e"/></svg>'
)
ACCOUNTS = (
    "Melder beschrijft herhaalde incidenten op de afdeling en wil eerst haar verhaal kwijt.",
    "Melder voelt zich buitengesloten in het team en twijfelt of hij iets moet ondernemen.",
    "Melder werd tijdens een dienst uitgescholden en bedreigd en zoekt steun bij de opvang.",
    "Melder ervaart opmerkingen van een leidinggevende als kleinerend en wil advies.",
)


def _pick(rng, weights):
    keys, values = zip(*weights.items(), strict=True)
    return rng.choices(keys, values)[0]


class VpCaseDemo(models.Model):
    _inherit = "vp.case"

    @api.model
    def _vp_demo_generate_employees(self, count=360, seed=7):
        """Several hundred employees in the demo departments (names are placeholders)."""
        rng = random.Random(seed)
        company = self.env.ref("base.main_company")
        departments = [
            (self.env.ref(f"vertrouwenspersoon.{xmlid}"), jobs) for xmlid, jobs in JOBS.items()
        ]
        weights = [70, 12, 4, 3, 3, 2]  # most people work in care
        vals_list = []
        for _n in range(count):
            department, jobs = rng.choices(departments, weights)[0]
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            vals_list.append(
                {
                    "name": f"{first} {last}",
                    "job_title": rng.choice(jobs),
                    "department_id": department.id,
                    "company_id": company.id,
                }
            )
        # One work contact per employee made in one batch, and a plain avatar: hr makes
        # both one employee at a time otherwise, which is most of the time it takes.
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(tracking_disable=True)
            .create([{"name": vals["name"], "company_id": company.id} for vals in vals_list])
        )
        avatar = base64.b64encode(AVATAR_SVG)
        for vals, partner in zip(vals_list, partners, strict=True):
            vals.update(work_contact_id=partner.id, image_1920=avatar)
        return self.env["hr.employee"].sudo().with_context(tracking_disable=True).create(vals_list)

    @api.model
    def _vp_demo_generate_cases(self, counsellor_xmlids, per_year=(92, 104, 112), seed=11):
        """Cases of the last three full years and of this year so far, for the counsellors
        (the first one takes the larger share), with contact moments."""
        rng = random.Random(seed)
        today = fields.Date.context_today(self)
        counsellors = [self.env.ref(xmlid) for xmlid in counsellor_xmlids]
        ref = self.env.ref
        retention = relativedelta(months=self._retention_months())
        years = list(range(today.year - len(per_year), today.year + 1))
        # this year so far: the same pace as last year
        counts = list(per_year) + [round(per_year[-1] * today.timetuple().tm_yday / 365)]
        created = self.browse()
        for counsellor_index, counsellor in enumerate(counsellors):
            share = 0.6 if counsellor_index == 0 else 0.4 / max(len(counsellors) - 1, 1)
            vals_list = []
            for year, count in zip(years, counts, strict=True):
                last_day = min(date(year, 12, 31), today)
                span = (last_day - date(year, 1, 1)).days
                for _n in range(round(count * share)):
                    vals_list.append(
                        self._vp_demo_case_values(
                            rng,
                            counsellor,
                            date(year, 1, 1) + timedelta(days=rng.randint(0, span)),
                            today,
                            retention,
                            ref,
                        )
                    )
            Case = self.with_user(counsellor).sudo().with_context(tracking_disable=True)
            created |= Case.create(vals_list)
        self._vp_demo_generate_contacts(rng, created, today)
        return created

    def _vp_demo_case_values(self, rng, counsellor, intake, today, retention, ref):
        categories = {_pick(rng, CATEGORIES)}
        if rng.random() < 0.18:  # some cases concern two kinds of behaviour
            categories.add(_pick(rng, CATEGORIES))
        referrals = {_pick(rng, REFERRALS)} - {""}
        values = {
            "counsellor_id": counsellor.id,
            "date_intake": intake,
            "intake_channel": _pick(rng, CHANNELS),
            "reporter_type": _pick(rng, REPORTER_TYPES),
            "accused_role": _pick(rng, ACCUSED_ROLES),
            "behaviour_duration": _pick(rng, DURATIONS),
            "route": _pick(rng, ROUTES),
            "category_ids": [
                fields.Command.set([ref(f"vertrouwenspersoon.{c}").id for c in categories])
            ],
            "referral_ids": [
                fields.Command.set([ref(f"vertrouwenspersoon.{r}").id for r in referrals])
            ],
        }
        closed = intake + timedelta(days=rng.randint(14, 150))
        if closed < today - timedelta(days=10) and rng.random() < 0.93:
            values.update(
                state="closed",
                outcome=_pick(rng, OUTCOMES),
                date_closed=closed,
                retention_date=closed + retention,
            )
            if closed + retention < today:
                # what the retention cron leaves: metadata only
                values["destroyed_date"] = closed + retention
                return values
        else:
            values["state"] = rng.choice(["intake", "guidance", "guidance", "aftercare"])
        values.update(
            melder_name=f"Melder {rng.randint(100, 999)}",
            description=rng.choice(ACCOUNTS),
        )
        return values

    def _vp_demo_generate_contacts(self, rng, cases, today):
        now = fields.Datetime.now()
        vals_list = []
        for case in cases:
            end = case.date_closed or today
            for _n in range(rng.choice([1, 1, 2, 2, 3, 4])):
                day = case.date_intake + timedelta(
                    days=rng.randint(0, max((end - case.date_intake).days, 0))
                )
                moment = fields.Datetime.to_datetime(day) + timedelta(
                    hours=rng.choice([9, 10, 11, 14, 15])
                )
                if moment > now:
                    continue
                vals_list.append(
                    {
                        "case_id": case.id,
                        "date": moment,
                        "duration": rng.choice([0.5, 0.75, 1.0, 1.0, 1.5]),
                        "channel": _pick(rng, CHANNELS),
                    }
                )
        return (
            self.env["vp.case.contact"].sudo().with_context(tracking_disable=True).create(vals_list)
        )
