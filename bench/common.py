# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared helpers of the benchmark, load, fault and fuzz scripts.

A bench script typically does::

    import common  # bench/ is on sys.path when the script runs from there

    pg = common.start_pg()
    db = common.create_db(pg, "vp_bench_cases")          # addon installed, no demo data
    with common.odoo_env(pg, db) as env:                 # in-process Odoo, superuser
        ids = common.bulk_insert(env.cr, "vp_category", ["name", "code"], rows)
        stats = common.timeit(lambda: env["vp.case"].search([]), n=20)
        common.figure("case_search", stats["median"], "ms", target="<=200")
    common.drop_db(pg, db)

Figures are printed as one machine-readable line each (see bench/README.md)::

    FIGURE <name> <value|n/a> <unit> [target=<op><number>] [note=<free text>]

``run_all.py`` collects those lines from every ``bench/bench_*.py`` and prints one table.
Nothing here touches anything but the private PostgreSQL cluster of this checkout
(``scripts/dev.py``) and loopback ports.
"""

import argparse
import atexit
import contextlib
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import dev

ADDON = dev.ADDON
LOCAL = dev.LOCAL
BENCH_LOGS = LOCAL / "bench"
FIGURE_RE = re.compile(
    r"^FIGURE\s+(?P<name>\S+)\s+(?P<value>\S+)\s+(?P<unit>\S+)"
    r"(?:\s+target=(?P<target>\S+))?(?:\s+note=(?P<note>.*))?\s*$"
)
TARGET_RE = re.compile(r"^(?P<op><=|>=|==|<|>)?(?P<number>-?[0-9.]+)$")
# Computed before Odoo is configured in this process: afterwards odoo.addons.__path__ also
# holds the data dir's addons folder, which a fresh Odoo process refuses when it is empty.
_ADDONS_PATH = dev.addons_path()


def odoo_command(pg, database, *extra):
    """scripts/dev.py's odoo_command(), safe to call after Odoo was loaded in-process."""
    return [
        f"--addons-path={_ADDONS_PATH}" if arg.startswith("--addons-path=") else arg
        for arg in dev.odoo_command(pg, database, *extra)
    ]


