#!/usr/bin/env python3
"""Vault benchmark: unlock time, cost of opening a case, encryption throughput.

    python3 bench/bench_vault.py

Pure crypto figures (the vault's own module, loaded without Odoo): what the server
spends on cryptography; database and ORM time comes on top and is the same with or
without the vault.
"""

import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location(
    "vault_crypto", ROOT / "vertrouwenspersoon" / "models" / "vault_crypto.py"
)
vc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vc)


def timed(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def main():
    import cryptography

    print(f"python {sys.version.split()[0]}, cryptography {cryptography.__version__}")
    print(f"scrypt parameters: {vc.KDF_PARAMS}")

    # 1. unlock: one scrypt derivation + one AES-GCM open
    private, public = vc.generate_keypair()
    blob = vc.wrap_with_secret(
        "Zeven eiken in de Linde 2024", private, ("vp.vault", 7, "passphrase")
    )
    med, lo, hi = timed(
        lambda: vc.unwrap_with_secret(
            "Zeven eiken in de Linde 2024", blob, ("vp.vault", 7, "passphrase")
        ),
        5,
    )
    print(
        f"unlock (KDF): median {med * 1000:.0f} ms "
        f"(min {lo * 1000:.0f}, max {hi * 1000:.0f}), 5 runs"
    )

    # 2. opening a case with 50 contact moments
    case_key = vc.random_key()
    wrapped = vc.wrap_key(public, case_key, ("vp.case", 1, 7))
    cookie_key = vc.random_key()
    session_blob = vc.seal(cookie_key, private, b"aad")
    text = ("Melder vertelt over opmerkingen van de leidinggevende tijdens het overleg. " * 8)[:600]
    case_fields = {
        f: vc.encrypt_field(case_key, text, "vp.case", 1, f)
        for f in ("melder_name", "melder_contact", "others_involved", "description", "notes")
    }
    contacts = [vc.encrypt_field(case_key, text, "vp.case.contact", i, "notes") for i in range(50)]

    def open_case():
        key = vc.open_sealed(cookie_key, session_blob, b"aad")  # session blob per request
        data_key = vc.unwrap_key(key, wrapped, ("vp.case", 1, 7))
        for fname, env in case_fields.items():
            vc.decrypt_field(data_key, env, "vp.case", 1, fname)
        for i, env in enumerate(contacts):
            vc.decrypt_field(data_key, env, "vp.case.contact", i, "notes")

    med, lo, hi = timed(open_case, 50)
    print(
        f"open a case with 50 contact moments (55 fields of 600 chars): median "
        f"{med * 1000:.2f} ms (min {lo * 1000:.2f}, max {hi * 1000:.2f}); target < 20 ms"
    )

    # 3. throughput
    big = os.urandom(4 * 1024 * 1024)

    def roundtrip_big():
        env = vc.encrypt_field(case_key, big, "vp.case.document", 1, "datas")
        vc.decrypt_field(case_key, env, "vp.case.document", 1, "datas")

    med, _lo, _hi = timed(roundtrip_big, 5)
    print(f"encrypt+decrypt 4 MiB document (incl. base64): {4 / med:.0f} MB/s")
    small = "x" * 1024
    n = 5000

    def roundtrip_fields():
        for i in range(n):
            env = vc.encrypt_field(case_key, small, "vp.case.contact", i, "notes")
            vc.decrypt_field(case_key, env, "vp.case.contact", i, "notes")

    med, _lo, _hi = timed(roundtrip_fields, 3)
    print(f"encrypt+decrypt 1 KiB fields: {n / med:,.0f} fields/s")
    med, _lo, _hi = timed(lambda: vc.wrap_key(public, case_key, ("vp.case", 1, 7)), 200)
    print(f"wrap a case key for a public key (no unlock needed): {med * 1000:.3f} ms")
    med, _lo, _hi = timed(lambda: vc.unwrap_key(private, wrapped, ("vp.case", 1, 7)), 200)
    print(f"unwrap a case key: {med * 1000:.3f} ms")


if __name__ == "__main__":
    main()
