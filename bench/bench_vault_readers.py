#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What checking the readers of a counsellor's cases adds to every unlock.

    python3 bench/bench_vault_readers.py [--cases 2000]

Seeds one counsellor with ``--cases`` cases, each with a key row for the counsellor,
a tenth also shared with a deputy, and a few key rows and a vault planted for an
administrator; then times ``vp.vault._reader_findings()`` (run at every unlock).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

DATABASE = "vp_bench_vault_readers"


def seed(env, cases):
    from odoo import Command

    group = env.ref("vertrouwenspersoon.group_vp_counsellor")
    internal = env.ref("base.group_user")
    users = env["res.users"].create(
        [
            {
                "name": name,
                "login": login,
                "groups_id": [Command.set([internal.id, *([group.id] if counsel else [])])],
            }
            for name, login, counsel in (
                ("Bench Counsellor", "bench_rd_c", True),
                ("Bench Deputy", "bench_rd_d", True),
                ("Bench Admin", "bench_rd_a", False),
            )
        ]
    )
    counsellor, deputy, admin = users
    company = env.company.id
    case_ids = common.bulk_insert(
        env.cr,
        "vp_case",
        ["name", "counsellor_id", "company_id", "state", "date_intake", "has_deputies"],
        [
            (f"BENCH-{n:06d}", counsellor.id, company, "guidance", "2026-01-05", n % 10 == 0)
            for n in range(cases)
        ],
    )
    shared = case_ids[::10]
    common.bulk_insert(
        env.cr,
        "vp_case_deputy_rel",
        ["case_id", "user_id"],
        [(case_id, deputy.id) for case_id in shared],
        returning=None,
    )
    keys = [(case_id, counsellor.id, "bench") for case_id in case_ids]
    keys += [(case_id, deputy.id, "bench") for case_id in shared]
    keys += [(case_id, admin.id, "planted") for case_id in case_ids[:5]]
    common.bulk_insert(env.cr, "vp_case_key", ["case_id", "user_id", "wrapped_key"], keys)
    common.bulk_insert(
        env.cr,
        "vp_vault",
        ["user_id", "public_key"],
        [(user.id, "AAAA") for user in users],
    )
    env.invalidate_all()
    return counsellor


def main():
    args = common.parse_args(__doc__, cases=2000)
    pg = common.start_pg()
    common.create_db(pg, DATABASE)
    try:
        with common.odoo_env(pg, DATABASE) as env:
            counsellor = seed(env, args.cases)
            user_env = env(user=counsellor.id)
            findings = user_env["vp.vault"]._reader_findings()
            print(f"{len(findings)} finding(s) for {args.cases} cases")
            stats = common.timeit(
                lambda: user_env["vp.vault"]._reader_findings(), n=10, env=user_env
            )
            common.figure(
                f"vault.reader_findings_{args.cases}_cases.median",
                stats["median"],
                "ms",
                target="<=200",
                note="added to every unlock",
            )
    finally:
        common.drop_db(pg, DATABASE)
        common.stop_pg(pg)


if __name__ == "__main__":
    main()
