#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fuzzing of the addon's HTTP routes and of its models' RPC methods (``make fuzz``).

Uses hypothesis to generate random and malformed input against a running server on
loopback, as an anonymous visitor, a portal employee and an internal employee:

* every route the addon declares (found by introspecting its controllers), with random
  ids, tokens, path segments, overlong strings, missing or forged CSRF tokens;
* every field of the booking forms with control characters (NUL, ESC, DEL...), one
  field at a time in an otherwise valid booking: refused with a message, nothing stored;
* the public methods of every ``vp.*`` model through ``/web/dataset/call_kw``, with
  random ids, domains, values and extra arguments.

Checks: never a server error (HTTP 5xx, or an unexpected exception raised inside the
addon's own code), never a leak (no response contains the marker planted in case
content and appointment notes; no confidential record comes back), nothing half-written
(no write succeeds on a confidential model; invariants hold; case count unchanged).

    python3 bench/fuzz_routes.py [--examples 200] [--seed 1] [--keep-db]
"""

import argparse
import inspect
import re
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common

APP_ERRORS = (
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.AccessDenied",
    "odoo.exceptions.RedirectWarning",
    "werkzeug.exceptions.NotFound",
    "werkzeug.exceptions.Forbidden",
    "werkzeug.exceptions.BadRequest",
)
# Models whose data an employee must never read or change through RPC.
CONFIDENTIAL = (
    "vp.case",
    "vp.case.contact",
    "vp.case.document",
    "vp.security.log",
    "vp.appointment",
    "vp.time.entry",
    "vp.budget",
    "vp.expense",
    "vp.counsellor.contract",
    "vp.vault",
)
READ_METHODS = (
    "read",
    "search",
    "search_read",
    "search_fetch",
    "web_search_read",
    "web_read",
    "read_group",
    "web_read_group",
    "name_search",
    "export_data",
    "search_count",
)
WRITE_METHODS = ("write", "create", "unlink", "copy", "web_save", "toggle_active", "action_archive")
CORE_METHODS = READ_METHODS + WRITE_METHODS + ("fields_get", "default_get", "name_create")
SKIP_ROUTES = ("logout",)
CONTROL_CHARS = "".join(map(chr, [*range(9), 11, 12, *range(14, 32), 127]))
# every field of the booking forms, each poisoned in turn by run_control_sweep
BOOKING_FORMS = {
    "anonymous": (
        "/vertrouwenspersoon/afspraak/book/{profile}",
        {
            "contact_name": "Fuzz",
            "contact_email": "fuzz@example.com",
            "contact_phone": "0612345678",
        },
    ),
    "portal": ("/my/vertrouwenspersoon/book/{profile}", {}),
}


# ------------------------------------------------------------------ discovery


def addon_routes():
    """[(route, methods, auth, type)] declared by the addon's controllers."""
    from odoo import http

    found = {}

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    for cls in walk(http.Controller):
        if not cls.__module__.startswith(f"odoo.addons.{common.ADDON}."):
            continue
        for name, func in vars(cls).items():
            routing = getattr(func, "original_routing", None)
            if not routing or not routing.get("routes") or name in SKIP_ROUTES:
                continue
            for route in routing["routes"]:
                found[route] = (
                    tuple(routing.get("methods") or ("GET", "POST")),
                    routing.get("auth", "user"),
                    routing.get("type", "http"),
                )
    return [(route, *values) for route, values in sorted(found.items())]


def core_routes_on_addon_data(env):
    """Odoo's generic routes that can serve the addon's data: HTML reports and binary
    fields (the leak paths the design names besides RPC)."""
    routes = []
    reports = env["ir.actions.report"].sudo().search([("model", "=like", "vp.%")])
    for report in reports:
        kind = {"qweb-pdf": "html", "qweb-html": "html", "xlsx": "xlsx"}.get(report.report_type)
        if kind:  # (the PDF itself is compressed: its HTML source shows a leak)
            routes.append(
                (f"/report/{kind}/{report.report_name}/<int:docids>", ("GET",), "user", "http")
            )
    for model in sorted(m for m in env if m.startswith("vp.")):
        for name, field in env[model]._fields.items():
            if field.type == "binary" and field.store:
                routes.append((f"/web/content/{model}/<int:id>/{name}", ("GET",), "public", "http"))
    return routes


