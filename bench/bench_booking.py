#!/usr/bin/env python3
"""Booking benchmark: slot computation time and a concurrent booking load test.

    python3 bench/bench_booking.py [--clients 20] [--per-client 5]

1. Installs the addon with demo data into a database ``vp_bench`` on the private
   PostgreSQL cluster (kept between runs), adds a third counsellor and bench users.
2. Times ``_free_slots()`` for 3 counsellors over the booking horizon (6 weeks).
3. Starts Odoo on 127.0.0.1 with ``--workers=2``; N clients (threads with their own
   requests session, each logged in as a portal user) repeatedly open the booking form
   and book one of the first three free slots of the same counsellor, so they collide.
   Reports median and p95 of the booking POST and checks the database for double
   bookings (same start, or overlapping active appointments of one counsellor).
Everything stays on loopback; the run is bounded in requests and time.
"""

import argparse
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import dev

DB = "vp_bench"
PASSWORD = "bench-password"
OPTION_RE = re.compile(r'<option value="(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"')
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def percentile(values, pct):
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(pct / 100 * (len(values) - 1))))
    return values[index]


def prepare(pg, clients):
    action = "-u" if pg.database_exists(DB) else "-i"
    dev.info(f"{'updating' if action == '-u' else 'installing'} the addon (demo data) in {DB}")
    rc = subprocess.call(
        dev.odoo_command(
            pg, DB, action, dev.ADDON, "--stop-after-init", "--no-http", "--log-level=warn"
        )
    )
    if rc:
        sys.exit(f"installing into {DB} failed")
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        [f"--addons-path={dev.addons_path()}", *pg.odoo_args(), "-d", DB, "--log-level=warn"]
    )
    registry = Registry(DB)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["vp.appointment"].search([("note", "=", "bench")]).event_id.unlink()
        cr.execute("DELETE FROM vp_appointment WHERE note = 'bench'")
        group = env.ref("vertrouwenspersoon.group_vp_counsellor")
        user = env["res.users"].search([("login", "=", "bench-counsellor")])
        if not user:
            user = env["res.users"].create(
                {
                    "name": "Bench Counsellor",
                    "login": "bench-counsellor",
                    "email": "bench-counsellor@example.com",
                    "groups_id": [(6, 0, [group.id, env.ref("base.group_user").id])],
                }
            )
        profile = env["vp.counsellor"].search([("user_id", "=", user.id)])
        if not profile:
            env["vp.counsellor"].create(
                {
                    "user_id": user.id,
                    "name": "Bench Counsellor",
                    "resource_calendar_id": env.company.resource_calendar_id.id,
                }
            )
        portal = env.ref("base.group_portal")
        for index in range(clients):
            login = f"bench-portal-{index}"
            if not env["res.users"].search([("login", "=", login)]):
                env["res.users"].with_context(no_reset_password=True).create(
                    {
                        "name": f"Bench Portal {index}",
                        "login": login,
                        "password": PASSWORD,
                        "email": f"{login}@example.com",
                        "groups_id": [(6, 0, [portal.id])],
                    }
                )
        env["ir.config_parameter"].set_param("vertrouwenspersoon.booking_lead_hours", "0")
        target = env.ref("vertrouwenspersoon.vp_counsellor_internal").id
    return registry, target


def bench_slots(registry):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        profiles = env["vp.counsellor"].search([], limit=3)
        profiles._free_slots()  # warm caches
        timings = []
        for _run in range(20):
            env.invalidate_all()
            started = time.perf_counter()
            slots = profiles._free_slots()
            timings.append((time.perf_counter() - started) * 1000)
        count = sum(len(s) for s in slots.values())
    return len(profiles), count, statistics.median(timings), max(timings)


def client(base, index, profile_id, per_client, deadline, timings, outcomes):
    import requests

    try:
        _client(requests, base, index, profile_id, per_client, deadline, timings, outcomes)
    except requests.RequestException as exc:
        outcomes.append(f"error: {exc.__class__.__name__}")


def _client(requests, base, index, profile_id, per_client, deadline, timings, outcomes):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30)
    csrf = CSRF_RE.search(page.text).group(1)
    session.post(
        f"{base}/web/login",
        data={"login": f"bench-portal-{index}", "password": PASSWORD, "csrf_token": csrf},
        timeout=30,
    )
    form_url = f"{base}/my/vertrouwenspersoon/book/{profile_id}"
    for attempt in range(per_client):
        if time.time() > deadline:
            break
        form = session.get(form_url, timeout=30)
        slots = OPTION_RE.findall(form.text)
        csrf = CSRF_RE.search(form.text)
        if not slots or not csrf:
            outcomes.append("no-form")
            continue
        started = time.perf_counter()
        response = session.post(
            form_url,
            data={
                "csrf_token": csrf.group(1),
                "channel": "phone",
                "start": slots[(index + attempt) % min(3, len(slots))],
                "note": "bench",
            },
            allow_redirects=False,
            timeout=30,
        )
        timings.append((time.perf_counter() - started) * 1000)
        outcomes.append(response.status_code)


