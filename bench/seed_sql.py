# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bulk SQL shared by the benchmarks that seed cases (content stays empty: SQL cannot
encrypt)."""


def seed_contact_moments(cr, per_case=2):
    """``per_case`` phone contact moments a week apart for every case; the last is aftercare."""
    cr.execute(
        """INSERT INTO vp_case_contact (case_id, counsellor_id, date, duration, channel,
               is_aftercare, concerns_third_party, create_uid, write_uid, create_date,
               write_date)
           SELECT c.id, c.counsellor_id, c.date_intake + k * 7 + time '10:00', 1.0, 'phone',
                  k = %s, false, 1, 1, now(), now()
           FROM vp_case c CROSS JOIN generate_series(1, %s) k""",
        (per_case, per_case),
    )
