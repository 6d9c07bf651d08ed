#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Developer entry point: run the product or its tests on a private PostgreSQL.

    python3 scripts/dev.py run      # make run
    python3 scripts/dev.py test     # make test
    python3 scripts/dev.py deps     # install the addon's Python dependencies
    python3 scripts/dev.py pg start|stop|status

Odoo itself is a prerequisite: this script only looks for an importable ``odoo``
(version 18.0) in the Python that runs it, and stops with a clear message if there
is none. Every failure it can foresee ends with one paragraph and exit code 2.
"""

import ast
import contextlib
import getpass
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = "vertrouwenspersoon"
LOCAL = Path(os.environ.get("VP_LOCAL_DIR", ROOT / ".local"))
DEMO_DB = os.environ.get("VP_DEMO_DB", "vp_demo")
PG_SUPERUSER = "odoo"  # Odoo refuses to run as "postgres"
PG_PRIVATE_PORT = 5432  # only used for the socket name: the cluster has no TCP

# The demo logins printed by `make run`; demo/res_users_demo.xml creates them.
DEMO_LOGINS = [
    ("Counsellor (internal)", "vp-intern", "vp-intern", "Marieke Jansen"),
    ("Counsellor (external)", "vp-extern", "vp-extern", "Ruud Bakker"),
    ("Employee (internal account)", "medewerker", "medewerker", "Sanne de Vries"),
    ("Employee (portal account)", "portal-medewerker", "portal-medewerker", "Kees Visser"),
    ("Director (annual reports)", "directeur", "directeur", "Jeroen Smit"),
    ("HR manager", "hr-manager", "hr-manager", "Fatima El Amrani"),
    ("Functional admin", "beheerder", "beheerder", "Priya Ramdin"),
    ("Settings administrator", "admin", "admin", "Mitchell Admin"),
]


class SetupError(Exception):
    """A foreseeable problem with the machine, explained in one paragraph."""


def fail(message):
    sys.stderr.write("\n" + message.strip() + "\n\n")
    sys.exit(2)


def info(message):
    print(f"[vp] {message}", flush=True)


# --------------------------------------------------------------------------- Odoo


def check_odoo():
    """Return the odoo package's version info, or raise a SetupError."""
    try:
        import odoo

        if getattr(odoo, "__file__", None) is None:
            raise SetupError(_namespace_message(list(getattr(odoo, "__path__", []))))
        from odoo import release
    except ImportError as exc:
        raise SetupError(
            f"Odoo 18.0 is not importable by {sys.executable} ({exc}). This project "
            "does not ship Odoo: install Odoo 18.0 into this Python (for example "
            "`pip install -e <your Odoo 18.0 checkout>` after installing its "
            "requirements.txt), or point PYTHONPATH at the folder that contains the "
            "`odoo` package, or set PYTHON=<an interpreter that imports odoo> for make."
        ) from exc
    if tuple(release.version_info[:2]) != (18, 0):
        raise SetupError(
            f"The importable Odoo is version {release.version}, found at "
            f"{Path(release.__file__).parent}; this addon needs Odoo 18.0. Point "
            "PYTHONPATH (or PYTHON for make) at an Odoo 18.0 installation."
        )
    return release.version_info


# The interpreter (and its options) that must import Odoo as Odoo will: the one running
# this script. A list so that tests can add an option.
ODOO_PYTHON = [sys.executable]

# Run in a fresh interpreter: the `odoo` this process may already have imported stays
# cached in sys.modules and would hide what a pip install has just changed on disk.
_ODOO_PROBE = (
    "import json, odoo; print(json.dumps([getattr(odoo, '__file__', None), "
    "list(getattr(odoo, '__path__', []))]))"
)


