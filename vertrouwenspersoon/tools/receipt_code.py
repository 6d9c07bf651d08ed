# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The receipt code of an anonymous conversation (pure Python, no Odoo imports).

A code is 24 characters of Crockford base32 (120 random bits), shown in 6 groups of 4
(``7KQ2-M9XD-...``): easy to copy and to read aloud, case-insensitive, and the letters
people confuse are mapped back (``O`` is ``0``; ``I`` and ``L`` are ``1``).

* The **first group** (20 bits) is a *lookup id*: not secret, it only finds the
  conversation without a scan over all hashes (stored as a hash, so the characters of
  the code never appear in the database). It is unique among open conversations.
* The **other five groups** (100 bits) are the secret. Guessing them is hopeless even
  offline against a stolen database: 2**100 scrypt evaluations.

One slow scrypt (cost stored beside the result) gives 64 bytes: the first 32 are the
*verifier* stored in the database, the last 32 the *code key* that wraps the
conversation key and is never stored. So the server holds no usable key: only the holder
of the code (the writer) and the counsellors' vaults open the conversation.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets

from .vault_crypto import scrypt_cost

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
GROUP_LEN = 4
GROUPS = 6
CODE_LEN = GROUP_LEN * GROUPS  # 24 characters x 5 bits = 120 bits
LOOKUP_LEN = GROUP_LEN  # first group: 20 bits, not secret
SECRET_BITS = (CODE_LEN - LOOKUP_LEN) * 5  # 100
# typed characters that mean one of the alphabet (Crockford's decoding rules)
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})

# scrypt n=2**15, r=8, p=1: about 0.1-0.3 s and 32 MiB per check on a current core
# (bench/bench_anonymous.py prints the figure). Stored with every verifier, so it can be
# raised later without breaking existing codes.
KDF_PARAMS = {"alg": "scrypt", "n": 2**15, "r": 8, "p": 1}
KDF_N_MIN, KDF_N_MAX = 2**10, 2**20
_MAXMEM = 256 * 1024 * 1024


class ReceiptCodeError(ValueError):
    """Parameters or stored values that cannot be ours."""


def generate():
    """A new code, formatted in groups: ``XXXX-XXXX-XXXX-XXXX-XXXX-XXXX``."""
    return format_code("".join(secrets.choice(ALPHABET) for _ in range(CODE_LEN)))


def format_code(canonical):
    return "-".join(canonical[i : i + GROUP_LEN] for i in range(0, len(canonical), GROUP_LEN))


def normalize(text):
    """The canonical 24 characters of a typed code, or None when it cannot be a code.

    Accepts lower case, spaces, dashes and dots anywhere, and O/I/L for 0/1/1.
    """
    if not isinstance(text, str) or len(text) > 200:
        return None
    raw = "".join(c for c in text.upper() if c not in " -.\t\r\n").translate(_TYPOS)
    if len(raw) != CODE_LEN or any(c not in ALPHABET for c in raw):
        return None
    return raw


def lookup_id(canonical, pepper=""):
    """The non-secret lookup id of a code (a hash of its first group)."""
    head = canonical[:LOOKUP_LEN]
    return hashlib.sha256(f"vp-receipt-lookup:{pepper}:{head}".encode()).hexdigest()[:32]


def _derive(canonical, salt, params):
    n, r, p = scrypt_cost(params, KDF_N_MIN, KDF_N_MAX, ReceiptCodeError)
    return hashlib.scrypt(
        f"vp-receipt:{canonical}".encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=64
    )


def new_verifier(canonical, params=None):
    """(stored text, code key): the verifier to store and the key it protects."""
    params = dict(params or KDF_PARAMS)
    salt = os.urandom(16)
    out = _derive(canonical, salt, params)
    stored = dict(params, salt=base64.b64encode(salt).decode(), v=1)
    stored["verifier"] = base64.b64encode(out[:32]).decode()
    return json.dumps(stored, sort_keys=True), out[32:]


def check(canonical, stored_text):
    """The code key when ``canonical`` matches the stored verifier, else None."""
    try:
        stored = json.loads(stored_text)
        salt = base64.b64decode(stored["salt"])
        verifier = base64.b64decode(stored["verifier"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ReceiptCodeError("malformed verifier") from exc
    out = _derive(canonical, salt, stored)
    if not hmac.compare_digest(out[:32], verifier):
        return None
    return out[32:]


def params_of(stored_text):
    """The cost parameters stored with a verifier (to show or to decide on re-hashing)."""
    stored = json.loads(stored_text)
    return {k: stored[k] for k in ("alg", "n", "r", "p")}
