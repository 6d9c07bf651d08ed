#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a counsellor waits for in the browser: unlocking, and opening a case with 50
contact moments, with and without its decrypted content, through Odoo's HTTP server.

    python3 bench/bench_vault_http.py [--runs 40]

The case form is read as the web client reads it (``web_read`` with the form's fields
and the contact moments' list) three ways, in turn: unlocked with the content fields,
without the content fields, and with them by the same counsellor in a browser that did
not unlock (placeholders). Full against locked is what decryption adds to the same form
as the counsellor feels it: the gate (no key for sudo, stored code or patched models),
the configuration pulse, the case key, the manifest and the decryption. Full against
the form without content fields also counts fetching and sending the content itself.
"""

import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common

PASSPHRASE = "Zeven eiken in de Linde 2024"
LOGIN = "bench_vault_http"
CONTENT = ["melder_name", "melder_contact", "others_involved", "description", "notes"]
META = ["name", "date_intake", "state", "counsellor_id", "category_ids", "reporter_type"]


def seed(pg, database):
    """A counsellor with a password and a vault, and one case with 50 contact moments."""
    with common.odoo_env(pg, database) as env:
        from odoo import Command

        group = env.ref("vertrouwenspersoon.group_vp_counsellor")
        user = env["res.users"].create(
            {
                "name": "Bench Counsellor",
                "login": LOGIN,
                "password": LOGIN,
                "groups_id": [Command.set([env.ref("base.group_user").id, group.id])],
            }
        )
        venv = env(user=user)
        venv["vp.vault"].setup(PASSPHRASE)
        venv["vp.vault"].unlock(PASSPHRASE)
        text = ("Melder vertelt over opmerkingen van de leidinggevende. " * 12)[:600]
        case = venv["vp.case"].create(
            {
                "date_intake": "2026-03-02",
                "melder_name": "J. de Vries",
                "melder_contact": "06-1234",
                "others_involved": text,
                "description": text,
                "notes": text,
            }
        )
        venv["vp.case.contact"].create([{"case_id": case.id, "notes": text} for _ in range(50)])
        venv["vp.vault"].lock()
        return case.id


def form_spec(with_content):
    contact_fields = {"date": {}, "duration": {}, "channel": {}}
    if with_content:
        contact_fields["notes"] = {}
    spec = {name: {} for name in META + (CONTENT if with_content else [])}
    spec["counsellor_id"] = {"fields": {"display_name": {}}}
    spec["category_ids"] = {"fields": {"display_name": {}}}
    spec["contact_ids"] = {"fields": contact_fields}
    return spec


def main():
    args = common.parse_args(__doc__, runs=40)
    pg = common.start_pg()
    database = f"vp_bench_vhttp_{os.getpid()}"
    try:
        common.create_db(pg, database)
        case_id = seed(pg, database)
        with common.OdooServer(pg, database, workers=2, name="vault_http") as server:
            session = common.new_session()
            if not common.login(session, server.url, LOGIN, LOGIN):
                raise SystemExit("login failed")
            unlock_times = []
            for _ in range(3):
                session.post(
                    f"{server.url}/vertrouwenspersoon/vault/lock",
                    data={
                        "csrf_token": common.csrf_from(
                            session.get(f"{server.url}/vertrouwenspersoon/vault").text
                        )
                    },
                )
                started = time.perf_counter()
                unlocked = common.unlock_vault(session, server.url, PASSPHRASE)
                unlock_times.append((time.perf_counter() - started) * 1000)
                if not unlocked:
                    raise SystemExit("unlock failed")
            # the same counsellor in a second browser that did not unlock: the same form,
            # content fields shown as locked placeholders
            locked_session = common.new_session()
            if not common.login(locked_session, server.url, LOGIN, LOGIN):
                raise SystemExit("login failed")
            variants = [("full", session, True), ("meta", session, False)]
            variants.append(("locked", locked_session, True))
            samples = {name: [] for name, _session, _content in variants}
            for run in range(args.runs * len(variants) + 6):
                name, client, with_content = variants[run % len(variants)]
                started = time.perf_counter()
                status, result, error = common.call_kw(
                    client,
                    server.url,
                    "vp.case",
                    "web_read",
                    [[case_id]],
                    {"specification": form_spec(with_content)},
                )
                elapsed = (time.perf_counter() - started) * 1000
                if status != 200 or error:
                    raise SystemExit(f"web_read failed: {error}")
                locked = with_content and result[0]["description"].startswith("\U0001f512")
                if locked != (name == "locked"):
                    raise SystemExit(f"the {name} read did not find the vault as expected")
                if run >= 6:  # warm-up of both workers
                    samples[name].append(elapsed)
        full = statistics.median(samples["full"])
        meta = statistics.median(samples["meta"])
        locked = statistics.median(samples["locked"])
        common.figure(
            "vault.http_unlock.median",
            round(statistics.median(unlock_times)),
            "ms",
            "<=1000",
            "unlock page POST: KDF, chain, configuration and key checks",
        )
        common.figure("vault.http_case_50_contacts.metadata_only.median", round(meta, 1), "ms")
        common.figure(
            "vault.http_case_50_contacts.with_content.median", round(full, 1), "ms", "<100"
        )
        common.figure("vault.http_case_50_contacts.locked.median", round(locked, 1), "ms")
        common.figure(
            "vault.http_decryption_ratio",
            round(full / locked, 2),
            "ratio",
            "<=1.5",
            "the same form (same fields), unlocked against locked: what decryption adds",
        )
        common.figure(
            "vault.http_encryption_ratio",
            round(full / meta, 2),
            "ratio",
            "<=2.1",
            "against the form without its content fields: decryption and the content itself",
        )
    finally:
        common.drop_db(pg, database)


if __name__ == "__main__":
    main()