def info(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ PostgreSQL


def start_pg():
    """The private cluster of this checkout (or PGHOST/PGPORT), started if needed.

    A cluster started here is stopped when the script ends (unless VP_KEEP_PG is set).
    """
    try:
        dev.check_odoo()
        pg = dev.Postgres()
        pg.start()
    except dev.SetupError as exc:
        dev.fail(str(exc))
    if pg.started_here and not os.environ.get("VP_KEEP_PG"):
        atexit.register(stop_pg, pg)  # leave the machine as we found it
    return pg


def stop_pg(pg):
    """Stop the private cluster if this process started it (as scripts/dev.py does)."""
    if pg.started_here:
        pg.stop()


def psql(pg, database, sql, *, check=True):
    """Run one SQL statement with psql; return the rows as lists of strings."""
    out = subprocess.run(
        [pg.client("psql"), *pg.psql_args(), "-d", database, "-XqtA", "-F", "\t", "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    if check and out.returncode:
        raise RuntimeError(f"psql failed: {out.stderr.strip()}")
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def connect(pg, database):
    """A plain psycopg2 connection (autocommit) to ``database`` on the bench cluster."""
    import psycopg2

    params = {"dbname": database}
    if pg.external:
        for env, key in (("PGHOST", "host"), ("PGPORT", "port"), ("PGUSER", "user")):
            if os.environ.get(env):
                params[key] = os.environ[env]
        if os.environ.get("PGPASSWORD"):
            params["password"] = os.environ["PGPASSWORD"]
    else:
        params.update(host=str(pg.sockets), port=dev.PG_PRIVATE_PORT, user=dev.PG_SUPERUSER)
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


def filestore(database):
    return LOCAL / "odoo-data" / "filestore" / database


def drop_db(pg, database):
    pg.drop_database(database)
    shutil.rmtree(filestore(database), ignore_errors=True)


def create_db(pg, database, *, demo=False, modules=ADDON, keep=False, log_level="warn"):
    """A throw-away database with ``modules`` installed (no demo data unless ``demo``).

    With ``keep=True`` an existing database of that name is reused as it is.
    """
    if keep and pg.database_exists(database):
        info(f"reusing database {database}")
        return database
    drop_db(pg, database)
    info(f"creating database {database} with {modules} ({'with' if demo else 'without'} demo)")
    started = time.time()
    cmd = odoo_command(
        pg,
        database,
        "-i",
        modules,
        "--stop-after-init",
        "--no-http",
        f"--log-level={log_level}",
        "--max-cron-threads=0",
        *([] if demo else ["--without-demo=all"]),
    )
    rc = subprocess.call(cmd)
    if rc:
        raise RuntimeError(f"installing {modules} into {database} failed (exit {rc})")
    info(f"database {database} ready in {time.time() - started:.0f}s")
    return database


def clone_db(pg, source, target):
    """Copy a database (and its filestore) quickly, e.g. a seeded template per fault run."""
    drop_db(pg, target)
    conn = connect(pg, "postgres")
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [source],
            )
            cur.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    finally:
        conn.close()
    if filestore(source).is_dir():
        shutil.copytree(filestore(source), filestore(target))
    return target


def module_installed(pg, database, module=ADDON):
    rows = psql(
        pg,
        database,
        f"SELECT state FROM ir_module_module WHERE name = '{module}'",
        check=False,
    )
    return bool(rows) and rows[0][0] == "installed"


def parse_args(doc, argv=None, *, keep=False, **defaults):
    """The options of a bench script: ``--<name> N`` (an integer) for every default,
    and ``--keep`` (keep the database) when asked."""
    parser = argparse.ArgumentParser(description=doc)
    for name, default in defaults.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    if keep:
        parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args(argv)


@contextlib.contextmanager
def scratch_registry(database, *, keep=False, extra=()):
    """The registry of a throw-away database with the addon (no demo data) on the
    private cluster, Odoo configured in this process; dropped afterwards unless ``keep``."""
    dev.check_odoo()
    pg = dev.Postgres()
    pg.start()
    try:
        dev.install_scratch(pg, database)
        from odoo.modules.registry import Registry
        from odoo.tools import config

        config.parse_config(
            [f"--addons-path={_ADDONS_PATH}", *pg.odoo_args(), "-d", database]
            + ["--log-level=warn", *extra]
        )
        yield Registry(database)
    finally:
        if not keep:
            pg.drop_database(database)
        if pg.started_here:
            pg.stop()


# ------------------------------------------------------------ Odoo in-process

_CONFIGURED = {}


def configure_odoo(pg, database):
    """Parse Odoo's configuration once for this process, pointing at the bench cluster."""
    from odoo.tools import config

    if _CONFIGURED.get("db") == database:
        return
    command = odoo_command(pg, database, "--log-level=warn", "--max-cron-threads=0")
    # the options only: the command starts with the interpreter and Odoo's launcher
    args = command[next(i for i, arg in enumerate(command) if arg.startswith("--")) :]
    config.parse_config(args)
    _CONFIGURED["db"] = database


@contextlib.contextmanager
def odoo_env(pg, database, *, uid=None, context=None, commit=True):
    """An Odoo environment on ``database`` (superuser by default); commits on success."""
    import odoo
    from odoo.modules.registry import Registry

    configure_odoo(pg, database)
    registry = Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, uid or odoo.SUPERUSER_ID, dict(context or {}))
        try:
            yield env
        except BaseException:
            cr.rollback()
            raise
        if commit:
            env.flush_all()
            cr.commit()
        else:
            cr.rollback()


def only_outbox_cron(env):
    """Deactivate every cron but the booking outbox in a bench database.

    The server's cron worker then sends booking e-mails and calendar blocks, as in
    production, but never runs retention or other jobs in the middle of a measurement
    (the fault scenarios run the retention cron themselves).
    """
    outbox = env.ref("vertrouwenspersoon.ir_cron_vp_appointment_notices", raise_if_not_found=False)
    env["ir.cron"].with_context(active_test=False).search(
        [("id", "!=", outbox.id if outbox else 0)]
    ).write({"active": False})


def has_model(env, model):
    return model in env


def has_table(cr, table):
    cr.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
    return cr.fetchone()[0]


def columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table])
    return {row[0] for row in cr.fetchall()}


