#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Load test (``make load``): 50 employees booking and 5 counsellors working on cases.

Starts Odoo with 2 workers on a free loopback port against the private PostgreSQL and a
seeded database, runs the virtual users for a bounded time, stops the server and prints
throughput, median and 95th percentile per request type, error counts, and the integrity
checks (no double booking, every booking confirmed to an employee exists).

    python3 bench/load.py [--seconds 120] [--employees 50] [--counsellors 5] [--workers 2]

Request types whose route or model is not installed are reported as n/a. Everything
stays on 127.0.0.1; each virtual user stops by itself at the deadline.
"""

import argparse
import random
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common

PORTAL = "/my/vertrouwenspersoon"
APP_ERRORS = ("UserError", "ValidationError", "AccessError", "MissingError", "RedirectWarning")
REQUEST_TYPES = [
    ("login", "employee/counsellor"),
    ("portal_home", "employee"),
    ("slots", "employee"),
    ("book", "employee"),
    ("cancel", "employee"),
    ("vault_unlock", "counsellor"),
    ("case_list", "counsellor"),
    ("case_open", "counsellor"),
    ("contact_save", "counsellor"),
]


class Stats:
    """Thread-safe samples per request type: latency (ms) and outcome."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)
        self.outcomes = defaultdict(Counter)
        self.examples = defaultdict(list)
        self.na = {}

    def record(self, kind, ms, outcome, detail=""):
        with self.lock:
            self.samples[kind].append(ms)
            self.outcomes[kind][outcome] += 1
            if outcome != "ok" and len(self.examples[kind]) < 3 and detail:
                self.examples[kind].append(f"{outcome}: {detail}"[:200])

    def not_available(self, kind, reason):
        with self.lock:
            self.na.setdefault(kind, reason)


def timed(stats, kind, func, ok=(200,), rejected=()):
    """Run one HTTP request; record latency and outcome; returns the response or None."""
    import requests

    started = time.perf_counter()
    try:
        resp = func()
    except requests.RequestException as exc:
        stats.record(kind, (time.perf_counter() - started) * 1000, "error", repr(exc))
        return None
    ms = (time.perf_counter() - started) * 1000
    if resp.status_code in ok:
        outcome = "ok"
    elif resp.status_code in rejected:
        outcome = "rejected"
    else:
        outcome = "error"
    stats.record(kind, ms, outcome, f"HTTP {resp.status_code} {resp.url}")
    return resp


def timed_rpc(stats, kind, session, base, model, method, args, kwargs):
    """A JSON-RPC call; application refusals (UserError...) count as rejected, not errors."""
    import requests

    started = time.perf_counter()
    try:
        status, result, error = common.call_kw(session, base, model, method, args, kwargs)
    except requests.RequestException as exc:
        stats.record(kind, (time.perf_counter() - started) * 1000, "error", repr(exc))
        return None, {"message": repr(exc)}
    ms = (time.perf_counter() - started) * 1000
    if status == 200 and not error:
        stats.record(kind, ms, "ok")
    elif status == 200 and any(
        e in str((error or {}).get("data", {}).get("name")) for e in APP_ERRORS
    ):
        stats.record(kind, ms, "rejected", (error.get("data") or {}).get("message", ""))
    else:
        detail = (error or {}).get("data", {}).get("name") or (error or {}).get("message")
        stats.record(kind, ms, "error", f"HTTP {status} {detail}")
    return result, error


def select_options(html, name):
    match = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.DOTALL)
    if not match:
        return []
    return re.findall(r'<option[^>]*value="([^"]*)"', match.group(1))


class Shared:
    """What the virtual users report back for the integrity checks."""

    def __init__(self):
        self.lock = threading.Lock()
        self.booked = {}  # appointment id -> (user id, slot)
        self.cancelled = set()
        self.contacts_saved = 0
        self.retried = 0
        self.decrypted = 0
        self.outbox_drained = 0.0  # seconds after the run; None: not drained


