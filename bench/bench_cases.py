#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the counsellor's case list and case form under the record rules.

    python3 bench/bench_cases.py [--cases 100000] [--runs 30] [--keep]

Creates a throw-away database on the private PostgreSQL of scripts/dev.py, installs the
addon without demo data, seeds N cases over 5 counsellors with plain SQL (about 2
contact moments per case, one case with 20), then measures in-process, as the counsellor
user (record rules active):

- list: the default list of the Cases menu (filter "Open", 80 rows) = web_search_read
  with the list view's field specification, which includes the total count;
- form: web_read of one case with 20 contact moments, with the form's specification;
- the same list as superuser (no rules), for the ratio rules / no rules.

Prints a table of medians. The database is dropped afterwards unless --keep.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import common
import dev
from seed_sql import seed_contact_moments

DB = "vp_bench_cases"
COUNSELLORS = 5

LIST_SPEC = {
    "name": {},
    "date_intake": {},
    "state": {},
    "category_ids": {"fields": {"display_name": {}}},
    "reporter_type": {},
    "route": {},
    "counsellor_id": {"fields": {"display_name": {}}},
    "date_closed": {},
    "retention_date": {},
    "is_open": {},
    "retention_warning": {},
    "destroyed_date": {},
}
FORM_SPEC = {
    **{
        f: {}
        for f in (
            "state",
            "name",
            "date_intake",
            "intake_channel",
            "reporter_type",
            "accused_role",
            "behaviour_duration",
            "route",
            "outcome",
            "remit_reason",
            "consent_date",
            "consent_scope",
            "is_deputy",
            "date_closed",
            "retention_date",
            "retention_extended",
            "retention_reason",
            "retention_warning",
            "destroyed_date",
            "melder_name",
            "melder_contact",
            "others_involved",
            "description",
            "notes",
            "display_name",
        )
    },
    "category_ids": {"fields": {"display_name": {}}},
    "referral_ids": {"fields": {"display_name": {}}},
    "counsellor_id": {"fields": {"display_name": {}}},
    "deputy_ids": {"fields": {"display_name": {}}},
    "company_id": {"fields": {"display_name": {}}},
    "contact_ids": {
        "fields": {
            f: {}
            for f in (
                "date",
                "duration",
                "channel",
                "is_aftercare",
                "concerns_third_party",
                "notes",
            )
        },
        "limit": 40,
        "order": "",
    },
    "document_ids": {"fields": {"date": {}, "datas": {}, "name": {}}, "limit": 40},
}
LIST_DOMAIN = [("is_open", "=", True)]


def seed(env, n_cases):
    cr = env.cr
    group = env.ref("vertrouwenspersoon.group_vp_counsellor")
    users = env["res.users"].create(
        [
            {
                "login": f"bench_vp_{i}",
                "name": f"Bench counsellor {i}",
                "groups_id": [(6, 0, group.ids)],
            }
            for i in range(COUNSELLORS)
        ]
    )
    company = env.ref("base.main_company").id
    ids = [u.id for u in users]
    started = time.time()
    # cases spread over 5 years and 5 counsellors; ~15% open
    cr.execute(
        """
        INSERT INTO vp_case (name, counsellor_id, company_id, state, date_intake,
            intake_channel, reporter_type, accused_role, behaviour_duration, route, outcome,
            date_closed, retention_date,
            create_uid, write_uid, create_date, write_date)
        SELECT 'VP-' || (2022 + (g * 7919 %% 1825) / 365) || '-' || lpad(g::text, 6, '0'),
               (%(ids)s::int[])[1 + g %% %(n)s], %(company)s,
               (ARRAY['intake','guidance','formal','aftercare','closed','closed','closed',
                      'closed','closed','closed','closed','closed','closed','outside_remit',
                      'closed','closed','closed','closed','closed','closed'])[1 + (g / 5) %% 20],
               current_date - (g * 7919 %% 1825),
               'phone', 'employee', 'colleague', 'm1_6', 'informal',
               CASE WHEN (g / 5) %% 20 >= 4 THEN 'resolved' END,
               CASE WHEN (g / 5) %% 20 >= 4 THEN current_date - (g * 7919 %% 1825) + 60 END,
               CASE WHEN (g / 5) %% 20 >= 4 THEN current_date - (g * 7919 %% 1825) + 425 END,
               1, 1, now(), now()
        FROM generate_series(1, %(cases)s) g
        """,
        {"ids": ids, "n": len(ids), "company": company, "cases": n_cases},
    )
    categories = env["vp.category"].search([]).ids
    cr.execute(
        """INSERT INTO vp_case_vp_category_rel (vp_case_id, vp_category_id)
           SELECT id, (%s::int[])[1 + id %% %s] FROM vp_case""",
        (categories, len(categories)),
    )
    seed_contact_moments(cr)
    # the form case: an open case of counsellor 0 with 20 contact moments
    cr.execute(
        "SELECT id FROM vp_case WHERE counsellor_id = %s AND state = 'guidance' LIMIT 1",
        (ids[0],),
    )
    form_case = cr.fetchone()[0]
    cr.execute(
        """INSERT INTO vp_case_contact (case_id, counsellor_id, date, duration, channel,
               is_aftercare, concerns_third_party, create_uid, write_uid, create_date,
               write_date)
           SELECT %s, %s, now() - k * interval '3 days', 1.0, 'in_person', false, false,
                  1, 1, now(), now()
           FROM generate_series(1, 18) k""",
        (form_case, ids[0]),
    )
    # share a few cases, so the deputy branch of the rule has data
    cr.execute(
        """INSERT INTO vp_case_deputy_rel (case_id, user_id)
           SELECT id, (%s::int[])[1 + (id + 1) %% %s] FROM vp_case WHERE id %% 500 = 0""",
        (ids, len(ids)),
    )
    cr.execute(
        "UPDATE vp_case SET has_deputies = true"
        " WHERE id IN (SELECT case_id FROM vp_case_deputy_rel)"
    )
    cr.execute("ANALYZE")
    env.invalidate_all()
    dev.info(f"seeded {n_cases} cases in {time.time() - started:.1f}s")
    return users, form_case