def _check_regular_package():
    """Odoo must be a regular package. An Odoo installed in editable mode the PEP 660 way
    (an import hook) becomes a namespace package as soon as an OCA addon wheel creates
    site-packages/odoo/addons: the plain folder is found before the hook runs, and
    `odoo.__file__` is None. Odoo then fails at start with a traceback."""
    proc = subprocess.run(
        [*ODOO_PYTHON, "-c", _ODOO_PROBE], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise SetupError(
            f"Odoo is no longer importable by {ODOO_PYTHON[0]} after installing the "
            f"Python dependencies: {(proc.stderr.strip().splitlines() or ['?'])[-1]}. "
            "Check what pip changed (`pip list`), or reinstall Odoo 18.0 into this Python."
        )
    odoo_file, locations = json.loads(proc.stdout.strip().splitlines()[-1])
    if odoo_file is None:
        raise SetupError(_namespace_message(locations))


def _namespace_message(locations):
    return (
        f"`odoo` imports as a namespace package in {ODOO_PYTHON[0]} (from "
        f"{', '.join(locations) or 'nowhere'}), so Odoo cannot start (`odoo.__file__` is "
        "None). This happens when Odoo was installed in editable mode the PEP 660 way "
        "(`pip install -e`) and an OCA addon wheel such as odoo-addon-report_xlsx was then "
        "installed into site-packages/odoo/addons: that plain folder now hides the "
        "editable Odoo. Reinstall Odoo with `pip install -e <your Odoo 18.0 checkout> "
        "--config-settings editable_mode=compat`, or run from the Odoo source folder "
        "(PYTHONPATH=<your Odoo 18.0 checkout>), then run this again."
    )


def addons_path():
    """This repository, Odoo's addons, pip-installed (OCA) addons and ODOO_EXTRA_ADDONS."""
    import odoo

    import odoo.addons

    odoo_root = Path(odoo.__file__).parent
    candidates = [
        ROOT,
        *filter(None, os.environ.get("ODOO_EXTRA_ADDONS", "").split(",")),
        odoo_root.parent / "addons",  # the layout of a source checkout
        *odoo.addons.__path__,  # pip-installed addons (site-packages/odoo/addons)
    ]
    paths = []
    for path in map(Path, candidates):
        # Odoo adds its base addons folder by itself.
        if path.is_dir() and not (path / "base").is_dir():
            paths.append(str(path.resolve()))
    return ",".join(dict.fromkeys(paths))


def manifest():
    return ast.literal_eval((ROOT / ADDON / "__manifest__.py").read_text())


def python_requirements():
    """The addon's Python requirements, derived from its manifest (declared once)."""
    data = manifest()
    reqs = list(data.get("external_dependencies", {}).get("python", []))
    core = _core_addon_names()
    for dep in data.get("depends", []):
        if dep not in core:
            reqs.append(f"odoo-addon-{dep}==18.0.*")
    return reqs


def _core_addon_names():
    import odoo

    odoo_root = Path(odoo.__file__).parent
    names = set()
    for folder in (odoo_root / "addons", odoo_root.parent / "addons"):
        if folder.is_dir():
            names.update(p.name for p in folder.iterdir() if (p / "__manifest__.py").exists())
    return names


def install_deps():
    reqs = python_requirements()
    missing = [r for r in reqs if not _requirement_met(r)]
    if not missing:
        info("Python dependencies already installed: " + ", ".join(reqs))
        return
    info("Installing Python dependencies: " + ", ".join(missing))
    rc = subprocess.call([sys.executable, "-m", "pip", "install", "--quiet", *missing])
    if rc:
        raise SetupError(
            "pip could not install the addon's Python dependencies "
            f"({', '.join(missing)}). Check your network access to PyPI, or install "
            "them yourself into the Python that runs Odoo."
        )


def _requirement_met(req):
    from importlib import metadata

    from packaging.requirements import Requirement

    requirement = Requirement(req)
    try:
        version = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return False
    return not requirement.specifier or requirement.specifier.contains(version, prereleases=True)


# --------------------------------------------------------------------- PostgreSQL


class Postgres:
    """A private cluster under .local/, or the server PGHOST/PGPORT point to."""

    def __init__(self):
        self.external = bool(os.environ.get("PGHOST") or os.environ.get("PGPORT"))
        self.started_here = False
        self.run_as = None
        if not self.external:
            self.bindir = self._find_bindir()
            self.base = self._cluster_base()
            self.data = self.base / "pgdata"
            self.sockets = self.base / "pgrun"
            self.logfile = self.base / "postgresql.log"

    # connection settings handed to Odoo
    def odoo_args(self):
        if self.external:
            args = []
            for env, opt in (
                ("PGHOST", "--db_host"),
                ("PGPORT", "--db_port"),
                ("PGUSER", "--db_user"),
                ("PGPASSWORD", "--db_password"),
            ):
                if os.environ.get(env):
                    args.append(f"{opt}={os.environ[env]}")
            return args
        return [
            f"--db_host={self.sockets}",
            f"--db_port={PG_PRIVATE_PORT}",
            f"--db_user={PG_SUPERUSER}",
        ]

    def _find_bindir(self):
        candidates = []
        if os.environ.get("PG_BINDIR"):
            candidates.append(Path(os.environ["PG_BINDIR"]))
        pg_config = shutil.which("pg_config")
        if pg_config:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                out = subprocess.check_output([pg_config, "--bindir"], text=True)
                candidates.append(Path(out.strip()))
        candidates += sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
            reverse=True,
        )
        if shutil.which("initdb"):
            candidates.append(Path(shutil.which("initdb")).parent)
        for candidate in candidates:
            if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
                return candidate
        raise SetupError(
            "No PostgreSQL server binaries (initdb, pg_ctl) were found. Install the "
            "PostgreSQL server (13 or newer; on Debian/Ubuntu: `apt-get install "
            "postgresql`), or set PG_BINDIR to the folder holding initdb, or point "
            "PGHOST/PGPORT (and PGUSER/PGPASSWORD) at a running server to use that."
        )

    def _cluster_base(self):
        base = LOCAL
        if os.geteuid() != 0:
            return base
        # initdb refuses to run as root: the cluster runs as an unprivileged user.
        for user in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                import pwd

                pwd.getpwnam(user)
                self.run_as = user
                break
        if not self.run_as:
            raise SetupError(
                "Running as root, but there is no unprivileged 'postgres' user to run "
                "the private PostgreSQL cluster. Create one (`useradd --system "
                "postgres`) or run as a normal user."
            )
        base.mkdir(parents=True, exist_ok=True)
        if subprocess.call(["runuser", "-u", self.run_as, "--", "test", "-x", str(base)]):
            # The project folder is not reachable for that user (e.g. under /root).
            import hashlib

            digest = hashlib.sha1(str(ROOT).encode()).hexdigest()[:10]
            base = Path("/var/tmp") / f"vertrouwenspersoon-pg-{digest}"
            info(f"project folder not reachable by user {self.run_as}; cluster in {base}")
        return base

    def _pg(self, tool, *args, check=True, quiet=False):
        cmd = [str(self.bindir / tool), *args]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        kwargs = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT} if quiet else {}
        rc = subprocess.call(cmd, **kwargs)
        if check and rc:
            raise SetupError(
                f"PostgreSQL's {tool} failed (exit {rc}). See {self.logfile} for the "
                f"server log; removing {self.data} gives a fresh cluster."
            )
        return rc

    def is_running(self):
        if self.external:
            return True
        if not (self.data / "PG_VERSION").exists():
            return False
        return self._pg("pg_ctl", "-D", str(self.data), "status", check=False, quiet=True) == 0

    def start(self):
        if self.external:
            info(f"using the PostgreSQL server at PGHOST={os.environ.get('PGHOST', '')}")
            return
        if self.is_running():
            info(f"private PostgreSQL already running ({self.data})")
            return
        self.base.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(parents=True, exist_ok=True)
        if self.run_as:
            subprocess.check_call(["chown", self.run_as, str(self.base), str(self.sockets)])
        if not (self.data / "PG_VERSION").exists():
            info(f"creating a private PostgreSQL cluster in {self.data}")
            self._pg(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                PG_SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                quiet=True,
            )
        options = (
            f"-k {self.sockets} -p {PG_PRIVATE_PORT} -c listen_addresses='' "
            "-c fsync=off -c max_connections=200"
        )
        self._pg(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-o",
            options,
            "-w",
            "start",
            quiet=True,
        )
        self.started_here = True
        info(f"private PostgreSQL started (socket in {self.sockets})")

    def stop(self):
        if self.external or not self.is_running():
            return
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", quiet=True)
        info("private PostgreSQL stopped")

    def psql_args(self):
        """Arguments for psql/dropdb/pg_dump towards this server."""
        if self.external:
            return []
        return ["-h", str(self.sockets), "-p", str(PG_PRIVATE_PORT), "-U", PG_SUPERUSER]

    def client(self, tool):
        """Path of a client tool (psql, dropdb, pg_dump) of the same server version."""
        if not self.external:
            return str(self.bindir / tool)
        found = shutil.which(tool)
        if not found:
            raise SetupError(f"{tool} is not on PATH; install the PostgreSQL client.")
        return found

    def database_exists(self, name):
        out = subprocess.run(
            [
                self.client("psql"),
                *self.psql_args(),
                "-d",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        return out.stdout.strip() == "1"

    def drop_database(self, name):
        subprocess.call(
            [self.client("dropdb"), *self.psql_args(), "--if-exists", "--force", name],
            stderr=subprocess.DEVNULL,
        )


# ------------------------------------------------------------------------ helpers


def check_port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise SetupError(
                f"Port {port} is already in use ({exc.strerror}). Stop whatever listens "
                f"there (`ss -ltnp | grep :{port}`), or choose another port: "
                f"`make run PORT=8070`."
            ) from exc


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_command(pg, database, *extra):
    return [
        sys.executable,
        str(ROOT / "scripts" / "odoo_launcher.py"),
        f"--addons-path={addons_path()}",
        f"--data-dir={LOCAL / 'odoo-data'}",
        *pg.odoo_args(),
        "-d",
        database,
        f"--db-filter=^{re.escape(database)}$",
        *extra,
    ]


def odoo_shell_command(pg, database, *extra):
    """``odoo shell`` on ``database``: the subcommand right after --addons-path."""
    command = odoo_command(pg, database, *extra)
    index = next(i for i, arg in enumerate(command) if arg.startswith("--addons-path="))
    return [*command[: index + 1], "shell", *command[index + 1 :]]


def install_addon(pg, database, *, demo=False, update=False):
    """Install (or with ``update`` upgrade) the addon in ``database``; returns the exit code."""
    return subprocess.call(
        odoo_command(
            pg,
            database,
            "-u" if update else "-i",
            ADDON,
            *([] if demo else ["--without-demo=all"]),
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        )
    )


def install_scratch(pg, database):
    """Fresh database with the addon and no demo data (for benchmarks); exits on failure."""
    pg.drop_database(database)
    info(f"installing the addon into {database} (no demo data)")
    rc = install_addon(pg, database)
    if rc:
        sys.exit(f"install failed ({rc})")


def install_or_update(pg, database, *, demo=False):
    """The addon in ``database``, kept between runs: installed once, then upgraded."""
    update = pg.database_exists(database)
    info(f"{'updating' if update else 'installing'} the addon in {database}")
    rc = install_addon(pg, database, demo=demo, update=update)
    if rc:
        sys.exit(f"installing into {database} failed ({rc})")


def preflight():
    try:
        check_odoo()
        install_deps()
        # installing addon wheels can turn an editable Odoo into a namespace package
        _check_regular_package()
        return Postgres()
    except SetupError as exc:
        fail(str(exc))


def preflight_started():
    """``preflight()``, and the private cluster started (stop it when ``started_here``)."""
    pg = preflight()
    try:
        pg.start()
    except SetupError as exc:
        fail(str(exc))
    return pg


# ----------------------------------------------------------------------- commands


def cmd_run(args):
    port = int(os.environ.get("PORT", "8069"))
    pg = preflight()
    try:
        check_port_free(port)
        pg.start()
    except SetupError as exc:
        fail(str(exc))

    try:
        action = "-u" if pg.database_exists(DEMO_DB) else "-i"
        info(
            f"{'updating' if action == '-u' else 'creating'} database {DEMO_DB} with demo data"
            + ("" if action == "-u" else " (a minute or two)")
        )
        rc = _call_with_progress(
            odoo_command(
                pg, DEMO_DB, action, ADDON, "--stop-after-init", "--no-http", "--log-level=warn"
            )
        )
        if rc:
            fail(f"Installing the addon into {DEMO_DB} failed (exit {rc}); see the log above.")
        url = f"http://localhost:{port}"
        print(_banner(url), flush=True)
        server = subprocess.Popen(
            odoo_command(
                pg,
                DEMO_DB,
                f"--http-port={port}",
                "--log-level=info",
                *(["--workers", os.environ["WORKERS"]] if os.environ.get("WORKERS") else []),
            ),
            # Odoo gets exactly one (graceful) stop signal: ours, not the terminal's too.
            start_new_session=True,
        )

        def stop_server(*_):
            server.send_signal(signal.SIGINT)

        # Explicit handlers: a shell may start us with SIGINT ignored (background jobs).
        signal.signal(signal.SIGINT, stop_server)
        signal.signal(signal.SIGTERM, stop_server)
        server.wait()
    finally:
        if not os.environ.get("VP_KEEP_PG"):
            pg.stop()
    return 0


def _call_with_progress(command, every=15):
    """Run ``command``, saying every ``every`` seconds that it is still at work."""
    started = time.time()
    with subprocess.Popen(command) as proc:
        while True:
            try:
                return proc.wait(timeout=every)
            except subprocess.TimeoutExpired:
                info(f"still installing... {time.time() - started:.0f} s")


# The demo vault passphrases (demo/vp_vault_demo.xml), printed with the logins.
DEMO_VAULT_PASSPHRASES = {
    "vp-intern": "Marieke demo kluis De Linde",
    "vp-extern": "Ruud demo kluis De Linde",
}


def _banner(url):
    width = max(len(r) for r, *_ in DEMO_LOGINS)
    lines = [
        "",
        "=" * 72,
        f" Vertrouwenspersoon demo: {url}/web/login  (portal: {url}/my/vertrouwenspersoon)",
        "-" * 72,
        f" {'role'.ljust(width)}  login / password",
    ]
    lines += [
        f" {role.ljust(width)}  {login} / {pw}  ({name})" for role, login, pw, name in DEMO_LOGINS
    ]
    lines += ["-" * 72, " vault passphrases (Vertrouwenspersoon > Mijn kluis):"]
    lines += [f"   {login}: {phrase}" for login, phrase in DEMO_VAULT_PASSPHRASES.items()]
    lines += ["=" * 72, " Ctrl-C stops Odoo and the private PostgreSQL.", ""]
    return "\n".join(lines)


RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
LOG_LEVEL_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")


BROWSERS = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")


def browser_test_tools():
    """The browser journeys (Odoo tours) need websocket-client and Chromium on PATH."""
    if not _requirement_met("websocket-client"):
        info("Installing websocket-client (Odoo's browser tests talk to Chromium through it)")
        subprocess.call([sys.executable, "-m", "pip", "install", "--quiet", "websocket-client"])
    if not any(shutil.which(name) for name in BROWSERS):
        info(
            "no Chromium on PATH: Odoo skips the browser journeys (Debian: apt-get install "
            "chromium; CI installs it and fails without it)"
        )


def cmd_test(args):
    """Fresh database, install the addon, run its tests, print `N passed, N failed`."""
    pg = preflight_started()
    browser_test_tools()
    database = f"vp_test_{os.getpid()}"
    tags = os.environ.get("TEST_TAGS", f"/{ADDON}")
    LOCAL.mkdir(parents=True, exist_ok=True)
    logfile = LOCAL / "test.log"
    started = time.time()
    # the companions first, without --test-enable: Odoo imports the tests of every module
    # it installs with it, and theirs may not import on this Odoo (auditlog's do not)
    info(f"installing {', '.join(test_companion_modules())} into fresh database {database}")
    rc = subprocess.call(
        odoo_command(
            pg,
            database,
            "-i",
            ",".join(test_companion_modules()),
            *(["--without-demo=all"] if os.environ.get("WITHOUT_DEMO") else []),
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        )
    )
    if rc:
        pg.drop_database(database)
        fail(f"installing {', '.join(test_companion_modules())} failed (exit {rc})")
    info(f"installing {ADDON} into {database}; tests {tags}; log {logfile}")
    cmd = odoo_command(
        pg,
        database,
        "-i",
        ADDON,
        "--test-enable",
        f"--test-tags={tags}",
        "--stop-after-init",
        f"--http-port={free_port()}",
        "--log-level=test",
        "--max-cron-threads=0",
        # faster iterations: WITHOUT_DEMO=1 make test (CI always loads demo data)
        *(["--without-demo=all"] if os.environ.get("WITHOUT_DEMO") else []),
    )
    errors = []
    result = None
    try:
        with (
            open(logfile, "w") as log,
            subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            ) as proc,
        ):
            for line in proc.stdout:
                log.write(line)
                if _interesting(line):
                    sys.stdout.write(line)
                if LOG_LEVEL_RE.match(line) and ".tests." not in line.split(" ", 5)[-1]:
                    # an error outside the tests' own reporting (install, data, crons)
                    errors.append(line.strip())
                match = RESULT_RE.search(line)
                if match and "when loading database" in line:
                    result = tuple(int(x) for x in match.groups())
            rc = proc.wait()
    finally:
        pg.drop_database(database)
        if pg.started_here:
            pg.stop()
    elapsed = time.time() - started
    if result is None:
        print(f"no test result reported (exit {rc}); see {logfile}")
        print("0 passed, 1 failed")
        return 1
    failed, errored, total = result
    passed = total - failed - errored
    stray = len(errors)
    for line in errors[:20]:
        print("error outside a test:", line)
    print(f"wall time {elapsed:.1f}s; log in {logfile}")
    print(f"odoo tests: {passed} passed, {failed + errored + stray} failed")
    py_passed, py_failed = run_root_pytest()
    print(f"root tests (pytest): {py_passed} passed, {py_failed} failed")
    up_passed, up_failed = run_upgrade_check()
    passed += py_passed + up_passed
    print(f"{passed} passed, {failed + errored + stray + py_failed + up_failed} failed")
    return 0 if (rc == 0 and not (failed or errored or stray or py_failed or up_failed)) else 1


PYTEST_COUNT_RE = re.compile(r"(\d+) (passed|failed|error)")


def run_root_pytest():
    """The pure-Python tests of the repository's tests/ folder: no Odoo, no database.

    pytest-odoo's plugin is switched off here: it wants a database these tests do not use.
    Returns (passed, failed); a run that reports nothing counts as one failure.
    """
    import importlib.util

    if importlib.util.find_spec("pytest") is None:
        print(
            "pytest is not installed, so the tests in tests/ did not run: "
            f"`{sys.executable} -m pip install -r requirements-dev.txt`."
        )
        return 0, 1
    info("running the pure-Python tests in tests/ (pytest, no database)")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:odoo", "-p", "no:cacheprovider", "tests"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = proc.stdout.strip().splitlines()
    last = lines[-1] if lines else ""
    counts = {kind: int(n) for n, kind in PYTEST_COUNT_RE.findall(last)}
    if proc.returncode not in (0, 1) or not counts:
        sys.stdout.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        return counts.get("passed", 0), counts.get("failed", 0) + counts.get("error", 0) or 1
    if proc.returncode:
        sys.stdout.write(proc.stdout[-3000:])
    return counts.get("passed", 0), counts.get("failed", 0) + counts.get("error", 0)


def run_upgrade_check():
    """scripts/upgrade_check.py: a database of the base layout upgraded keeps its data.

    Counted as one test. SKIP_UPGRADE_CHECK=1 skips it for fast local iterations (it
    installs the base with demo data once and upgrades it: about two minutes); in CI
    (CI set) it always runs. Returns (passed, failed).
    """
    if os.environ.get("SKIP_UPGRADE_CHECK"):
        if not os.environ.get("CI"):
            print("upgrade check: skipped (SKIP_UPGRADE_CHECK is set)")
            return 0, 0
        info("SKIP_UPGRADE_CHECK is ignored in CI: the upgrade check runs")
    info("upgrade check: the base layout installed with demo data, upgraded, compared")
    rc = subprocess.call([sys.executable, str(ROOT / "scripts" / "upgrade_check.py")])
    return (1, 0) if rc == 0 else (0, 1)


# Modules an organisation installs beside ours and that an administrator can turn against
# the cases (audit logs, privacy look-ups): the attack tests run with them installed.
TEST_COMPANION_MODULES = ("auditlog", "privacy_lookup", "base_automation")


def test_companion_modules():
    """The companion modules, or a SetupError naming the missing one."""
    import odoo.addons

    folders = [Path(p) for p in addons_path().split(",")] + [Path(p) for p in odoo.addons.__path__]
    for name in TEST_COMPANION_MODULES:
        if not any((folder / name / "__manifest__.py").exists() for folder in folders):
            fail(
                f"The tests need the Odoo module `{name}` on the addons path (the attack "
                "tests run with it installed). Install the development requirements: "
                f"`{sys.executable} -m pip install -r requirements-dev.txt`."
            )
    return TEST_COMPANION_MODULES


def _interesting(line):
    return (
        " ERROR " in line
        or " CRITICAL " in line
        or "odoo.tests.result" in line
        or "odoo.tests.stats" in line
        or line.startswith(("Traceback", "  File", "AssertionError", "odoo.exceptions"))
        or " FAIL:" in line
        or "Starting " in line
        and "tests" in line
        or "Modules loaded" in line
    )


def cmd_i18n(args):
    """Export the .pot from a scratch database and merge it into nl.po (keeps translations)."""
    import polib

    pg = preflight_started()
    database = f"vp_i18n_{os.getpid()}"
    i18n = ROOT / ADDON / "i18n"
    pot = i18n / f"{ADDON}.pot"
    try:
        # with demo data: its translatable terms (department names...) belong in nl.po too
        rc = install_addon(pg, database, demo=True)
        rc = rc or subprocess.call(
            odoo_command(
                pg,
                database,
                f"--i18n-export={pot}",
                f"--modules={ADDON}",
                "--no-http",
                "--log-level=warn",
            )
        )
    finally:
        pg.drop_database(database)
        if pg.started_here:
            pg.stop()
    if rc:
        fail(f"Exporting the translation template failed (exit {rc}).")
    po = polib.pofile(str(i18n / "nl.po"))
    po.merge(polib.pofile(str(pot)))  # occurrences come from the .pot: Odoo relies on them
    for entry in po.obsolete_entries():
        po.remove(entry)
    po.save()
    untranslated = [e.msgid for e in po if not e.msgstr and not e.obsolete]
    info(f"{pot.name} exported; nl.po has {len(untranslated)} untranslated entries")
    return 0


def cmd_pytest(args):
    """pytest-odoo against an installed database (default: the demo database of `make run`)."""
    pg = preflight_started()
    database = os.environ.get("DB", DEMO_DB)
    if not pg.database_exists(database):
        fail(f"Database {database} does not exist: run `make run` once, or set DB=<database>.")
    rcfile = LOCAL / "pytest-odoo.conf"
    options = {"addons_path": addons_path(), "data_dir": str(LOCAL / "odoo-data")}
    for opt in pg.odoo_args():
        key, value = opt[2:].split("=", 1)
        options[key] = value
    rcfile.write_text("[options]\n" + "".join(f"{k} = {v}\n" for k, v in options.items()))
    try:
        return subprocess.call(
            [
                sys.executable,
                "-m",
                "pytest",
                f"--odoo-config={rcfile}",
                f"--odoo-database={database}",
                *(args or [str(ROOT / ADDON / "tests")]),
            ]
        )
    finally:
        if pg.started_here:
            pg.stop()


def cmd_deps(args):
    try:
        check_odoo()
        install_deps()
        # installing addon wheels can turn an editable Odoo into a namespace package
        _check_regular_package()
    except SetupError as exc:
        fail(str(exc))
    return 0


def cmd_pg(args):
    pg = preflight()
    action = args[0] if args else "status"
    try:
        if action == "start":
            pg.start()
        elif action == "stop":
            pg.stop()
        elif action == "env":
            for opt in pg.odoo_args():
                print(opt)
        else:
            print("running" if pg.is_running() else "stopped")
    except SetupError as exc:
        fail(str(exc))
    return 0


def cmd_check(args):
    try:
        version = check_odoo()
        pg = Postgres()
    except SetupError as exc:
        fail(str(exc))
    info(
        f"Odoo {'.'.join(map(str, version[:2]))} importable; PostgreSQL "
        f"{'external' if pg.external else pg.bindir}; user {getpass.getuser()}"
    )
    return 0


COMMANDS = {
    "run": cmd_run,
    "test": cmd_test,
    "deps": cmd_deps,
    "i18n": cmd_i18n,
    "pytest": cmd_pytest,
    "pg": cmd_pg,
    "check": cmd_check,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        fail("usage: scripts/dev.py {" + "|".join(COMMANDS) + "} [args]")
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
