#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the annual report: figures for a year with many cases, and the PDF.

    python3 bench/bench_report.py [--cases 10000] [--runs 5] [--keep]

Creates a throw-away database on the private PostgreSQL of scripts/dev.py, installs the
addon without demo data, seeds N cases in one year (plus N/2 in each of the two years
before, for the comparison columns) with plain SQL: categories, referrals, two contact
moments per case, time entries, budgets and expenses. Then measures in-process:

- figures: ``_compute_figures()`` of a counsellor's own draft (three years, all tables);
- joint check: the counts of the year per counsellor (5 counsellors share the cases) and
  the joint protection of the organisation's and every counsellor's column;
- publish: the first report of the year (the organisation's), which fixes the years it
  shows with the joint check, then every counsellor's report, so that all scopes are
  published;
- PDF: rendering the published report with wkhtmltopdf (Odoo serves the report assets
  over HTTP on a free port, as in production);
- XLSX: rendering the workbook.

Prints a table of medians. The database is dropped afterwards unless --keep.
"""

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import common
import dev
from population import setup_vaults
from seed_sql import seed_contact_moments

DB = "vp_bench_report"
YEAR = 2025


COUNSELLORS = 5


def seed(env, n_cases):
    from odoo.tests import new_test_user

    cr = env.cr
    group = "vertrouwenspersoon.group_vp_counsellor"
    users = [new_test_user(env, f"bench_vp_report{i}", groups=group) for i in range(COUNSELLORS)]
    user = users[0]
    company = env.ref("base.main_company").id
    started = time.time()
    for year, count in ((YEAR, n_cases), (YEAR - 1, n_cases // 2), (YEAR - 2, n_cases // 2)):
        cr.execute(
            """
            INSERT INTO vp_case (name, counsellor_id, company_id, state, date_intake,
                intake_channel, reporter_type, accused_role, behaviour_duration, route,
                outcome, date_closed, create_uid, write_uid, create_date, write_date)
            SELECT 'VP-' || %(year)s || '-' || lpad(g::text, 6, '0'),
                   (%(users)s::int[])[1 + g %% %(n_users)s], %(company)s,
                   CASE WHEN g %% 7 = 0 THEN 'guidance' ELSE 'closed' END,
                   make_date(%(year)s, 1 + g %% 12, 1 + g %% 28), 'phone',
                   (ARRAY['employee','employee','employee','temp','secondee','freelancer',
                          'intern','former','other'])[1 + g %% 9],
                   (ARRAY['manager','colleague','colleague','subordinate','client',
                          'unknown'])[1 + g %% 6],
                   'm1_6',
                   (ARRAY['listening','informal','informal','formal_complaint',
                          'police_report','whistleblower'])[1 + g %% 6],
                   CASE WHEN g %% 7 = 0 THEN NULL
                        ELSE (ARRAY['resolved','partly_resolved','not_resolved','referred',
                                    'withdrawn','left','unknown'])[1 + g %% 7] END,
                   CASE WHEN g %% 7 = 0 THEN NULL
                        ELSE make_date(%(year)s, 1 + g %% 12, 1 + g %% 28) + 40 END,
                   1, 1, now(), now()
            FROM generate_series(1, %(count)s) g
            """,
            {
                "year": year,
                "users": [u.id for u in users],
                "n_users": len(users),
                "company": company,
                "count": count,
            },
        )
    categories = env["vp.category"].search([]).ids
    cr.execute(
        """INSERT INTO vp_case_vp_category_rel (vp_case_id, vp_category_id)
           SELECT id, (%s::int[])[1 + id %% %s] FROM vp_case
           UNION
           SELECT id, (%s::int[])[1 + (id / 3) %% %s] FROM vp_case WHERE id %% 4 = 0""",
        (categories, len(categories), categories, len(categories)),
    )
    referrals = env["vp.referral.type"].search([]).ids
    if referrals:
        cr.execute(
            """INSERT INTO vp_case_vp_referral_type_rel (vp_case_id, vp_referral_type_id)
               SELECT id, (%s::int[])[1 + id %% %s] FROM vp_case WHERE id %% 3 = 0""",
            (referrals, len(referrals)),
        )
    seed_contact_moments(cr)
    cr.execute(
        """INSERT INTO vp_time_entry (date, counsellor_id, activity_type, hours, company_id,
               create_uid, write_uid, create_date, write_date)
           SELECT make_date(%s, 1 + g %% 12, 1 + g %% 28), %s,
                  (ARRAY['support','prevention','advice','training','network',
                         'administration','travel'])[1 + g %% 7], 1.5, %s, 1, 1, now(), now()
           FROM generate_series(1, 2000) g""",
        (YEAR, user.id, company),
    )
    # an expense's description is vault content, encrypted for its counsellor's vault
    setup_vaults(env, [user])
    Budget = env["vp.budget"]
    for category, _label in Budget._fields["cost_category"].selection:
        budget = Budget.create({"year": YEAR, "cost_category": category, "amount": 1000})
        env["vp.expense"].create(
            {
                "date": f"{YEAR}-06-01",
                "budget_id": budget.id,
                "amount": 400,
                "description": "Bench",
                "counsellor_id": user.id,
            }
        )
    cr.execute("ANALYZE")
    env.invalidate_all()
    dev.info(f"seeded {n_cases} cases in {YEAR} in {time.time() - started:.1f}s")
    return users


def main():
    args = common.parse_args(__doc__, keep=True, cases=10_000, runs=5)
    port = dev.free_port()
    extra = [f"--db-filter=^{DB}$", f"--http-port={port}"]
    with common.scratch_registry(DB, keep=args.keep, extra=extra) as registry:
        import odoo
        from odoo import api

        # the static paths of every module, read once here: threads that parse manifests
        # at the same moment trip over a CPython 3.11 bug ("AST constructor recursion
        # depth mismatch") and answer the PDF's first asset request with an error 500
        odoo.http.root.statics  # noqa: B018
        server = odoo.service.server.ThreadedServer(odoo.http.root)
        server.http_spawn()  # wkhtmltopdf fetches the report's stylesheets over HTTP
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("report.url", f"http://127.0.0.1:{port}")
            users = seed(env, args.cases)
            cr.commit()
            from odoo.addons.vertrouwenspersoon.models.report.vp_annual_report import COUNT_TABLES
            from odoo.addons.vertrouwenspersoon.tools import report_linked as rl

            uenv = env(user=users[0].id)
            own = uenv["vp.annual.report"].create({"year": YEAR, "scope": "counsellor"})
            report = uenv["vp.annual.report"].create({"year": YEAR})
            cr.commit()
            results = {"figures": common.median_seconds(own._compute_figures, args.runs, env)}

            def joint_check():
                counts = report._query_cover_counts(YEAR)
                rl.protect_year(counts, report.threshold, COUNT_TABLES)

            results["joint"] = common.median_seconds(joint_check, args.runs, env)
            counts = report._query_cover_counts(YEAR)
            t0 = time.perf_counter()
            for _ in range(20):
                rl.protect_year(counts, report.threshold, COUNT_TABLES)
            results["engine"] = (time.perf_counter() - t0) / 20
            env.invalidate_all()
            t0 = time.perf_counter()
            report.action_publish()
            results["publish"] = time.perf_counter() - t0
            figures = json.loads(report.figures_json)
            others = []
            for user in users:
                mine = env(user=user.id)["vp.annual.report"].create(
                    {"year": YEAR, "scope": "counsellor"}
                )
                env.invalidate_all()
                t1 = time.perf_counter()
                mine.action_publish()
                others.append(time.perf_counter() - t1)
            results["publish_all"] = results["publish"] + sum(others)
            results["publish_other"] = statistics.median(others)
            cr.commit()
            actions = uenv["ir.actions.report"]
            pdf_size = []

            def pdf():
                content, _kind = actions._render_qweb_pdf(
                    "vertrouwenspersoon.vp_annual_report_action_pdf", report.ids
                )
                pdf_size.append(len(content))

            def xlsx():
                actions._render_xlsx(
                    "vertrouwenspersoon.vp_annual_report_action_xlsx", report.ids, data={}
                )

            pdf()  # warm-up: asset bundles
            results["pdf"] = common.median_seconds(pdf, args.runs, env)
            results["xlsx"] = common.median_seconds(xlsx, args.runs, env)
            cr.rollback()
        server.stop()

    print()
    print(
        f"{args.cases} cases in {YEAR} (+{args.cases // 2} in each of the two years "
        f"before); new cases counted: {figures['headline'][str(YEAR)]['new']['d']}; "
        f"median of {args.runs} runs"
    )
    print(f"{'measure':<44}{'seconds':>10}{'target':>10}")
    rows = [
        ("figures (own draft, 3 years, all tables)", results["figures"], "< 1"),
        (f"joint check ({COUNSELLORS} counsellors + org: query)", results["joint"], ""),
        ("  of which the suppression engine", results["engine"], ""),
        ("publish the org report (fixes 3 years)", results["publish"], "< 2"),
        ("publish a counsellor report (median)", results["publish_other"], "< 2"),
        (f"publish all {COUNSELLORS + 1} scopes", results["publish_all"], ""),
        ("PDF (wkhtmltopdf)", results["pdf"], "< 5"),
        ("XLSX", results["xlsx"], ""),
    ]
    for label, value, target in rows:
        print(f"{label:<44}{value:>10.3f}{target:>10}")
    print(f"PDF size: {pdf_size[-1] // 1024} KiB")
    print(f"FIGURE report.figures.median {results['figures'] * 1000:.0f} ms target=<1000")
    print(f"FIGURE report.joint_check.median {results['joint'] * 1000:.0f} ms")
    print(f"FIGURE report.publish {results['publish'] * 1000:.0f} ms target=<2000")
    print(f"FIGURE report.publish_linked.counsellor {results['publish_other'] * 1000:.0f} ms")
    print(f"FIGURE report.publish_linked.all_scopes {results['publish_all'] * 1000:.0f} ms")
    print(f"FIGURE report.pdf.median {results['pdf']:.2f} s target=<5")
    print(f"FIGURE report.xlsx.median {results['xlsx'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