def addon_methods(env):
    """{model: [public method names]} for the addon's vp.* models."""
    result = {}
    for model in sorted(m for m in env if m.startswith("vp.")):
        cls = type(env[model])
        own = set()
        for klass in cls.__mro__:
            if klass.__module__.startswith(f"odoo.addons.{common.ADDON}."):
                own.update(
                    name
                    for name, value in vars(klass).items()
                    if not name.startswith("_") and inspect.isfunction(value)
                )
        result[model] = sorted(own | set(CORE_METHODS))
    return result


def addon_own_methods(env):
    own = {}
    for model in (m for m in env if m.startswith("vp.")):
        names = set()
        for klass in type(env[model]).__mro__:
            if klass.__module__.startswith(f"odoo.addons.{common.ADDON}."):
                names.update(n for n, v in vars(klass).items() if inspect.isfunction(v))
        own[model] = names
    return own


# ------------------------------------------------------------------ strategies


def strategies(ids, fields_by_model):
    from hypothesis import strategies as st

    nasty = st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "1e308",
            "NaN",
            "null",
            "undefined",
            "' OR 1=1 --",
            "'); DROP TABLE vp_case; --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%00",
            "\x00",
            "\ud7ff\ue000",
            "2026-02-30 25:61:00",
            "1970-01-01 00:00:00",
            "9999-12-31 23:59:59",
            "x" * 10000,
            "é" * 3000,
        ]
    )
    # control characters (NUL, ESC, DEL...) inside ordinary text, in any field
    control = st.builds(
        lambda head, ctrl, tail: head + ctrl + tail,
        st.text(max_size=20),
        st.text(alphabet=CONTROL_CHARS, min_size=1, max_size=3),
        st.text(max_size=20),
    )
    text = st.one_of(nasty, control, st.text(max_size=60), st.text(min_size=200, max_size=3000))
    some_id = st.one_of(
        st.sampled_from(ids or [1]), st.integers(-2, 3), st.integers(2**31 - 2, 2**31 + 2)
    )
    scalar = st.one_of(st.none(), st.booleans(), some_id, text, st.floats(allow_nan=True))
    value = st.recursive(
        scalar,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(st.text(max_size=10), children, max_size=3),
        ),
        max_leaves=6,
    )
    all_fields = sorted({f for fs in fields_by_model.values() for f in fs}) or ["name"]
    field = st.one_of(st.sampled_from(all_fields), st.text(max_size=20))
    domain = st.one_of(
        st.just([]),
        st.lists(
            st.tuples(
                field,
                st.sampled_from(["=", "!=", "ilike", "in", "child_of", ">", "=?", "bad"]),
                value,
            ).map(list),
            max_size=3,
        ),
        value,
    )
    values = st.dictionaries(field, value, max_size=4)
    return {
        "text": text,
        "id": some_id,
        "value": value,
        "domain": domain,
        "values": values,
        "field": field,
        "st": st,
    }


# ------------------------------------------------------------------ the fuzzer


class Findings:
    def __init__(self):
        self.problems = []
        self.counts = Counter()

    def problem(self, kind, detail):
        if len([p for p in self.problems if p[0] == kind]) < 10:
            self.problems.append((kind, detail[:300]))
        self.counts[kind] += 1


