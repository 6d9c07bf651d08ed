# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Seed a believable population for load, fault and fuzz runs.

Employees (half portal, half internal users), counsellors with a booking profile and a
few cases each, all with one known password. Each part is skipped when the model it needs
is not installed, so the harness also runs against the bare foundation.
"""

import base64
import random
import sys
from datetime import date, datetime, timedelta

from odoo import Command

PASSWORD = "bench-Password-2026"
VAULT_PASSPHRASE = "bench vault passphrase with enough words 2026"
MARKER = "ZZLEAKMARKER"  # planted in case content; must never appear in other users' pages
COUNSELLOR_GROUP = "vertrouwenspersoon.group_vp_counsellor"


def marker_of(login):
    """The marker planted in the content of ``login``'s cases (starts with MARKER)."""
    return f"{MARKER}-{login}"


def warn(message):
    print(f"[bench] WARNING: {message}", file=sys.stderr, flush=True)


def _users(env, prefix, count, groups, kind):
    Users = env["res.users"].with_context(
        no_reset_password=True, mail_create_nosubscribe=True, tracking_disable=True
    )
    logins = [f"{prefix}{i:02d}" for i in range(1, count + 1)]
    existing = Users.with_context(active_test=False).search([("login", "in", logins)])
    by_login = {u.login: u for u in existing}
    missing = [login for login in logins if login not in by_login]
    if missing:
        created = Users.create(
            [
                {
                    "name": f"{kind.title()} {login[len(prefix) :]}",
                    "login": login,
                    "email": f"{login}@bench.example.com",
                    "groups_id": [Command.set(groups)],
                    "tz": "Europe/Amsterdam",
                }
                for login in missing
            ]
        )
        by_login.update({u.login: u for u in created})
    return [by_login[login] for login in logins]


def set_password(env, users, password=PASSWORD):
    """One hash for all (hashing is deliberately slow): set it with SQL."""
    hashed = env["res.users"]._crypt_context().hash(password)
    env.cr.execute("UPDATE res_users SET password = %s WHERE id = ANY(%s)", [hashed, users.ids])
    env.invalidate_all()


def lift_booking_limits(env):
    """Load, fault and bench clients book far more often than a person may (2 open
    appointments, 5 bookings an hour): they measure capacity, not the abuse limits."""
    icp = env["ir.config_parameter"].sudo()
    icp.set_param("vertrouwenspersoon.booking_max_active", "0")
    icp.set_param("vertrouwenspersoon.portal_booking_per_hour", "100000")
    icp.set_param("vertrouwenspersoon.public_booking_per_hour", "100000")


def seed(env, *, employees=50, counsellors=5, cases_per_counsellor=20, seed_value=7):
    """Create (or find) the population; returns a dict describing it."""
    rnd = random.Random(seed_value)
    ref = env.ref
    portal = ref("base.group_portal").id
    internal = ref("base.group_user").id
    counsellor_group = env.ref(COUNSELLOR_GROUP, raise_if_not_found=False)
    result = {"password": PASSWORD, "employees": [], "counsellors": [], "profiles": []}

    lift_booking_limits(env)
    half = employees // 2
    portal_users = _users(env, "bench-portal-", employees - half, [portal], "portal employee")
    internal_users = _users(env, "bench-emp-", half, [internal], "employee")
    counsellor_groups = [internal] + ([counsellor_group.id] if counsellor_group else [])
    counsellor_users = _users(env, "bench-vp-", counsellors, counsellor_groups, "counsellor")
    everyone = env["res.users"].browse(
        [u.id for u in portal_users + internal_users + counsellor_users]
    )
    set_password(env, everyone)
    result["employees"] = [(u.login, u.id, "portal") for u in portal_users] + [
        (u.login, u.id, "internal") for u in internal_users
    ]
    result["counsellors"] = [(u.login, u.id) for u in counsellor_users]

    if "vp.counsellor" in env and counsellor_group:
        calendar = env.company.resource_calendar_id
        if calendar and not calendar.tz:
            calendar.tz = "Europe/Amsterdam"
        Profile = env["vp.counsellor"].with_context(active_test=False)
        for user in counsellor_users:
            profile = Profile.search([("user_id", "=", user.id)])
            if not profile:
                profile = Profile.create(
                    {
                        "user_id": user.id,
                        "name": user.name,
                        "intro": "Bench counsellor",
                        "resource_calendar_id": calendar.id,
                    }
                )
            result["profiles"].append(profile.id)

    setup_vaults(env, counsellor_users)
    result["cases"] = seed_cases(env, counsellor_users, cases_per_counsellor, rnd)
    env.flush_all()
    return result