SERVER_LINE_RE = re.compile(
    r'"POST /my/vertrouwenspersoon/book/\d+ HTTP/1.1" (\d+) - \d+ ([\d.]+) ([\d.]+)'
)


def server_times(log_path):
    """Time spent inside Odoo per booking POST (query time + other), from werkzeug's log."""
    times = []
    for line in Path(log_path).read_text().splitlines():
        match = SERVER_LINE_RE.search(line)
        if match:
            times.append((float(match.group(2)) + float(match.group(3))) * 1000)
    return times


def double_bookings(registry):
    with registry.cursor() as cr:
        cr.execute(
            """
            SELECT count(*) FROM vp_appointment a JOIN vp_appointment b
              ON a.counsellor_id = b.counsellor_id AND a.id < b.id
             WHERE a.state IN ('requested', 'confirmed') AND b.state IN ('requested', 'confirmed')
               AND a.start < b.stop AND b.start < a.stop
            """
        )
        overlaps = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM vp_appointment WHERE note = 'bench'")
        booked = cr.fetchone()[0]
    return overlaps, booked


def server_command(pg, port):
    """Built before Odoo is imported here: importing it changes the addons path."""
    command = dev.odoo_command(
        pg,
        DB,
        "--workers=2",
        "--max-cron-threads=0",
        f"--http-port={port}",
        "--http-interface=127.0.0.1",
        "--log-level=warn",
        "--log-handler=werkzeug:INFO",
        "--limit-time-real=120",
    )
    return command  # dev.odoo_command starts Odoo from a file: prefork can re-spawn


def load_test(command, port, profile_id, clients, per_client, max_seconds):
    base = f"http://127.0.0.1:{port}"
    log = open(dev.LOCAL / "bench-server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        import requests

        for _wait in range(180):
            if server.poll() is not None:
                sys.exit(f"the Odoo server stopped; see {log.name}")
            try:
                if requests.get(f"{base}/web/login", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(1)
        else:
            sys.exit(f"the Odoo server did not answer; see {log.name}")
        timings, outcomes = [], []
        deadline = time.time() + max_seconds
        threads = [
            threading.Thread(
                target=client,
                args=(base, i, profile_id, per_client, deadline, timings, outcomes),
            )
            for i in range(clients)
        ]
        started = time.time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max_seconds + 60)
        elapsed = time.time() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    return timings, outcomes, elapsed, server_times(log.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=5)
    parser.add_argument("--max-seconds", type=int, default=120)
    args = parser.parse_args()
    pg = dev.preflight()
    pg.start()
    try:
        port = dev.free_port()
        command = server_command(pg, port)
        registry, profile_id = prepare(pg, args.clients)
        n, count, median, worst = bench_slots(registry)
        print(
            f"slots: {n} counsellors, {count} free slots over the horizon: "
            f"median {median:.1f} ms, max {worst:.1f} ms (target < 100 ms)"
        )
        print(f"FIGURE slots.{n}_counsellors_6_weeks.median {median:.1f} ms target=<100")
        timings, outcomes, elapsed, inside = load_test(
            command, port, profile_id, args.clients, args.per_client, args.max_seconds
        )
        overlaps, booked = double_bookings(registry)
        booked_ok = outcomes.count(303)
        taken = outcomes.count(409)
        print(
            f"load: {args.clients} clients, {len(timings)} booking requests in {elapsed:.1f} s "
            f"(2 workers): {booked_ok} booked, {taken} 'slot just taken', "
            f"{len(outcomes) - booked_ok - taken} other"
        )
        if timings:
            print(
                f"booking request: median {statistics.median(timings):.0f} ms, "
                f"p95 {percentile(timings, 95):.0f} ms (target p95 < 300 ms)"
            )
            print(
                f"FIGURE booking.{args.clients}_clients.median {statistics.median(timings):.0f} ms"
            )
            print(
                f"FIGURE booking.{args.clients}_clients.p95 {percentile(timings, 95):.0f} ms "
                "target=<300"
            )
        if inside:
            print(
                f"  of which inside Odoo (excluding queueing for one of the 2 workers): "
                f"median {statistics.median(inside):.0f} ms, p95 {percentile(inside, 95):.0f} ms"
            )
        print(f"double bookings in the database: {overlaps} (appointments booked: {booked})")
        print(f"FIGURE booking.double_bookings {overlaps} count target===0")
        return 1 if overlaps else 0
    finally:
        if pg.started_here:
            pg.stop()


if __name__ == "__main__":
    sys.exit(main())
