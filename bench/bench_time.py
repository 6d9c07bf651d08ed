#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the pivot of hours per month and activity over 100,000 time entries.

    python3 bench/bench_time.py [--entries 100000] [--runs 7]

Creates (once) a database `vp_bench_time` without demo data on the private PostgreSQL of
`make test`, bulk-inserts the entries with one INSERT ... SELECT, then times in the
server process (no HTTP):
  1. the counsellor's pivot: read_group(date:month, activity_type) on vp.time.entry,
     through the access rules, as the counsellor who owns all the entries;
  2. the functional admin's pivot on the aggregated view vp.time.summary;
  3. the guideline list (vp.time.guideline) for the counsellor.
Prints the median and the best of the runs in milliseconds.
"""

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import dev

DB = "vp_bench_time"

SHELL_CODE = r"""
import statistics, time

N, RUNS = {entries}, {runs}
Users = env["res.users"]


def user(login, group):
    return Users.search([("login", "=", login)]) or Users.create({{
        "name": login, "login": login,
        "groups_id": [(6, 0, [env.ref(group).id])]}})

counsellor = user("bench_counsellor", "vertrouwenspersoon.group_vp_counsellor")
manager = user("bench_manager", "vertrouwenspersoon.group_vp_manager")
cr = env.cr
cr.execute("DELETE FROM vp_time_entry")
started = time.perf_counter()
cr.execute('''
    INSERT INTO vp_time_entry (date, counsellor_id, activity_type, hours, company_id,
                               create_uid, write_uid, create_date, write_date)
    SELECT DATE '2016-01-01' + (i %% 3650),
           %s,
           (ARRAY['support', 'prevention', 'advice', 'training', 'network',
                  'administration', 'travel'])[1 + i %% 7],
           0.25 * (1 + i %% 8),
           %s, 1, 1, now(), now()
      FROM generate_series(1, %s) AS i''', (counsellor.id, env.company.id, N))
cr.execute("ANALYZE vp_time_entry")
insert_ms = (time.perf_counter() - started) * 1000
env.cr.commit()

def bench(label, fn):
    timings = []
    for _ in range(RUNS):
        env.invalidate_all()
        t = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - t) * 1000)
    rows.append((label, len(result), statistics.median(timings), min(timings)))

rows = []
Entry = env["vp.time.entry"].with_user(counsellor)
bench("counsellor pivot: vp.time.entry by month x activity",
      lambda: Entry.read_group([], ["hours:sum"], ["date:month", "activity_type"], lazy=False))
bench("counsellor pivot, one year (2024)",
      lambda: Entry.read_group([("date", ">=", "2024-01-01"), ("date", "<=", "2024-12-31")],
                               ["hours:sum"], ["date:month", "activity_type"], lazy=False))
Summary = env["vp.time.summary"].with_user(manager)
bench("functional admin pivot: vp.time.summary by month x activity",
      lambda: Summary.read_group([], ["hours:sum"], ["date:month", "activity_type"], lazy=False))
Guideline = env["vp.time.guideline"].with_user(counsellor)
bench("counsellor guideline list (vp.time.guideline)",
      lambda: Guideline.search_read([], ["year", "hours", "guideline_hours", "indicator"]))

print()
print(f"entries: {{N:,}} (bulk insert {{insert_ms:.0f}} ms); runs per figure: {{RUNS}}")
print(f"{{'query':<62}} {{'groups':>7}} {{'median ms':>10}} {{'best ms':>8}}")
print("-" * 90)
for label, count, median, best in rows:
    print(f"{{label:<62}} {{count:>7}} {{median:>10.1f}} {{best:>8.1f}}")
slugs = ["time.pivot_all", "time.pivot_one_year", "time.summary_pivot", "time.guideline_list"]
for slug, (label, count, median, best) in zip(slugs, rows, strict=False):
    target = " target=<300" if slug == "time.pivot_all" else ""
    print(f"FIGURE {{slug}}.median {{median:.1f}} ms{{target}}")
print()
cr.execute("DELETE FROM vp_time_entry")
env.cr.commit()
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    pg = dev.preflight()
    pg.start()
    try:
        dev.install_or_update(pg, DB)
        code = SHELL_CODE.format(entries=args.entries, runs=args.runs)
        cmd = dev.odoo_shell_command(pg, DB, "--no-http", "--log-level=warn")
        subprocess.run(
            cmd,
            input=code,
            text=True,
            check=True,
        )
    finally:
        if pg.started_here:
            pg.stop()


if __name__ == "__main__":
    main()
