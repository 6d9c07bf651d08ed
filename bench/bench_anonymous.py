#!/usr/bin/env python3
"""Anonymous channel benchmark: the receipt-code check, sending a message and opening a
thread of 50 messages with the code, side by side with today's booking request.

    python3 bench/bench_anonymous.py [--no-orm] [--n 10]

1. The code check alone (pure Python, no database): one scrypt with the parameters of
   ``tools/receipt_code.py``. By design 0.1-0.5 s: it is what makes guessing slow.
2. Installs the addon (no demo data) in a scratch database on the private PostgreSQL,
   creates a counsellor with a real vault and an employee, and times in-process, as the
   server would run them: a booking request (``vp.appointment._book``), a first
   anonymous message (``vp.conversation._start``: the code's scrypt, the keys wrapped
   for the counsellor, the encrypted message, the neutral e-mail queued) and opening a
   thread of 50 messages with the code (``_open_with_code`` + ``_writer_thread``).
   Medians in ms, and their ratio to the booking request.
"""

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common

DB = "vp_bench_anonymous"
BODY = "Ik wil iets vragen over wat er op mijn afdeling gebeurt. " * 12  # ~700 characters


def load_receipt_code():
    """tools/receipt_code.py without Odoo: the root tests' conftest loads the tools package
    on its own (receipt_code imports its sibling vault_crypto)."""
    sys.path.insert(0, str(common.ROOT / "tests"))
    import conftest  # noqa: F401

    return importlib.import_module("vp_tools.receipt_code")


def bench_code_check(n):
    rc = load_receipt_code()
    canonical = rc.normalize(rc.generate())
    stored, _key = rc.new_verifier(canonical)
    timings = []
    for _i in range(n):
        started = time.perf_counter()
        rc.check(canonical, stored)
        timings.append(time.perf_counter() - started)
    params = rc.KDF_PARAMS
    common.figure(
        "anonymous.code_check.median",
        round(statistics.median(timings), 3),
        "s",
        target="<=0.5",
        note=f"scrypt n={params['n']} r={params['r']} p={params['p']}; >= 0.1 s by design",
    )


def setup(env):
    group = env.ref("vertrouwenspersoon.group_vp_counsellor")
    counsellor = env["res.users"].create(
        {
            "name": "Bench Anonymous Counsellor",
            "login": "bench-anon-counsellor",
            "email": "bench-anon@example.com",
            "groups_id": [(6, 0, [group.id, env.ref("base.group_user").id])],
        }
    )
    env(user=counsellor)["vp.vault"].setup("Bench kluis anoniem De Linde 2026")
    profile = env["vp.counsellor"].create(
        {
            "user_id": counsellor.id,
            "name": "Bench Anonymous Counsellor",
            "resource_calendar_id": env.company.resource_calendar_id.id,
        }
    )
    employee = env["res.users"].create(
        {"name": "Bench Employee", "login": "bench-anon-employee", "groups_id": []}
    )
    from population import lift_booking_limits

    lift_booking_limits(env)
    icp = env["ir.config_parameter"]
    icp.set_param("vertrouwenspersoon.booking_lead_hours", "0")
    icp.set_param("vertrouwenspersoon.anonymous_new_per_hour", "100000")
    return counsellor, profile, employee


def bench_orm(pg, n):
    common.create_db(pg, DB)
    with common.odoo_env(pg, DB) as env:
        _counsellor, profile, employee = setup(env)
        env.cr.commit()
        slots = iter(profile._free_slots()[profile.id])
        booker = {"user_id": employee.id, "partner_id": employee.partner_id.id}

        def book():
            env["vp.appointment"]._book(profile, next(slots), "phone", booker, note=BODY[:500])

        booking = common.timeit(book, n=n, env=env)
        Conversation = env["vp.conversation"]
        send = common.timeit(lambda: Conversation._start(profile, BODY), n=n, env=env)
        conversation, code = Conversation._start(profile, BODY)
        _found, data_key = Conversation._open_with_code(code, "bench")
        for index in range(49):
            author = "counsellor" if index % 2 == 0 else "writer"
            conversation._add_message(data_key, author, f"{index}: {BODY}")
        env.flush_all()
        env.cr.commit()

        def open_thread():
            found, key = Conversation._open_with_code(code, "bench")
            thread = found._writer_thread(key)
            assert len(thread) == 50, len(thread)

        thread = common.timeit(open_thread, n=n, env=env)
    common.figure("anonymous.booking_request.median", booking["median"], "ms")
    for name, stats, note in (
        ("send", send, "sending includes one scrypt of the code (anonymous.code_check)"),
        ("thread50", thread, "opening includes one scrypt of the code and 50 AES-GCM decryptions"),
    ):
        common.figure(f"anonymous.{name}.median", stats["median"], "ms")
        ratio = round(stats["median"] / booking["median"], 2)
        common.figure(f"anonymous.{name}_vs_booking", ratio, "ratio", note=note)
    common.drop_db(pg, DB)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-orm", action="store_true", help="the code check only")
    parser.add_argument("--n", type=int, default=10, help="timed runs per figure")
    args = parser.parse_args(argv)
    bench_code_check(args.n)
    if args.no_orm:
        return
    pg = common.start_pg()
    bench_orm(pg, args.n)


if __name__ == "__main__":
    main()
