#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Seed realistic volumes with bulk SQL: cases, contact moments, bookings, time entries.

    python3 bench/volume.py --cases 10000 [--years 3] [--db vp_volume] [--keep-db]

As a library (inside a bench script)::

    import volume
    counts = volume.seed(env, cases=100_000, counsellors=5, years=3)

Spreads the cases over the counsellors and the last ``years`` years (references
VP-<year>-<nnnn>), with categories, reporter types, routes and outcomes in believable
proportions, two or three contact moments per case, past bookings (done or cancelled)
and the counsellors' time entries. Content fields stay empty (bulk SQL cannot encrypt):
the volumes are for lists, reports and pivots, which only read metadata. Each part is
skipped when its model is not installed.
"""

import argparse
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common

WEIGHTS = {
    "state": {
        "closed": 55,
        "outside_remit": 5,
        "intake": 10,
        "guidance": 20,
        "formal": 4,
        "aftercare": 6,
    },
    "intake_channel": {"in_person": 45, "phone": 30, "video": 15, "email": 8, "outside": 2},
    "reporter_type": {
        "employee": 80,
        "temp": 8,
        "secondee": 3,
        "freelancer": 2,
        "intern": 3,
        "former": 3,
        "other": 1,
    },
    "accused_role": {"manager": 40, "colleague": 40, "subordinate": 5, "client": 10, "unknown": 5},
    "behaviour_duration": {"lt_1m": 20, "m1_6": 35, "m6_12": 20, "gt_1y": 20, "unknown": 5},
    "route": {
        "listening": 45,
        "informal": 35,
        "formal_complaint": 12,
        "police_report": 3,
        "whistleblower": 5,
    },
    "outcome": {
        "resolved": 35,
        "partly_resolved": 25,
        "not_resolved": 10,
        "referred": 15,
        "withdrawn": 8,
        "left": 5,
        "unknown": 2,
    },
    "activity_type": {
        "support": 40,
        "prevention": 15,
        "advice": 10,
        "training": 10,
        "network": 10,
        "administration": 10,
        "travel": 5,
    },
}


def pick(rnd, key):
    weights = WEIGHTS[key]
    return rnd.choices(list(weights), weights=list(weights.values()))[0]


def _only_existing(cr, table, cols, rows):
    """Drop the columns the installed version of the table does not have."""
    have = common.columns(cr, table)
    keep = [i for i, col in enumerate(cols) if col in have]
    return [cols[i] for i in keep], [[row[i] for i in keep] for row in rows]


def _insert(cr, table, cols, rows):
    cols, rows = _only_existing(cr, table, cols, rows)
    return common.bulk_insert(cr, table, cols, rows, page_size=5000)


def seed_cases(env, counsellors, cases, years, rnd):
    cr = env.cr
    company = env.company.id
    today = date.today()
    first_day = date(today.year - years + 1, 1, 1)
    span = (today - first_day).days
    cr.execute(
        "SELECT split_part(name, '-', 2), count(*) FROM vp_case WHERE name LIKE 'VP-%%' GROUP BY 1"
    )
    numbers = {int(year): count for year, count in cr.fetchall() if year.isdigit()}
    cols = [
        "name",
        "counsellor_id",
        "company_id",
        "state",
        "date_intake",
        "intake_channel",
        "date_closed",
        "reporter_type",
        "accused_role",
        "behaviour_duration",
        "route",
        "outcome",
        "retention_date",
    ]
    rows = []
    intakes = sorted(first_day + timedelta(days=rnd.randrange(span + 1)) for _ in range(cases))
    for intake in intakes:
        numbers[intake.year] = numbers.get(intake.year, 0) + 1
        state = pick(rnd, "state")
        closed = state in ("closed", "outside_remit")
        date_closed = min(intake + timedelta(days=rnd.randint(7, 180)), today) if closed else None
        rows.append(
            [
                f"VP-{intake.year}-{numbers[intake.year]:04d}",
                rnd.choice(counsellors),
                company,
                state,
                intake,
                pick(rnd, "intake_channel"),
                date_closed,
                pick(rnd, "reporter_type"),
                pick(rnd, "accused_role"),
                pick(rnd, "behaviour_duration"),
                pick(rnd, "route"),
                pick(rnd, "outcome") if closed else None,
                date_closed + timedelta(days=365) if date_closed else None,
            ]
        )
    ids = _insert(cr, "vp_case", cols, rows)
    _advance_references(env, numbers)
    field = env["vp.case"]._fields.get("category_ids")
    categories = env["vp.category"].search([]).ids
    if field and categories:
        links = {(cid, rnd.choice(categories)) for cid in ids}
        links |= {(cid, rnd.choice(categories)) for cid in rnd.sample(ids, len(ids) // 5)}
        common.bulk_insert(
            cr,
            field.relation,
            [field.column1, field.column2],
            sorted(links),
            page_size=5000,
            returning=None,
        )
    return ids, rows


def _advance_references(env, numbers):
    """Move the yearly reference sequences past the numbers used by the bulk insert, so
    cases created afterwards through the ORM get the next free reference."""
    sequence = env["ir.sequence"].search([("code", "=", "vp.case")], limit=1)
    if not sequence:
        return
    for year, last in numbers.items():
        if sequence.use_date_range:
            current = sequence._get_current_sequence(sequence_date=date(year, 6, 30))
            current.number_next_actual = max(current.number_next_actual, last + 1)
        elif year == date.today().year:
            sequence.number_next_actual = max(sequence.number_next_actual, last + 1)


def seed_contacts(env, case_ids, case_rows, rnd):
    if "vp.case.contact" not in env:
        return 0
    rows = []
    for cid, row in zip(case_ids, case_rows, strict=True):
        intake, counsellor = row[4], row[1]
        for n in range(rnd.choice((2, 2, 3))):
            when = datetime.combine(intake + timedelta(days=14 * n), datetime.min.time())
            rows.append(
                [
                    cid,
                    counsellor,
                    when + timedelta(hours=rnd.randint(8, 16)),
                    rnd.choice((0.5, 0.75, 1.0, 1.5)),
                    pick(rnd, "intake_channel"),
                    n == 2,
                ]
            )
    _insert(
        env.cr,
        "vp_case_contact",
        ["case_id", "counsellor_id", "date", "duration", "channel", "is_aftercare"],
        rows,
    )
    return len(rows)


def seed_appointments(env, counsellors, count, years, rnd):
    """Past bookings (done or cancelled): they fill history without blocking any slot."""
    if "vp.appointment" not in env or not count:
        return 0
    profiles = {}
    if "vp.counsellor" in env:
        for profile in env["vp.counsellor"].search([("user_id", "in", counsellors)]):
            profiles[profile.user_id.id] = profile.id
    now = datetime.now().replace(minute=0, second=0, microsecond=0)
    used = set()
    rows = []
    while len(rows) < count:
        counsellor = rnd.choice(counsellors)
        start = now - timedelta(days=rnd.randint(2, 365 * years), hours=rnd.randint(0, 8))
        if (counsellor, start) in used:
            continue
        used.add((counsellor, start))
        rows.append(
            [
                counsellor,
                profiles.get(counsellor),
                start,
                start + timedelta(hours=1),
                pick(rnd, "intake_channel").replace("email", "phone"),
                rnd.choice(("done", "done", "done", "cancelled")),
                env.company.id,
            ]
        )
    _insert(
        env.cr,
        "vp_appointment",
        ["counsellor_id", "profile_id", "start", "stop", "channel", "state", "company_id"],
        rows,
    )
    return len(rows)


def seed_time(env, counsellors, count, years, rnd):
    if "vp.time.entry" not in env or not count:
        return 0
    today = date.today()
    rows = [
        [
            today - timedelta(days=rnd.randrange(365 * years)),
            rnd.choice(counsellors),
            pick(rnd, "activity_type"),
            rnd.choice((0.25, 0.5, 1.0, 1.5, 2.0)),
            env.company.id,
        ]
        for _ in range(count)
    ]
    _insert(
        env.cr,
        "vp_time_entry",
        ["date", "counsellor_id", "activity_type", "hours", "company_id"],
        rows,
    )
    return len(rows)


def seed(
    env,
    *,
    cases=10_000,
    counsellors=5,
    years=3,
    appointments=None,
    time_entries=None,
    seed_value=42,
):
    """Bulk-seed the volumes; returns {what: count}. Commit is up to the caller."""
    import population

    rnd = random.Random(seed_value)
    pop = population.seed(env, employees=0, counsellors=counsellors, cases_per_counsellor=0)
    users = [uid for _login, uid in pop["counsellors"]]
    counts = {"counsellors": len(users)}
    if "vp.case" in env and cases:
        ids, rows = seed_cases(env, users, cases, years, rnd)
        counts["cases"] = len(ids)
        counts["contact moments"] = seed_contacts(env, ids, rows, rnd)
    counts["appointments"] = seed_appointments(
        env, users, cases // 2 if appointments is None else appointments, years, rnd
    )
    counts["time entries"] = seed_time(
        env, users, cases * 2 if time_entries is None else time_entries, years, rnd
    )
    env.cr.execute("ANALYZE")
    env.invalidate_all()
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--counsellors", type=int, default=5)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--db", default="vp_volume")
    parser.add_argument("--keep-db", action="store_true", help="add to an existing database")
    args = parser.parse_args(argv)
    pg = common.start_pg()
    database = common.create_db(pg, args.db, keep=args.keep_db)
    with common.odoo_env(pg, database) as env:
        counts = seed(env, cases=args.cases, counsellors=args.counsellors, years=args.years)
    common.print_table([[k, str(v)] for k, v in counts.items()], ["seeded", "count"])
    print(
        f"database {database}; counsellors log in as bench-vp-01.. with password "
        "from bench/population.py"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
