#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fault tests (``make faults``): kill Odoo or restart PostgreSQL mid-work, check nothing breaks.

Scenarios, each scripted and repeatable (the "middle" is made deterministic by holding a
table lock from a separate connection, so the request is provably half-way when the kill
comes):

1. booking: SIGKILL Odoo while a booking request has inserted its appointment and waits
   to write its notice for the outbox (e-mails and calendar block);
2. case save: SIGKILL Odoo while saving a new case has inserted the case and waits to
   insert its contact moment;
3. retention cron: SIGKILL an ``odoo shell`` running the retention cron after its first
   batch committed and while the second one waits; then run the cron again;
4. PostgreSQL restart (``pg_ctl restart -m fast``) while a counsellor keeps working.

After each: the integrity invariants hold (every appointment has its calendar block or a
notice waiting in the outbox, no case without reference, no contact without case,
destroyed cases fully destroyed), what was confirmed to the user before the fault still
exists, the next request gets a normal answer, and the cron completes on its next run.
Prints a PASS/FAIL table.

    python3 bench/faults.py [--only booking,case,cron,pg] [--keep-db]
"""

import argparse
import contextlib
import re
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common

PORTAL = "/my/vertrouwenspersoon"
DB = "vp_faults"
KILLED_INTAKE = date(1999, 12, 31)  # the date of first contact of the case killed mid-save
SAVED_INTAKE = date(2000, 1, 3)  # ... of the case saved before the kill


class Results:
    def __init__(self):
        self.rows = []

    def check(self, scenario, name, ok, detail=""):
        result = "PASS" if ok else "FAIL"
        if ok is None:
            result = "n/a"
        elif ok == "info":
            result = "info"
        self.rows.append([scenario, name, result, str(detail)[:120]])
        common.info(f"{scenario}: {name}: {result} {detail}")
        return ok

    def failed(self):
        return sum(1 for row in self.rows if row[2] == "FAIL")


@contextlib.contextmanager
def table_lock(pg, database, sql):
    """Hold a lock from a separate transaction until the block ends."""
    conn = common.connect(pg, database)
    conn.autocommit = False
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
        yield
    finally:
        conn.rollback()
        conn.close()


def _wait_activity(pg, database, condition, present, timeout):
    """Poll pg_stat_activity of ``database`` until backends matching ``condition`` are
    ``present`` (True) or gone (False); returns whether that happened in time."""
    conn = common.connect(pg, database)
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    f"AND {condition} AND pid <> pg_backend_pid()",
                    [database],
                )
                if bool(cur.fetchone()[0]) == present:
                    return True
            time.sleep(0.1)
        return False
    finally:
        conn.close()


def wait_for_lock_waiter(pg, database, timeout=60):
    """True once a backend of ``database`` waits on a lock (the request is mid-way)."""
    return _wait_activity(pg, database, "wait_event_type = 'Lock'", True, timeout)


def wait_backends_gone(pg, database, timeout=30):
    """Wait until no backend of ``database`` is left in an open transaction."""
    return _wait_activity(pg, database, "xact_start IS NOT NULL", False, timeout)


def query(pg, database, sql, params=None):
    conn = common.connect(pg, database)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def check_invariants(results, scenario, pg, database):
    conn = common.connect(pg, database)
    try:
        with conn.cursor() as cur:
            checks = common.invariants(cur)
    finally:
        conn.close()
    broken = [f"{name}: {count}" for name, count in checks if count]
    results.check(
        scenario,
        f"integrity invariants hold ({len(checks)} checks)",
        not broken,
        "; ".join(broken) or "all hold",
    )


def in_thread(func):
    """Run ``func`` in a thread; returns (thread, box) where box['result'|'error'] is set."""
    box = {}

    def target():
        try:
            box["result"] = func()
        except Exception as exc:  # noqa: BLE001  (reported to the scenario)
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box


def kill_midway(results, scenario, pg, server, lock_sql, request, what):
    """Send ``request`` while ``lock_sql`` holds it half-way, then SIGKILL Odoo.

    Returns the request's outcome: a dict with 'result' or 'error'.
    """
    with table_lock(pg, DB, lock_sql):
        thread, box = in_thread(request)
        midway = wait_for_lock_waiter(pg, DB)
        results.check(scenario, f"request caught half-way ({what})", midway)
        server.kill()
    thread.join(timeout=60)
    wait_backends_gone(pg, DB)
    return box


def employee_session(server, login, password):

    session = common.new_session()
    if not common.login(session, server.url, login, password):
        raise RuntimeError(f"employee {login} cannot log in")
    return session


def booking_form(session, server, profile_id):
    page = session.get(f"{server.url}{PORTAL}/book/{profile_id}", timeout=60)
    from load import select_options

    return (
        page,
        common.csrf_from(page.text),
        select_options(page.text, "start"),
        select_options(page.text, "channel"),
    )


def post_booking(session, server, profile_id, token, start, channel):
    return session.post(
        f"{server.url}{PORTAL}/book/{profile_id}",
        data={"csrf_token": token, "start": start, "channel": channel, "note": "fault test"},
        timeout=120,
        allow_redirects=False,
    )


# --------------------------------------------------------------------- scenarios


def scenario_booking(results, pg, server, pop):
    name = "kill during booking"
    if not pop["profiles"]:
        results.check(name, "booking installed", None, "vp.appointment/vp.counsellor missing")
        return
    profile = pop["profiles"][0]
    login, uid, _kind = pop["employees"][0]
    session = employee_session(server, login, pop["password"])
    page, token, slots, channels = booking_form(session, server, profile)
    if page.status_code != 200 or len(slots) < 2:
        results.check(name, "booking form with free slots", False, f"HTTP {page.status_code}")
        return
    # a booking confirmed before the fault
    first = post_booking(session, server, profile, token, slots[0], channels[0])
    match = re.search(rf"{PORTAL}/(\d+)", first.headers.get("Location", ""))
    results.check(
        name, "booking before the fault confirmed", bool(match), f"HTTP {first.status_code}"
    )
    confirmed = int(match.group(1)) if match else None
    from load import outbox_drained

    # the cron worker sends its e-mails and calendar block (the outbox), then sleeps
    drained = outbox_drained(pg, DB, timeout=60)
    rows = query(pg, DB, "SELECT event_id FROM vp_appointment WHERE id = %s", [confirmed])
    results.check(
        name,
        "confirmed booking got its calendar block from the outbox",
        drained is not None and bool(rows and rows[0][0]),
        "outbox not drained in 60 s" if drained is None else f"outbox drained in {drained:.1f} s",
    )

    killed_slot = slots[1]
    box = kill_midway(
        results,
        name,
        pg,
        server,
        "LOCK TABLE vp_appointment_notice IN SHARE MODE",
        lambda: post_booking(session, server, profile, token, killed_slot, channels[0]),
        "appointment inserted, its notice pending",
    )
    answered = box.get("result")
    results.check(
        name,
        "killed request was not confirmed to the employee",
        answered is None or answered.status_code >= 500,
        f"{type(box.get('error')).__name__ if 'error' in box else answered.status_code}",
    )
    rows = query(
        pg,
        DB,
        "SELECT count(*) FROM vp_appointment WHERE user_id = %s AND start = %s",
        [uid, killed_slot],
    )
    results.check(name, "no half-written appointment", rows[0][0] == 0, f"{rows[0][0]} rows")
    server.start()
    check_invariants(results, name, pg, DB)
    if confirmed:
        rows = query(pg, DB, "SELECT state FROM vp_appointment WHERE id = %s", [confirmed])
        results.check(name, "booking confirmed before the kill still there", bool(rows), rows)
    page, token, slots, channels = booking_form(session, server, profile)
    results.check(
        name, "next request answered normally", page.status_code == 200, f"HTTP {page.status_code}"
    )
    if killed_slot in slots:
        again = post_booking(session, server, profile, token, killed_slot, channels[0])
        results.check(
            name,
            "the same slot can be booked after recovery",
            again.status_code in (302, 303),
            f"HTTP {again.status_code}",
        )
    else:
        results.check(name, "the killed slot is free again", False, "slot not offered")


def counsellor_session(server, pop, index=0):

    session = common.new_session()
    login = pop["counsellors"][index][0]
    if not common.login(session, server.url, login, pop["password"]):
        raise RuntimeError(f"counsellor {login} cannot log in")
    import population

    common.unlock_vault(session, server.url, population.VAULT_PASSPHRASE)
    return session


def save_case(session, server, intake, marker):
    values = {
        "date_intake": intake.isoformat(),
        "description": f"{marker} fault test account",
        "contact_ids": [[0, 0, {"duration": 1.0, "channel": "phone", "notes": f"{marker} notes"}]],
    }
    return common.call_kw(
        session,
        server.url,
        "vp.case",
        "web_save",
        [[], values],
        {"specification": {"name": {}}},
        timeout=120,
    )


def scenario_case(results, pg, server, pop):
    name = "kill during case save"
    if not pop["cases"]:
        results.check(name, "cases installed", None, "vp.case missing")
        return
    import population

    session = counsellor_session(server, pop)
    status, result, error = save_case(session, server, SAVED_INTAKE, population.MARKER)
    saved = isinstance(result, list) and result and result[0].get("id")
    results.check(name, "case saved before the fault", bool(saved), error or status)
    killed_before = query(
        pg, DB, "SELECT count(*) FROM vp_case WHERE date_intake = %s", [KILLED_INTAKE]
    )[0][0]  # a previous run (--keep-db) saved one after recovery
    box = kill_midway(
        results,
        name,
        pg,
        server,
        "LOCK TABLE vp_case_contact IN SHARE MODE",
        lambda: save_case(session, server, KILLED_INTAKE, population.MARKER),
        "case inserted, contact pending",
    )
    answered = box.get("result")
    results.check(
        name,
        "killed save was not confirmed to the counsellor",
        answered is None or answered[2] is not None,
        type(box.get("error")).__name__ if "error" in box else answered,
    )
    rows = query(pg, DB, "SELECT count(*) FROM vp_case WHERE date_intake = %s", [KILLED_INTAKE])
    results.check(
        name,
        "no half-written case",
        rows[0][0] == killed_before,
        f"{rows[0][0] - killed_before} rows",
    )
    server.start()
    check_invariants(results, name, pg, DB)
    if saved:
        rows = query(pg, DB, "SELECT name FROM vp_case WHERE id = %s", [saved])
        results.check(name, "case saved before the kill still there", bool(rows), rows)
    session = counsellor_session(server, pop)
    status, result, error = common.search_cases(session, server.url, {"name": {}}, 10)
    results.check(
        name, "next request answered normally", status == 200 and not error, error or status
    )
    status, result, error = save_case(session, server, KILLED_INTAKE, population.MARKER)
    results.check(
        name, "the save succeeds after recovery", status == 200 and not error, error or status
    )


CRON_SCRIPT = """
env["vp.case"]._cron_retention()
env.cr.commit()
print("CRON-DONE")
"""


def run_cron(pg, database, timeout=None, popen=False):
    cmd = common.odoo_command(pg, database, "--no-http", "--log-level=warn", "--max-cron-threads=0")
    # the subcommand right after --addons-path (the command starts with the launcher)
    cmd.insert(next(i for i, a in enumerate(cmd) if a.startswith("--addons-path=")) + 1, "shell")
    if popen:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        proc.stdin.write(CRON_SCRIPT)
        proc.stdin.close()
        return proc
    return subprocess.run(
        cmd, input=CRON_SCRIPT, capture_output=True, text=True, timeout=timeout, check=False
    )


def content_state(pg, database, case_ids):
    """{case id: (destroyed?, has content?, has contact notes?)}."""
    conn = common.connect(pg, database)
    try:
        with conn.cursor() as cur:
            cols = common.content_columns(cur, "vp_case", common.CONTENT_COLUMNS)
            notes = common.content_columns(cur, "vp_case_contact", ["notes"])[0]
            has_content = " OR ".join(f"k.{c} IS NOT NULL" for c in cols) or "false"
            cur.execute(
                f"""SELECT k.id, k.destroyed_date IS NOT NULL, ({has_content}),
                           EXISTS (SELECT 1 FROM vp_case_contact c
                                    WHERE c.case_id = k.id AND c.{notes} IS NOT NULL)
                      FROM vp_case k WHERE k.id = ANY(%s)""",
                [case_ids],
            )
            return {row[0]: row[1:] for row in cur.fetchall()}
    finally:
        conn.close()


def scenario_cron(results, pg, server, pop):
    name = "kill during retention cron"
    expired = pop.get("expired") or []
    if not expired:
        results.check(name, "retention installed", None, "vp.case._cron_retention missing")
        return
    # stop the server: the cron runs in its own process, like Odoo's cron worker
    server.stop()
    victim = sorted(expired)[len(expired) // 2]  # half-way, in the cron's order (same date)
    with table_lock(pg, DB, f"SELECT id FROM vp_case WHERE id = {int(victim)} FOR UPDATE"):
        proc = run_cron(pg, DB, popen=True)
        midway = wait_for_lock_waiter(pg, DB, timeout=300)
        results.check(name, "cron caught half-way (a batch waits on a locked case)", midway)
        with contextlib.suppress(ProcessLookupError):
            import os
            import signal

            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    wait_backends_gone(pg, DB)
    states = content_state(pg, DB, expired)
    destroyed = [cid for cid, (gone, _c, _n) in states.items() if gone]
    partial = [
        cid
        for cid, (gone, content, notes) in states.items()
        if (gone and (content or notes)) or (not gone and not (content and notes))
    ]
    results.check(
        name,
        "each case fully destroyed or untouched",
        not partial,
        f"{len(destroyed)} destroyed, {len(expired) - len(destroyed)} untouched, "
        f"{len(partial)} partial",
    )
    results.check(
        name,
        "the kill came half-way (some batches done, some not)",
        0 < len(destroyed) < len(expired),
        f"{len(destroyed)}/{len(expired)}",
    )
    check_invariants(results, name, pg, DB)
    started = time.time()
    done = run_cron(pg, DB, timeout=600)
    states = content_state(pg, DB, expired)
    left = [cid for cid, (gone, content, notes) in states.items() if not gone or content or notes]
    results.check(
        name,
        "next cron run completes",
        done.returncode == 0 and "CRON-DONE" in done.stdout,
        f"exit {done.returncode} in {time.time() - started:.0f}s",
    )
    results.check(name, "all expired cases destroyed after it", not left, f"{len(left)} left")
    check_invariants(results, name, pg, DB)
    server.start()


def scenario_pg_restart(results, pg, server, pop):
    name = "PostgreSQL restart"
    if pg.external:
        results.check(name, "private cluster", None, "PGHOST set: not restarting a shared server")
        return
    use_cases = bool(pop["cases"])
    session = counsellor_session(server, pop)
    log = []  # (time, ok, detail, confirmed id)
    stop = threading.Event()
    case_id = pop["cases"][pop["counsellors"][0][1]][0] if use_cases else None

    def work():
        import requests

        while not stop.is_set():
            at = time.time()
            try:
                if use_cases:
                    status, result, error = common.call_kw(
                        session,
                        server.url,
                        "vp.case",
                        "web_save",
                        [
                            [case_id],
                            {
                                "contact_ids": [
                                    [
                                        0,
                                        0,
                                        {
                                            "duration": 0.25,
                                            "channel": "phone",
                                            "notes": "pg restart test",
                                        },
                                    ]
                                ]
                            },
                        ],
                        {"specification": {"contact_ids": {"fields": {"id": {}}}}},
                        timeout=60,
                    )
                else:
                    status, result, error = common.call_kw(
                        session,
                        server.url,
                        "vp.category",
                        "search_read",
                        [[]],
                        {"fields": ["name"]},
                        timeout=60,
                    )
                ok = status == 200 and not error
                detail = f"HTTP {status} {(error or {}).get('data', {}).get('name', '')}"
                ids = []
                if ok and use_cases:
                    ids = [c["id"] for c in result[0]["contact_ids"]]
                log.append((at, ok, detail, ids))
            except requests.RequestException as exc:
                log.append((at, False, type(exc).__name__, []))
            time.sleep(0.3)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    time.sleep(3)
    restart_at = time.time()
    pg._pg("pg_ctl", "-D", str(pg.data), "-m", "fast", "-w", "restart", quiet=True)
    back_at = time.time()
    time.sleep(8)
    stop.set()
    thread.join(timeout=90)
    before = [e for e in log if e[0] < restart_at]
    after = [e for e in log if e[0] >= back_at]
    results.check(
        name,
        "requests succeeded before the restart",
        before and all(e[1] for e in before),
        f"{sum(e[1] for e in before)}/{len(before)}",
    )
    results.check(
        name,
        "first request after recovery answered normally",
        bool(after) and after[0][1],
        after[0][2] if after else "no request",
    )
    during = [e for e in log if restart_at <= e[0] < back_at]
    results.check(
        name,
        "what the counsellor saw during the restart",
        "info",
        f"{sum(not e[1] for e in during)}/{len(during)} failed: "
        + ", ".join(sorted({e[2] for e in during if not e[1]})),
    )
    failed_after = [e for e in after if not e[1]]
    results.check(
        name,
        "no failed request after recovery",
        not failed_after,
        f"{len(failed_after)}/{len(after)} failed: {failed_after[0][2] if failed_after else ''}",
    )
    if use_cases:
        confirmed = sorted({i for e in log if e[1] for i in e[3]})
        rows = query(pg, DB, "SELECT id FROM vp_case_contact WHERE id = ANY(%s)", [confirmed])
        results.check(
            name,
            "every contact moment confirmed to the counsellor exists",
            len(rows) == len(confirmed),
            f"{len(rows)}/{len(confirmed)}",
        )
    check_invariants(results, name, pg, DB)


SCENARIOS = {
    "booking": scenario_booking,
    "case": scenario_case,
    "cron": scenario_cron,
    "pg": scenario_pg_restart,
}


def prepare(pg, args):
    import population

    database = common.create_db(pg, DB, keep=args.keep_db)
    with common.odoo_env(pg, database) as env:
        pop = population.seed(env, employees=4, counsellors=2, cases_per_counsellor=3)
        common.only_outbox_cron(env)
        pop["expired"] = []
        if "vp.case" in env and hasattr(env["vp.case"], "_cron_retention"):
            env.cr.execute(
                "SELECT id FROM vp_case WHERE destroyed_date IS NULL AND retention_date < now()"
            )
            stale = [r[0] for r in env.cr.fetchall()]
            if stale:  # a previous run (--keep-db): destroy leftovers first
                env["vp.case"].browse(stale)._retention_destroy()
            user = env["res.users"].browse(pop["counsellors"][1][1])
            pop["expired"] = population.seed_expired_cases(env, user, args.expired)
    return database, pop


def main(argv=None):
    global DB
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated: " + ",".join(SCENARIOS))
    parser.add_argument("--db", default="vp_faults")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--expired", type=int, default=150, help="expired cases for the cron")
    args = parser.parse_args(argv)
    DB = args.db
    wanted = [s.strip() for s in (args.only or ",".join(SCENARIOS)).split(",") if s.strip()]

    pg = common.start_pg()
    database, pop = prepare(pg, args)
    results = Results()
    # one cron worker as in production (it sends the booking outbox)
    server = common.OdooServer(pg, database, workers=2, cron_threads=1, name="faults")
    server.start()
    try:
        for key in wanted:
            common.info(f"scenario {key}")
            try:
                SCENARIOS[key](results, pg, server, pop)
            except Exception as exc:  # noqa: BLE001  (a scenario bug is a FAIL row)
                results.check(key, "scenario ran to the end", False, repr(exc))
                if not server.proc or server.proc.poll() is not None:
                    with contextlib.suppress(Exception):
                        server.start()
    finally:
        server.stop()
    print()
    common.print_table(results.rows, ["scenario", "check", "result", "detail"])
    failed = results.failed()
    print(f"\n{len(results.rows)} checks, {failed} failed")
    common.figure("faults.checks_failed", failed, "count", target="==0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