def setup_vaults(env, counsellors):
    """Give every counsellor a vault (when the vault is installed) with a known passphrase."""
    if "vp.vault" not in env:
        return
    Vault = env["vp.vault"]
    for user in counsellors:
        vault = Vault.with_user(user)
        existing = vault.sudo().search([("user_id", "=", user.id)], limit=1)
        if existing:
            continue
        try:
            with env.cr.savepoint():
                vault._do_setup(VAULT_PASSPHRASE)
        except Exception as exc:  # noqa: BLE001  (the run goes on without vaults)
            warn(f"vault set-up for {user.login} failed: {exc!r}")
            return


def case_values(rnd, i, categories, owner=""):
    tag = marker_of(owner) if owner else MARKER
    intake = date.today() - timedelta(days=rnd.randint(1, 700))
    return {
        "date_intake": intake,
        "intake_channel": rnd.choice(["in_person", "phone", "video", "email"]),
        "category_ids": [Command.set(rnd.sample(categories, k=min(len(categories), 1)))]
        if categories
        else [],
        "reporter_type": rnd.choice(["employee", "temp", "intern"]),
        "accused_role": rnd.choice(["manager", "colleague", "client"]),
        "melder_name": f"{tag} Melder {i}",
        "description": f"{tag} account of case {i}: what happened at work.",
        "notes": f"{tag} counsellor notes {i}",
        "contact_ids": [
            Command.create(
                {
                    "date": datetime.combine(intake, datetime.min.time()) + timedelta(hours=10),
                    "duration": 1.0,
                    "channel": "in_person",
                    "notes": f"{tag} contact notes {i}",
                }
            )
        ],
    }


def seed_cases(env, counsellors, per_counsellor, rnd):
    """Cases created by their counsellor (so references and encryption run as in real use)."""
    if "vp.case" not in env or not per_counsellor:
        return {}
    categories = env["vp.category"].search([]).ids
    cases = {}
    for user in counsellors:
        Case = env["vp.case"].with_user(user).with_context(tracking_disable=True)
        existing = Case.search([("counsellor_id", "=", user.id)])
        todo = per_counsellor - len(existing)
        try:
            with env.cr.savepoint():
                created = Case.create(
                    [case_values(rnd, i, categories, user.login) for i in range(max(todo, 0))]
                )
        except Exception as exc:  # noqa: BLE001  (reported; the run goes on without cases)
            warn(f"creating cases for {user.login} failed: {exc!r}")
            created = Case.browse()
        cases[user.id] = (existing | created).ids
        if created and "vp.case.document" in env:
            plant_document(env, user, created[0])
    return cases


def plant_document(env, user, case):
    """A small text document with the owner's marker, created by its counsellor."""
    content = f"{marker_of(user.login)} document: minutes of the conversation.\n".encode()
    try:
        with env.cr.savepoint():
            env["vp.case.document"].with_user(user).create(
                {"case_id": case.id, "name": "gesprek.txt", "datas": base64.b64encode(content)}
            )
    except Exception as exc:  # noqa: BLE001  (reported; the run goes on without it)
        warn(f"planting a document for {user.login} failed: {exc!r}")


def seed_expired_cases(env, counsellor, count, rnd=None):
    """Closed cases whose retention date has passed (for the retention cron)."""
    rnd = rnd or random.Random(11)
    categories = env["vp.category"].search([]).ids
    Case = env["vp.case"].with_user(counsellor).with_context(tracking_disable=True)
    cases = Case.create(
        [case_values(rnd, 10000 + i, categories, counsellor.login) for i in range(count)]
    )
    cases.write({"outcome": "resolved"})
    cases.write({"state": "closed"})
    env.flush_all()
    env.cr.execute(
        "UPDATE vp_case SET retention_date = %s WHERE id = ANY(%s)",
        [date.today() - timedelta(days=1), cases.ids],
    )
    env.invalidate_all()
    return cases.ids