def bulk_insert(cr, table, cols, rows, *, page_size=1000, returning="id"):
    """INSERT many rows at once (psycopg2 execute_values); returns the new ids.

    Odoo's magic columns create_uid/create_date/write_uid/write_date are filled in when the
    table has them and ``cols`` does not name them. Invalidate the ORM cache afterwards
    (``env.invalidate_all()``) if the same environment reads those records.
    """
    from psycopg2.extras import execute_values

    rows = [list(row) for row in rows]
    if not rows:
        return []
    cols = list(cols)
    existing = columns(cr, table)
    for magic, value in (
        ("create_uid", 1),
        ("write_uid", 1),
        ("create_date", "now"),
        ("write_date", "now"),
    ):
        if magic in existing and magic not in cols:
            cols.append(magic)
            for row in rows:
                row.append(value if value != "now" else time.strftime("%Y-%m-%d %H:%M:%S"))
    sql = f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES %s'
    raw = getattr(cr, "_obj", cr)
    if returning:
        sql += f" RETURNING {returning}"
        result = execute_values(raw, sql, rows, page_size=page_size, fetch=True)
        return [r[0] for r in result]
    execute_values(raw, sql, rows, page_size=page_size)
    return []


# ---------------------------------------------------------------------- timing


def percentile(values, pct):
    """Nearest-rank percentile of a list of numbers (pct in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(math.ceil(pct / 100 * len(ordered)) - 1, 0)
    return ordered[rank]


def median_seconds(fn, runs, env):
    """Median wall time in seconds of ``fn()`` over ``runs`` runs, each on a cold cache."""
    times = []
    for _ in range(runs):
        env.invalidate_all()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def summarize(samples_ms):
    return {
        "n": len(samples_ms),
        "median": statistics.median(samples_ms) if samples_ms else float("nan"),
        "p95": percentile(samples_ms, 95),
        "min": min(samples_ms) if samples_ms else float("nan"),
        "max": max(samples_ms) if samples_ms else float("nan"),
    }


def timeit(func, n=10, *, warmup=1, setup=None, env=None):
    """Call ``func`` ``n`` times (after ``warmup`` untimed calls); median/p95/min/max in ms.

    ``setup`` runs untimed before each call. With ``env``, the ORM cache is invalidated
    before each call so every run measures the database round trips too.
    """
    samples = []
    for i in range(warmup + n):
        if setup:
            setup()
        if env is not None:
            env.invalidate_all()
        started = time.perf_counter()
        func()
        elapsed = (time.perf_counter() - started) * 1000
        if i >= warmup:
            samples.append(elapsed)
    return summarize(samples)


# --------------------------------------------------------------------- output


def _fmt(value):
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        if abs(value) < 10:  # ratios and seconds: 1.14, not 1.1
            return f"{value:.2f}"
        return f"{value:.1f}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def figure(name, value, unit, target=None, note=None):
    """Print one FIGURE line (the format run_all.py collects); ``value=None`` means n/a.

    ``target`` is ``"<=200"``, ``">=50"``, ``"==0"`` (or ``None``: informative only).
    """
    name = re.sub(r"\s+", "_", name.strip())
    shown = "n/a" if value is None else _fmt(value)
    line = f"FIGURE {name} {shown} {unit}"
    if target:
        line += f" target={target}"
    if note:
        line += f" note={note}"
    print(line, flush=True)


def figures_from_stats(prefix, stats, unit="ms", target_p95=None, target_median=None):
    figure(f"{prefix}.median", stats["median"], unit, target=target_median)
    figure(f"{prefix}.p95", stats["p95"], unit, target=target_p95)


def check_target(value, target):
    """True/False if ``value`` meets ``target`` (see figure()); None if not applicable."""
    if not target or value is None:
        return None
    match = TARGET_RE.match(target)
    if not match:
        return None
    number = float(match["number"])
    op = match["op"] or "<="
    return {
        "<=": value <= number,
        ">=": value >= number,
        "==": value == number,
        "<": value < number,
        ">": value > number,
    }[op]


def parse_figure(line):
    """A FIGURE line as a dict (value is a float or None for n/a), or None."""
    match = FIGURE_RE.match(line.strip())
    if not match:
        return None
    raw = match["value"]
    try:
        value = float(raw)
    except ValueError:
        value = None
    return {
        "name": match["name"],
        "value": value,
        "unit": match["unit"],
        "target": match["target"],
        "note": (match["note"] or "").strip(),
    }


def print_table(rows, headers, *, file=None):
    """A plain-text table (also valid Markdown) of ``rows`` (lists of values)."""
    file = file or sys.stdout
    cells = [[_fmt(c) if not isinstance(c, str) else c for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(values):
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=False)) + " |"

    print(line(headers), file=file)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|", file=file)
    for row in cells:
        print(line(row), file=file)
    file.flush()


# ------------------------------------------------------------------ HTTP server


def free_port():
    return dev.free_port()


# PostgreSQL errors Odoo retries by itself (odoo.service.model.PG_CONCURRENCY_ERRORS_TO_RETRY)
RETRIED_ERRORS = ("could not serialize access", "deadlock detected")
# ... and the unique index that makes a double booking impossible: the addon turns the
# IntegrityError into a "this time was just taken" page (HTTP 409)
HANDLED_ERRORS = (*RETRIED_ERRORS, 'unique constraint "vp_appointment_active_slot_uniq"')


class OdooServer:
    """Odoo serving ``database`` on a free loopback port, in its own process group.

    ``stop()`` ends it gently, ``kill()`` with SIGKILL (master and workers at once);
    ``start()`` again brings it back on the same port. Logs go to .local/bench/.
    """

    def __init__(
        self,
        pg,
        database,
        *,
        workers=2,
        cron_threads=0,
        port=None,
        name="server",
        extra=(),
        environ=None,
    ):
        self.pg = pg
        self.database = database
        self.workers = workers
        self.cron_threads = cron_threads
        self.port = port or free_port()
        self.extra = list(extra)
        self.environ = {**os.environ, **(environ or {})}
        self.proc = None
        BENCH_LOGS.mkdir(parents=True, exist_ok=True)
        self.logfile = BENCH_LOGS / f"{name}.log"
        for old in (self.logfile, self.logfile.with_suffix(".out")):
            old.unlink(missing_ok=True)  # log_errors() reports this run only

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def command(self):
        return odoo_command(
            self.pg,
            self.database,
            f"--http-port={self.port}",
            "--http-interface=127.0.0.1",
            f"--workers={self.workers}",
            f"--max-cron-threads={self.cron_threads}",
            "--log-level=warn",
            f"--logfile={self.logfile}",
            # generous limits: the load test measures, the OS must not kill workers
            "--limit-time-real=300",
            "--limit-time-cpu=300",
            "--limit-memory-soft=4294967296",
            "--limit-memory-hard=6442450944",
            "--db_maxconn=64",
            *self.extra,
        )

    def start(self, timeout=120):
        with open(self.logfile.with_suffix(".out"), "a") as out:
            self.proc = subprocess.Popen(
                self.command(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=self.environ,
            )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout=120):
        import requests

        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc and self.proc.poll() is not None:
                raise RuntimeError(
                    f"Odoo exited with {self.proc.returncode}; see {self.logfile} and "
                    f"{self.logfile.with_suffix('.out')}"
                )
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/web/login", timeout=10).status_code == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"Odoo did not answer within {timeout}s; see {self.logfile}")

    def _signal_group(self, sig):
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def kill(self):
        """SIGKILL the master and its workers (the process group this object started)."""
        if not self.proc:
            return
        self._signal_group(signal.SIGKILL)
        self.proc.wait(timeout=30)
        # workers of the killed group may linger a moment
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._wait_port_free()

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self._wait_port_free()

    def _wait_port_free(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with socket.socket() as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    sock.bind(("127.0.0.1", self.port))
                    return
                except OSError:
                    time.sleep(0.2)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def log_errors(self):
        """ERROR/CRITICAL lines of the server log so far.

        Not counted: the "bad query" lines of serialization failures and deadlocks, which
        Odoo's HTTP layer retries transparently (see ``retried()``).
        """
        if not self.logfile.exists():
            return []
        lines = self.logfile.read_text(errors="replace").splitlines()
        errors = []
        for i, line in enumerate(lines):
            if not dev.LOG_LEVEL_RE.match(line):
                continue
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if "bad query" in line and any(m in following for m in HANDLED_ERRORS):
                continue
            errors.append(line.rstrip())
        return errors

    def retried(self, errors=HANDLED_ERRORS):
        """How many queries failed with a concurrency error that Odoo retries, or that
        the addon turns into a message for the user."""
        if not self.logfile.exists():
            return 0
        text = self.logfile.read_text(errors="replace")
        return sum(text.count(f"ERROR:  {m}") + text.count(f"ERROR: {m}") for m in errors)


# --------------------------------------------------------------- HTTP clients


def new_session():
    """A requests.Session that, like a reverse proxy in front of Odoo, opens a connection
    per request: Odoo's prefork workers would otherwise sit idle (2 s) on kept-alive
    sockets and then drop them."""
    import requests

    session = requests.Session()
    session.headers["Connection"] = "close"
    return session


def csrf_from(html):
    match = re.search(r'name="csrf_token"\s+value="([^"]+)"', html) or re.search(
        r'csrf_token:\s*"([^"]+)"', html
    )
    return match.group(1) if match else None


def login(session, base_url, login_name, password, timeout=30):
    """Log a requests.Session in through /web/login; True on success."""
    page = session.get(f"{base_url}/web/login", timeout=timeout)
    token = csrf_from(page.text)
    resp = session.post(
        f"{base_url}/web/login",
        data={"login": login_name, "password": password, "csrf_token": token, "redirect": ""},
        timeout=timeout,
        allow_redirects=False,
    )
    return resp.status_code in (302, 303) and "session_id" in session.cookies


def call_kw(session, base_url, model, method, args=None, kwargs=None, timeout=60):
    """JSON-RPC /web/dataset/call_kw; returns (http status, result or None, error or None)."""
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {"model": model, "method": method, "args": args or [], "kwargs": kwargs or {}},
    }
    resp = session.post(
        f"{base_url}/web/dataset/call_kw/{model}/{method}", json=payload, timeout=timeout
    )
    try:
        body = resp.json()
    except ValueError:
        return resp.status_code, None, {"message": resp.text[:200]}
    return resp.status_code, body.get("result"), body.get("error")


def search_cases(session, base_url, specification, limit):
    """web_search_read of vp.case over JSON-RPC: (http status, result, error)."""
    return call_kw(
        session,
        base_url,
        "vp.case",
        "web_search_read",
        [],
        {"domain": [], "specification": specification, "limit": limit},
    )


def unlock_vault(session, base_url, passphrase, timeout=60):
    """Unlock the counsellor's vault through its page; None when no vault is installed."""
    page = session.get(f"{base_url}/vertrouwenspersoon/vault", timeout=timeout)
    if page.status_code == 404:
        return None
    resp = session.post(
        f"{base_url}/vertrouwenspersoon/vault/unlock",
        data={"csrf_token": csrf_from(page.text), "passphrase": passphrase, "redirect": "/odoo"},
        timeout=timeout,
        allow_redirects=False,
    )
    if resp.status_code >= 400:
        return False
    # success is a redirect, or a page listing security events since the last unlock
    status = session.post(
        f"{base_url}/vertrouwenspersoon/vault/status",
        json={"jsonrpc": "2.0", "method": "call", "params": {}},
        timeout=timeout,
    )
    if status.status_code == 200:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            return bool(status.json()["result"]["unlocked"])
    return resp.status_code in (302, 303)