class VirtualUser(threading.Thread):
    def __init__(self, login, base, password, stats, shared, deadline, think, seed):
        super().__init__(daemon=True)
        self.base = base
        self.login_name = login
        self.password = password
        self.stats = stats
        self.shared = shared
        self.deadline = deadline
        self.think_time = think
        self.rnd = random.Random(seed)
        self.session = None

    def think(self):
        if self.think_time:
            time.sleep(min(self.think_time * self.rnd.uniform(0.5, 1.5), self.remaining()))

    def remaining(self):
        return max(self.deadline - time.time(), 0)

    def log_in(self):
        import requests

        self.session = common.new_session()
        started = time.perf_counter()
        try:
            ok = common.login(self.session, self.base, self.login_name, self.password)
        except requests.RequestException as exc:
            ok, detail = False, repr(exc)
        else:
            detail = "login refused"
        ms = (time.perf_counter() - started) * 1000
        self.stats.record("login", ms, "ok" if ok else "error", "" if ok else detail)
        return ok

    def prepare(self):
        """Log in (and unlock) before the clock starts: people are already logged in."""
        self.ready = self.log_in()
        return self.ready

    def run(self):
        if not getattr(self, "ready", False):
            return
        # spread the first steps over the first seconds, as people arrive
        time.sleep(self.rnd.uniform(0, min(2.0, self.remaining())))
        while time.time() < self.deadline:
            try:
                self.step()
            except Exception as exc:  # noqa: BLE001  a bug in the script must not look like a server error
                self.stats.record("script", 0, "error", repr(exc))
            self.think()