def fill_route(route, draw, S):
    """Replace werkzeug converters by generated values (quoted)."""

    def repl(match):
        converter = match.group(1) or "string"
        if converter.startswith("int"):
            return str(draw(S["id"]))
        if converter.startswith("model"):
            return str(draw(S["id"]))
        # no "/" in a segment: the URL must still match the addon's route (a URL that
        # matches no route is Odoo's fallback, not the addon's code)
        segment = str(draw(S["text"]))[:300].replace("/", "") or "x"
        return quote(segment, safe="")

    return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?[a-z_]+>", repl, route)


def _bounded(examples, seed):
    """@given(data) with a bounded, repeatable number of examples and no shrinking."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    def decorate(func):
        return settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=seed is None,
        )(given(data=st.data())(func))

    return decorate


def run_route_fuzz(base, sessions, routes, examples, seed, findings, S):
    from hypothesis import strategies as st

    form_keys = [
        "csrf_token",
        "start",
        "channel",
        "note",
        "callback_phone",
        "contact_name",
        "contact_email",
        "contact_phone",
        "website",
        "passphrase",
        "confirm",
        "redirect",
        "done",
        "token",
        "old",
        "recovery_code",
    ]

    @_bounded(examples, seed)
    def fuzz(data):
        route, methods, _auth, _type = data.draw(st.sampled_from(routes))
        who = data.draw(st.sampled_from(sorted(sessions)))
        session, csrf, marker, _strict = sessions[who]
        path = fill_route(route, data.draw, S)
        method = data.draw(st.sampled_from([m for m in methods if m in ("GET", "POST")] or ["GET"]))
        form = data.draw(
            st.dictionaries(st.sampled_from(form_keys) | S["field"], S["text"], max_size=6)
        )
        csrf_mode = data.draw(st.sampled_from(["valid", "missing", "forged"]))
        if csrf_mode == "valid" and csrf:
            form["csrf_token"] = csrf
        elif csrf_mode == "missing":
            form.pop("csrf_token", None)
        url = f"{base}{path}"
        if method == "GET":  # URLs longer than ~8 KB are refused by any proxy anyway
            form = {key: value[:1000] for key, value in form.items()}
        try:
            if method == "GET":
                resp = session.get(url, params=form, timeout=60, allow_redirects=False)
            else:
                resp = session.post(url, data=form, timeout=60, allow_redirects=False)
        except Exception as exc:  # noqa: BLE001  the connection itself failed: that is a server error
            findings.problem("route: no answer", f"{who} {method} {path}: {exc!r}")
            return
        findings.counts[f"route HTTP {resp.status_code}"] += 1
        if resp.status_code >= 500:
            findings.problem(
                "route: server error", f"{who} {method} {path[:120]} -> {resp.status_code}"
            )
        if marker in resp.text:
            findings.problem("route: LEAK of case content", f"{who} {method} {path[:120]}")
        if "Traceback (most recent call last)" in resp.text:
            findings.problem("route: traceback shown", f"{who} {method} {path[:120]}")

    _run(fuzz, seed)


def run_control_sweep(base, sessions, profile_id, findings):
    """Every field of every booking form with control characters, one at a time, in an
    otherwise valid booking: each must be refused with a message (400), none stored."""
    from load import select_options

    for who, (route, extra) in BOOKING_FORMS.items():
        if who not in sessions:
            continue
        session = sessions[who][0]
        url = base + route.format(profile=profile_id)
        page = session.get(url, timeout=60)
        slots, channels = select_options(page.text, "start"), select_options(page.text, "channel")
        if page.status_code != 200 or not slots:
            findings.problem("control: form not available", f"{who} {url}")
            continue
        valid = {
            "start": slots[-1],
            "channel": channels[0],
            "callback_phone": "0612345678",
            "note": "fuzz",
            "website": "",
            **extra,
        }
        for field, value in valid.items():
            for char in ("\x00", "\x1b", "\x7f", "\x0b"):
                data = {**valid, field: f"{value}{char}x"}
                data["csrf_token"] = common.csrf_from(page.text)
                resp = session.post(url, data=data, timeout=60, allow_redirects=False)
                findings.counts[f"control HTTP {resp.status_code}"] += 1
                if resp.status_code >= 500:
                    findings.problem("control: server error", f"{who} {field} {char!r}")
                elif resp.status_code != 400 or "control characters" not in resp.text:
                    findings.problem(
                        "control: not refused with a message",
                        f"{who} {field} {char!r} -> {resp.status_code}",
                    )


def _run(fuzz, seed):
    from hypothesis import seed as hypothesis_seed

    if seed is not None:
        fuzz = hypothesis_seed(seed)(fuzz)
    fuzz()


def run_rpc_fuzz(base, sessions, methods, own, examples, seed, findings, S):
    import requests
    from hypothesis import strategies as st

    pairs = [(model, method) for model, names in methods.items() for method in names]

    @_bounded(examples, seed)
    def fuzz(data):
        model, method = data.draw(st.sampled_from(pairs))
        who = data.draw(st.sampled_from(sorted(k for k in sessions if k != "anonymous")))
        session, _csrf, marker, strict = sessions[who]
        ids = data.draw(st.lists(S["id"], max_size=3))
        shape = data.draw(st.sampled_from(["ids", "ids+value", "domain", "values", "raw"]))
        kwargs = {}
        if shape == "ids":
            args = [ids]
        elif shape == "ids+value":
            args = [ids, data.draw(S["value"])]
        elif shape == "domain":
            args = [data.draw(S["domain"])]
            if method in ("web_search_read", "search_read"):
                kwargs = (
                    {"specification": {"display_name": {}}} if method == "web_search_read" else {}
                )
        elif shape == "values":
            args = [ids, data.draw(S["values"])] if method != "create" else [data.draw(S["values"])]
        else:
            args = data.draw(st.lists(S["value"], max_size=3))
            kwargs = data.draw(
                st.dictionaries(
                    st.sampled_from(["context", "limit", "fields", "domain", "order"]),
                    S["value"],
                    max_size=2,
                )
            )
        try:
            status, result, error = common.call_kw(session, base, model, method, args, kwargs)
        except (requests.RequestException, ValueError) as exc:
            findings.problem("rpc: no answer", f"{who} {model}.{method}: {exc!r}")
            return
        text = repr(result) + repr(error)
        label = f"{who} {model}.{method}({shape})"
        if status >= 500 or status != 200:
            findings.problem("rpc: server error", f"{label} -> HTTP {status}")
            return
        if marker in text:
            findings.problem("rpc: LEAK of case content", label)
        if error:
            name = (error.get("data") or {}).get("name", "")
            findings.counts[f"rpc error {name.rsplit('.', 1)[-1]}"] += 1
            if name not in APP_ERRORS:
                debug = (error.get("data") or {}).get("debug", "")
                frames = re.findall(r'File "([^"]+)"', debug)
                inner = frames[-1] if frames else ""
                in_addon = any(f"/{common.ADDON}/" in frame for frame in frames)
                # psycopg2 refusing to adapt a Python value (a dict as `limit`) happens
                # before any SQL is sent: Odoo's ORM taking garbage arguments, like a
                # TypeError. A database error (what injection would cause) stays a failure.
                unadaptable = "psycopg2" in name and "can't adapt type" in debug
                if f"/{common.ADDON}/" in inner or (
                    "psycopg2" in name and (in_addon or not unadaptable)
                ):
                    findings.problem(
                        "rpc: unexpected error in addon code", f"{label}: {name} at {inner}"
                    )
            return
        findings.counts["rpc ok"] += 1
        if strict and model in CONFIDENTIAL:
            acted_on_records = bool(ids) and shape in ("ids", "ids+value", "values")
            if (method == "create" and result) or (
                acted_on_records
                and (method in WRITE_METHODS or method.startswith("action_"))
                and method in (*WRITE_METHODS, *own.get(model, ()))
            ):
                findings.problem(
                    "rpc: write allowed on confidential model", f"{label} -> {str(result)[:80]}"
                )
            elif method in READ_METHODS and _non_empty(result):
                findings.problem(
                    "rpc: confidential data returned", f"{label} -> {str(result)[:80]}"
                )

    _run(fuzz, seed)


def _non_empty(result):
    if isinstance(result, dict):
        return bool(result.get("records") or result.get("groups") or result.get("datas"))
    return bool(result)


# ------------------------------------------------------------------ setup


def prepare(pg, args):
    import population

    database = common.create_db(pg, args.db, keep=args.keep_db)
    with common.odoo_env(pg, database) as env:
        pop = population.seed(env, employees=3, counsellors=2, cases_per_counsellor=3)
        routes = addon_routes() + core_routes_on_addon_data(env)
        methods = addon_methods(env)
        own = addon_own_methods(env)
        ids = []
        for model in (
            "vp.case",
            "vp.case.contact",
            "vp.appointment",
            "vp.counsellor",
            "vp.category",
        ):
            if model in env:
                ids += env[model].sudo().with_context(active_test=False).search([], limit=5).ids
        fields_by_model = {m: list(env[m]._fields)[:40] for m in methods}
        cases = None
        if common.has_table(env.cr, "vp_case"):
            env.cr.execute("SELECT count(*) FROM vp_case")
            cases = env.cr.fetchone()[0]
    return database, pop, routes, methods, own, sorted(set(ids)), fields_by_model, cases


def plant_booking(server, pop, marker):
    """Book one appointment (with the marker in its note) as an employee who is not among
    the fuzzing sessions (the last portal employee), with the first counsellor."""

    if not pop["profiles"]:
        return None
    booker = [e for e in pop["employees"] if e[2] == "portal"][-1]
    session = common.new_session()
    common.login(session, server.url, booker[0], pop["password"])
    page = session.get(f"{server.url}/my/vertrouwenspersoon/book/{pop['profiles'][0]}", timeout=60)
    from load import select_options

    slots, channels = select_options(page.text, "start"), select_options(page.text, "channel")
    if not slots:
        return None
    resp = session.post(
        f"{server.url}/my/vertrouwenspersoon/book/{pop['profiles'][0]}",
        data={
            "csrf_token": common.csrf_from(page.text),
            "start": slots[-1],
            "channel": channels[0],
            "note": f"{marker} appointment note",
        },
        timeout=60,
        allow_redirects=False,
    )
    return resp.headers.get("Location")


def open_sessions(server, pop, owner):
    """{who: (session, csrf token, forbidden marker, strict)}: an anonymous visitor, a
    portal and an internal employee (must see no case content at all, and no confidential
    record: strict) and another counsellor (must see nothing of ``owner``'s cases)."""
    import population

    sessions = {}
    anonymous = common.new_session()
    page = anonymous.get(f"{server.url}/web/login", timeout=60)
    sessions["anonymous"] = (anonymous, common.csrf_from(page.text), population.MARKER, True)
    users = [(login, kind) for login, _uid, kind in pop["employees"]]
    others = [login for login, _uid in pop["counsellors"] if login != owner]
    users += [(others[0], "counsellor")] if others else []
    for login, kind in users:
        if kind in sessions:
            continue
        session = common.new_session()
        common.login(session, server.url, login, pop["password"])
        forbidden = population.MARKER
        if kind == "counsellor":
            common.unlock_vault(session, server.url, population.VAULT_PASSPHRASE)
            forbidden = population.marker_of(owner)
        page = session.get(f"{server.url}/my", timeout=60)
        sessions[kind] = (session, common.csrf_from(page.text), forbidden, kind != "counsellor")
    return sessions


def detector_works(server, pop, owner):
    """The leak detector can fire: the owner of the cases does read the marker through
    the same RPC channel (None when cases are not installed)."""
    import population

    if not pop["cases"]:
        return None
    session = common.new_session()
    common.login(session, server.url, owner, pop["password"])
    common.unlock_vault(session, server.url, population.VAULT_PASSPHRASE)
    _status, result, error = common.search_cases(session, server.url, {"description": {}}, 5)
    return population.marker_of(owner) in repr(result) and not error


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="examples per fuzzer")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: fixed)")
    parser.add_argument("--db", default="vp_fuzz")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)

    import population

    pg = common.start_pg()
    database, pop, routes, methods, own, ids, fields_by_model, cases_before = prepare(pg, args)
    common.info(
        f"{len(routes)} addon routes, {sum(map(len, methods.values()))} RPC methods "
        f"on {len(methods)} models"
    )
    findings = Findings()
    S = strategies(ids, fields_by_model)
    server = common.OdooServer(pg, database, workers=2, name="fuzz")
    started = time.time()
    with server:
        owner = pop["counsellors"][0][0]  # the planted booking and these cases are theirs
        planted = plant_booking(server, pop, population.marker_of(owner))
        common.info(f"planted appointment: {planted}")
        sessions = open_sessions(server, pop, owner)
        detector = detector_works(server, pop, owner)
        if routes:
            run_route_fuzz(server.url, sessions, routes, args.examples, args.seed, findings, S)
        if pop["profiles"]:
            run_control_sweep(server.url, sessions, pop["profiles"][0], findings)
        run_rpc_fuzz(server.url, sessions, methods, own, args.examples, args.seed, findings, S)
        server_errors = server.log_errors()
    elapsed = time.time() - started
    conn = common.connect(pg, database)
    with conn.cursor() as cr:
        checks = common.invariants(cr)
        cases_after = None
        if cases_before is not None:
            cr.execute("SELECT count(*) FROM vp_case")
            cases_after = cr.fetchone()[0]
    conn.close()

    rows = [[kind, str(count)] for kind, count in sorted(findings.counts.items())]
    print()
    print(
        f"Fuzzing: {len(routes)} routes, {len(methods)} models, {args.examples} examples "
        f"each, {elapsed:.0f}s"
    )
    common.print_table(rows, ["outcome", "count"])
    print()
    checks_rows = [[name, str(count), "PASS" if count == 0 else "FAIL"] for name, count in checks]
    if cases_before is not None:
        checks_rows.append(
            [
                "cases created or deleted by the fuzzer",
                str(cases_after - cases_before),
                "PASS" if cases_after == cases_before else "FAIL",
            ]
        )
    if detector is not None:
        checks_rows.append(
            [
                "leak detector self-check (the owner reads the marker)",
                "1" if detector else "0",
                "PASS" if detector else "FAIL",
            ]
        )
    kinds = [
        "route: server error",
        "route: no answer",
        "route: LEAK of case content",
        "route: traceback shown",
        "rpc: server error",
        "rpc: no answer",
        "rpc: LEAK of case content",
        "rpc: unexpected error in addon code",
        "rpc: write allowed on confidential model",
        "rpc: confidential data returned",
        "control: server error",
        "control: not refused with a message",
        "control: form not available",
    ]
    for kind in kinds:
        count = findings.counts.get(kind, 0)
        checks_rows.append([kind, str(count), "PASS" if not count else "FAIL"])
    # Garbage RPC arguments make Odoo's own ORM raise (TypeError...), which it logs as
    # ERROR: informative here; errors raised in the addon's code are checked above.
    checks_rows.append(["server log ERROR lines (informative)", str(len(server_errors)), "-"])
    common.print_table(checks_rows, ["check", "count", "result"])
    for kind, detail in findings.problems:
        print(f"- {kind}: {detail}")
    failed = sum(1 for row in checks_rows if row[2] == "FAIL")
    common.figure("fuzz.checks_failed", failed, "count", target="==0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