# ------------------------------------------------------------------ invariants

CONTENT_COLUMNS = ("melder_name", "melder_contact", "others_involved", "description", "notes")


def content_columns(cr, table, names):
    """The columns holding content ``names``: ``<name>`` in clear, or ``<name>_enc`` once
    the vault encrypts them."""
    have = columns(cr, table) if has_table(cr, table) else set()
    return [c for name in names for c in (name, f"{name}_enc") if c in have]


def invariants(cr):
    """[(check, count of violations)] for the data-integrity rules the addon promises.

    Checks skip silently when the table they need is not installed.
    """
    checks = []

    def count(name, sql, *tables):
        if all(has_table(cr, t) for t in tables):
            cr.execute(sql)
            checks.append((name, cr.fetchone()[0]))

    count(
        "appointment with neither calendar block nor notice in the outbox",
        """SELECT count(*) FROM vp_appointment a
            WHERE a.state IN ('requested', 'confirmed')
              AND NOT EXISTS (SELECT 1 FROM calendar_event e WHERE e.id = a.event_id)
              AND NOT EXISTS (SELECT 1 FROM vp_appointment_notice n
                               WHERE n.appointment_id = a.id)""",
        "vp_appointment",
        "vp_appointment_notice",
    )
    count(
        "double booking (overlapping active appointments)",
        """SELECT count(*) FROM vp_appointment a JOIN vp_appointment b
               ON a.counsellor_id = b.counsellor_id AND a.id < b.id
              AND a.start < b.stop AND b.start < a.stop
            WHERE a.state IN ('requested', 'confirmed')
              AND b.state IN ('requested', 'confirmed')""",
        "vp_appointment",
    )
    count(
        "case without reference",
        "SELECT count(*) FROM vp_case WHERE name IS NULL OR name IN ('', '/')",
        "vp_case",
    )
    count(
        "contact moment without case",
        """SELECT count(*) FROM vp_case_contact c
            WHERE NOT EXISTS (SELECT 1 FROM vp_case k WHERE k.id = c.case_id)""",
        "vp_case_contact",
    )
    if has_table(cr, "vp_case"):
        content = content_columns(cr, "vp_case", CONTENT_COLUMNS)
        notes = content_columns(cr, "vp_case_contact", ["notes"])
        if content and "destroyed_date" in columns(cr, "vp_case"):
            left = " OR ".join(f"({c} IS NOT NULL AND {c}::text <> '')" for c in content)
            count(
                "destroyed case with content left",
                f"SELECT count(*) FROM vp_case WHERE destroyed_date IS NOT NULL AND ({left})",
                "vp_case",
            )
        if notes and "destroyed_date" in columns(cr, "vp_case"):
            count(
                "destroyed case with contact notes left",
                f"""SELECT count(*) FROM vp_case_contact c JOIN vp_case k ON k.id = c.case_id
                     WHERE k.destroyed_date IS NOT NULL AND c.{notes[0]} IS NOT NULL
                       AND c.{notes[0]}::text <> ''""",
                "vp_case_contact",
            )
            count(
                "destroyed case with wrapped keys left",
                """SELECT count(*) FROM vp_case_key x JOIN vp_case k ON k.id = x.case_id
                    WHERE k.destroyed_date IS NOT NULL""",
                "vp_case_key",
            )
        encrypted = [c for c in content if c.endswith("_enc")]
        if encrypted:
            sealed = " OR ".join(f"{c} LIKE 'vp1:%%'" for c in encrypted)
            count(
                "encrypted case content without the counsellor's key",
                f"""SELECT count(*) FROM vp_case k WHERE ({sealed})
                      AND NOT EXISTS (SELECT 1 FROM vp_case_key x
                                       WHERE x.case_id = k.id AND x.user_id = k.counsellor_id)""",
                "vp_case_key",
            )
            count(
                "destroyed case with documents left",
                """SELECT count(*) FROM vp_case_document d JOIN vp_case k ON k.id = d.case_id
                    WHERE k.destroyed_date IS NOT NULL""",
                "vp_case_document",
            )
    return checks