def median_ms(fn, runs, env):
    return common.median_seconds(fn, runs, env) * 1000


def measure(env, users, form_case, runs):
    user = users[0]
    Case = env["vp.case"].with_user(user)
    Su = env["vp.case"].with_user(user).sudo()
    n_own = Case.search_count([])
    n_open = Case.search_count(LIST_DOMAIN)

    def list_rules():
        res = Case.web_search_read(LIST_DOMAIN, LIST_SPEC, limit=80)
        assert len(res["records"]) == 80 and res["length"] == n_open

    def list_su():
        Su.web_search_read(LIST_DOMAIN, LIST_SPEC, limit=80)

    def form():
        res = Case.browse(form_case).web_read(FORM_SPEC)
        assert len(res[0]["contact_ids"]) == 20

    for fn in (list_rules, list_su, form):  # warm-up
        fn()
    # rules and superuser alternate run by run, so a noisy moment of the machine hits
    # both sides of the ratio alike
    paired = {"list (rules)": [], "list (superuser)": []}
    for _ in range(runs):
        paired["list (rules)"].append(median_ms(list_rules, 1, env))
        paired["list (superuser)"].append(median_ms(list_su, 1, env))
    results = {name: statistics.median(times) for name, times in paired.items()}
    results["form, 20 contacts"] = median_ms(form, runs, env)
    return results, n_own, n_open


def main():
    args = common.parse_args(__doc__, keep=True, cases=100_000, runs=30)
    with common.scratch_registry(DB, keep=args.keep) as registry, registry.cursor() as cr:
        import odoo

        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        users, form_case = seed(env, args.cases)
        cr.commit()
        results, n_own, n_open = measure(env, users, form_case, args.runs)
        cr.rollback()

    ratio = results["list (rules)"] / results["list (superuser)"]
    print()
    print(
        f"{args.cases} cases, 5 counsellors; counsellor sees {n_own} ({n_open} open); "
        f"median of {args.runs} runs"
    )
    print(f"{'measure':<28}{'median ms':>12}{'target':>12}")
    print(f"{'list 80 + count (rules)':<28}{results['list (rules)']:>12.1f}{'< 150':>12}")
    print(f"{'list 80 + count (superuser)':<28}{results['list (superuser)']:>12.1f}{'':>12}")
    print(f"{'form with 20 contacts':<28}{results['form, 20 contacts']:>12.1f}{'< 100':>12}")
    print(f"{'ratio rules / superuser':<28}{ratio:>12.2f}{'<= 1.3':>12}")
    # machine-readable lines for `make bench` (bench/README.md)
    print(f"FIGURE case_list.rules.median {results['list (rules)']:.1f} ms target=<150")
    print(f"FIGURE case_list.superuser.median {results['list (superuser)']:.1f} ms")
    print(f"FIGURE case_form.20_contacts.median {results['form, 20 contacts']:.1f} ms target=<100")
    print(f"FIGURE case_list.rules_ratio {ratio:.2f} ratio target=<=1.3")


if __name__ == "__main__":
    main()