class Employee(VirtualUser):
    book_prob = 0.3
    cancel_prob = 0.3

    def __init__(self, *args, uid=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.uid = uid
        self.mine = []

    def step(self):
        s, base = self.session, self.base
        if "portal_home" in self.stats.na:
            timed(self.stats, "my_home", lambda: s.get(f"{base}/my", timeout=60))
            return
        home = timed(
            self.stats, "portal_home", lambda: s.get(f"{base}{PORTAL}", timeout=60), ok=(200,)
        )
        if home is None:
            return
        if home.status_code == 404:
            for kind in ("portal_home", "slots", "book", "cancel"):
                self.stats.not_available(kind, f"{PORTAL} not installed")
            return
        profiles = sorted(set(re.findall(rf'{PORTAL}/book/(\d+)"', home.text)))
        if not profiles:
            self.stats.not_available("slots", "no counsellor profile on the portal page")
            return
        profile = self.rnd.choice(profiles)
        url = f"{base}{PORTAL}/book/{profile}"
        page = timed(self.stats, "slots", lambda: s.get(url, timeout=60))
        if page is None or page.status_code != 200:
            return
        token = common.csrf_from(page.text)
        slots = select_options(page.text, "start")
        channels = select_options(page.text, "channel")
        if slots and channels and self.rnd.random() < self.book_prob:
            # people prefer the first free times: that is where they collide
            start = self.rnd.choice(slots[:8])
            data = {
                "csrf_token": token,
                "start": start,
                "channel": self.rnd.choice(channels),
                "note": "Bench: I would like to talk.",
                "callback_phone": "",
            }
            resp = timed(
                self.stats,
                "book",
                lambda: s.post(url, data=data, timeout=60, allow_redirects=False),
                ok=(302, 303),
                rejected=(409,),
            )
            if resp is not None and resp.status_code in (302, 303):
                match = re.search(rf"{PORTAL}/(\d+)", resp.headers.get("Location", ""))
                if match:
                    aid = int(match.group(1))
                    self.mine.append(aid)
                    with self.shared.lock:
                        self.shared.booked[aid] = (self.uid, start)
        if self.mine and self.rnd.random() < self.cancel_prob:
            aid = self.mine.pop(self.rnd.randrange(len(self.mine)))
            resp = timed(
                self.stats,
                "cancel",
                lambda: s.post(
                    f"{base}{PORTAL}/{aid}/cancel",
                    data={"csrf_token": token},
                    timeout=60,
                    allow_redirects=False,
                ),
                ok=(302, 303),
                rejected=(409,),
            )
            if resp is not None and resp.status_code in (302, 303):
                with self.shared.lock:
                    self.shared.cancelled.add(aid)


CASE_LIST_SPEC = {
    "name": {},
    "state": {},
    "date_intake": {},
    "counsellor_id": {"fields": {"display_name": {}}},
    "category_ids": {"fields": {"display_name": {}}},
}
CASE_FORM_SPEC = {
    **CASE_LIST_SPEC,
    "description": {},
    "notes": {},
    "melder_name": {},
    "contact_ids": {"fields": {"date": {}, "duration": {}, "channel": {}, "notes": {}}},
}


class Counsellor(VirtualUser):
    def log_in(self):
        import population

        if not super().log_in():
            return False
        started = time.perf_counter()
        unlocked = common.unlock_vault(self.session, self.base, population.VAULT_PASSPHRASE)
        if unlocked is None:
            self.stats.not_available("vault_unlock", "vault not installed")
        else:
            ms = (time.perf_counter() - started) * 1000
            self.stats.record("vault_unlock", ms, "ok" if unlocked else "error", "unlock refused")
        return True

    def step(self):
        s, base = self.session, self.base
        if "case_list" in self.stats.na:
            timed_rpc(
                self.stats,
                "category_list",
                s,
                base,
                "vp.category",
                "web_search_read",
                [],
                {"domain": [], "specification": {"name": {}, "code": {}}, "limit": 80},
            )
            return
        result, error = timed_rpc(
            self.stats,
            "case_list",
            s,
            base,
            "vp.case",
            "web_search_read",
            [],
            {"domain": [], "specification": CASE_LIST_SPEC, "limit": 80, "order": ""},
        )
        records = (result or {}).get("records") or []
        if not records:
            return
        case_id = self.rnd.choice(records)["id"]
        opened, _error = timed_rpc(
            self.stats,
            "case_open",
            s,
            base,
            "vp.case",
            "web_read",
            [[case_id]],
            {"specification": CASE_FORM_SPEC},
        )
        import population

        if opened and population.marker_of(self.login_name) in repr(opened):
            with self.shared.lock:
                self.shared.decrypted += 1  # the content really was decrypted and shown
        if self.rnd.random() < 0.5:
            values = {
                "contact_ids": [
                    [
                        0,
                        0,
                        {
                            "duration": 0.5,
                            "channel": "phone",
                            "notes": "Bench: follow-up call, agreed next steps.",
                        },
                    ]
                ]
            }
            _result, error = timed_rpc(
                self.stats,
                "contact_save",
                s,
                base,
                "vp.case",
                "web_save",
                [[case_id], values],
                {"specification": {"name": {}}},
            )
            if not error:
                with self.shared.lock:
                    self.shared.contacts_saved += 1


def warm_up(base, pop, installed, workers):
    """Untimed: let every worker compile the pages' templates and load its registry."""

    common.info("warming up the workers")
    employee = common.new_session()
    counsellor = common.new_session()
    common.login(employee, base, pop["employees"][0][0], pop["password"])
    if pop["counsellors"]:
        common.login(counsellor, base, pop["counsellors"][0][0], pop["password"])
    for _i in range(workers * 3):
        employee.get(f"{base}/my", timeout=120)
        if installed["vp.appointment"]:
            home = employee.get(f"{base}{PORTAL}", timeout=120)
            for profile in sorted(set(re.findall(rf'{PORTAL}/book/(\d+)"', home.text)))[:1]:
                employee.get(f"{base}{PORTAL}/book/{profile}", timeout=120)
        if pop["counsellors"]:
            model = "vp.case" if installed["vp.case"] else "vp.category"
            common.call_kw(counsellor, base, model, "search_count", [[]])


def outbox_drained(pg, database, timeout=120):
    """Seconds until the cron worker has sent every booking notice (None: not in time)."""
    started = time.time()
    conn = common.connect(pg, database)
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            if not common.has_table(cr, "vp_appointment_notice"):
                return 0.0
            while time.time() - started < timeout:
                cr.execute("SELECT count(*) FROM vp_appointment_notice")
                if not cr.fetchone()[0]:
                    return time.time() - started
                time.sleep(0.5)
    finally:
        conn.close()
    return None


def integrity(pg, database, shared):
    """Integrity figures after the run: invariants plus bookings confirmed to employees."""
    conn = common.connect(pg, database)
    try:
        with conn.cursor() as cr:
            checks = common.invariants(cr)
            lost = wrong = None
            if shared.booked and common.has_table(cr, "vp_appointment"):
                cr.execute(
                    "SELECT id, user_id, state FROM vp_appointment WHERE id = ANY(%s)",
                    [list(shared.booked)],
                )
                found = {row[0]: row for row in cr.fetchall()}
                lost = sum(1 for aid in shared.booked if aid not in found)
                wrong = 0
                for aid, (uid, _start) in shared.booked.items():
                    row = found.get(aid)
                    if not row:
                        continue
                    expected_cancelled = aid in shared.cancelled
                    if row[1] != uid or (row[2] == "cancelled") != expected_cancelled:
                        wrong += 1
    finally:
        conn.close()
    return checks, lost, wrong


def report(stats, elapsed, checks, lost, wrong, shared, server_errors, args):
    rows = []
    total = 0
    errors_total = 0
    kinds = [k for k, _who in REQUEST_TYPES] + sorted(
        k for k in stats.samples if k not in dict(REQUEST_TYPES)
    )
    for kind in kinds:
        samples = stats.samples.get(kind, [])
        timed_phase = kind not in ("login", "vault_unlock")
        if kind in stats.na and not samples:
            rows.append([kind, "n/a", "", "", "", "", "", "", stats.na[kind]])
            continue
        if not samples:
            continue
        out = stats.outcomes[kind]
        summary = common.summarize(samples)
        total += len(samples) if timed_phase else 0
        errors_total += out["error"]
        rows.append(
            [
                kind,
                str(len(samples)),
                str(out["ok"]),
                str(out["rejected"]),
                str(out["error"]),
                f"{len(samples) / elapsed:.2f}" if timed_phase else "(before)",
                summary["median"],
                summary["p95"],
                "; ".join(stats.examples.get(kind, [])),
            ]
        )
    print()
    print(
        f"Load: {args.employees} employees + {args.counsellors} counsellors, "
        f"{args.workers} workers, {elapsed:.0f}s, think time {args.think}s"
    )
    common.print_table(
        rows,
        ["request", "count", "ok", "rejected", "errors", "req/s", "median ms", "p95 ms", "notes"],
    )
    print()
    integrity_rows = [
        [name, str(count), "pass" if count == 0 else "FAIL"] for name, count in checks
    ]
    if lost is not None:
        integrity_rows.append(
            [
                "booking confirmed to the employee but missing",
                str(lost),
                "pass" if lost == 0 else "FAIL",
            ]
        )
        integrity_rows.append(
            ["booking with wrong owner or state", str(wrong), "pass" if wrong == 0 else "FAIL"]
        )
    drained = shared.outbox_drained
    integrity_rows.append(
        [
            "booking e-mails and calendar blocks still unsent 120 s after the run",
            "0" if drained is not None else "some",
            "pass" if drained is not None else "FAIL",
        ]
    )
    integrity_rows.append(
        ["server log ERROR lines", str(len(server_errors)), "pass" if not server_errors else "FAIL"]
    )
    integrity_rows.append(
        ["concurrency errors retried or turned into a 409 (informative)", str(shared.retried), "-"]
    )
    common.print_table(integrity_rows, ["integrity check", "violations", "result"])
    for line in server_errors[:5]:
        print("server:", line)
    print()
    common.figure("load.throughput", total / elapsed if elapsed else 0, "req/s")
    common.figure("load.errors", errors_total, "count", target="==0")
    for kind, _who in REQUEST_TYPES:
        samples = stats.samples.get(kind)
        if samples:
            summary = common.summarize(samples)
            target = "<=300" if kind == "book" else None
            common.figure(f"load.{kind}.median", summary["median"], "ms")
            common.figure(f"load.{kind}.p95", summary["p95"], "ms", target=target)
        elif kind in stats.na:
            common.figure(f"load.{kind}.p95", None, "ms", note=stats.na[kind])
    doubles = dict(checks).get("double booking (overlapping active appointments)")
    common.figure("load.double_bookings", doubles, "count", target="==0")
    if lost is not None:
        common.figure("load.bookings_confirmed", len(shared.booked), "count")
        common.figure("load.bookings_lost", lost, "count", target="==0")
    common.figure("load.contacts_saved", shared.contacts_saved, "count")
    common.figure("load.cases_opened_with_content", shared.decrypted, "count")
    common.figure("load.retried_serialization", shared.retried, "count")
    common.figure("load.outbox_drained_after", drained, "s")
    failed = (
        errors_total
        or any(c for _n, c in checks)
        or lost
        or wrong
        or server_errors
        or drained is None
    )
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--employees", type=int, default=50)
    parser.add_argument("--counsellors", type=int, default=5)
    parser.add_argument("--cases", type=int, default=20, help="cases per counsellor")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time (s)")
    parser.add_argument("--socket-timeout", type=float, help="Odoo's (default 2 s)")
    parser.add_argument("--db", default="vp_load")
    parser.add_argument("--keep-db", action="store_true", help="reuse an existing database")
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    args = parser.parse_args(argv)

    import population

    pg = common.start_pg()
    database = common.create_db(pg, args.db, keep=args.keep_db)
    with common.odoo_env(pg, database) as env:
        pop = population.seed(
            env,
            employees=args.employees,
            counsellors=args.counsellors,
            cases_per_counsellor=args.cases,
        )
        common.only_outbox_cron(env)
        installed = {model: model in env for model in ("vp.case", "vp.appointment")}
    stats = Stats()
    if not installed["vp.appointment"]:
        for kind in ("portal_home", "slots", "book", "cancel"):
            stats.not_available(kind, "booking not installed")
    if not installed["vp.case"]:
        for kind in ("case_list", "case_open", "contact_save"):
            stats.not_available(kind, "vp.case not installed")
    common.info(
        f"seeded {len(pop['employees'])} employees, {len(pop['counsellors'])} counsellors, "
        f"{len(pop['profiles'])} booking profiles, "
        f"{sum(len(v) for v in pop['cases'].values())} cases"
    )
    shared = Shared()
    # Odoo's prefork workers wait ODOO_HTTP_SOCKET_TIMEOUT (2 s) for a request on an
    # accepted connection; --socket-timeout changes it (a longer wait measured worse).
    environ = {"ODOO_HTTP_SOCKET_TIMEOUT": str(args.socket_timeout)} if args.socket_timeout else {}
    # one cron worker, as in production: it sends the booking e-mails and calendar blocks
    server = common.OdooServer(
        pg, database, workers=args.workers, cron_threads=1, name="load", environ=environ
    )
    common.info(f"starting Odoo ({args.workers} workers) at {server.url}")
    with server:
        warm_up(server.url, pop, installed, args.workers)
        deadline = time.time() + 10 * 24 * 3600  # set for real once everybody is logged in
        common_args = (server.url, pop["password"], stats, shared, deadline, args.think)
        users = [
            Employee(login, *common_args, seed=i, uid=uid)
            for i, (login, uid, _kind) in enumerate(pop["employees"])
        ] + [
            Counsellor(login, *common_args, seed=1000 + i)
            for i, (login, _uid) in enumerate(pop["counsellors"])
        ]
        common.info(f"logging in {len(users)} virtual users (not timed as load)")
        with ThreadPoolExecutor(max_workers=args.workers * 2) as pool:
            ready = sum(pool.map(lambda user: user.prepare(), users))
        common.info(f"{ready} logged in; running them for {args.seconds:.0f}s")
        started = time.time()
        deadline = started + args.seconds
        for user in users:
            user.deadline = deadline
            user.start()
        for user in users:
            user.join(timeout=max(deadline - time.time(), 0) + 120)
        elapsed = time.time() - started
        shared.outbox_drained = outbox_drained(pg, database)
        server_errors = server.log_errors()
        shared.retried = server.retried()
    checks, lost, wrong = integrity(pg, database, shared)
    rc = report(stats, elapsed, checks, lost, wrong, shared, server_errors, args)
    if args.drop:
        common.drop_db(pg, database)
    return rc


if __name__ == "__main__":
    sys.exit(main())
