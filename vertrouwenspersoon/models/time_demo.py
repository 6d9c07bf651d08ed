import random
from datetime import timedelta

from odoo import api, fields, models

# rough share of a counsellor's time per activity (LVV practice)
DEMO_WEIGHTS = {
    "support": 35,
    "prevention": 15,
    "advice": 8,
    "training": 14,
    "network": 10,
    "administration": 13,
    "travel": 5,
}


class VpTimeEntryDemo(models.Model):
    _inherit = "vp.time.entry"

    @api.model
    def _vp_demo_generate(self, user_xmlids, weeks=78, hours_per_week=2.0, seed=42):
        """Plausible demo time: about `hours_per_week` per counsellor, with variation."""
        rng = random.Random(seed)
        today = fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday())
        keys, weights = zip(*DEMO_WEIGHTS.items(), strict=True)
        vals_list = []
        for xmlid in user_xmlids:
            user = self.env.ref(xmlid)
            for week in range(weeks, -1, -1):
                start = monday - timedelta(weeks=week)
                if rng.random() < 0.08:  # holiday week
                    continue
                budget = max(0.0, rng.gauss(hours_per_week, hours_per_week * 0.35))
                while budget >= 0.25:
                    hours = min(budget, rng.choice([0.5, 0.75, 1.0, 1.0, 1.5]))
                    hours = round(hours * 4) / 4
                    day = start + timedelta(days=rng.randrange(5))
                    if day > today or hours <= 0:
                        break
                    activity = rng.choices(keys, weights)[0]
                    vals_list.append(
                        {
                            "date": day,
                            "counsellor_id": user.id,
                            "activity_type": activity,
                            "hours": hours,
                            "company_id": user.company_id.id,
                        }
                    )
                    budget -= hours
        return self.sudo().create(vals_list)

    @api.model
    def _vp_demo_register_contacts(self, weeks=78):
        """Register the recent demo contact moments as time, as their counsellor would."""
        since = fields.Datetime.now() - timedelta(weeks=weeks)
        contacts = self.env["vp.case.contact"].search(
            [("date", ">=", since), ("date", "<=", fields.Datetime.now())]
        )
        for contact in contacts.filtered(lambda c: not c.time_entry_ids):
            contact.with_user(contact.counsellor_id).action_register_time()
