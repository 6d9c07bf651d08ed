# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure-Python cryptography of the vault (no Odoo imports).

Only primitives present in both ``cryptography`` 3.4.8 and 42.x are used:
X25519, AES-256-GCM (``AESGCM``), scrypt and HKDF-SHA256.  Every ``backend``
argument is passed explicitly as ``default_backend()`` so 3.4.8 is happy too.

Envelope formats (all text, safe for a ``Char``/``Text`` column)::

    vp1:<base64(nonce 12 | ciphertext+tag)>                   field ciphertext
    vp1k:<base64(eph_pub 32 | nonce 12 | ciphertext+tag)>      wrapped data key
    vp1p:<base64(json params)>:<base64(nonce | ct+tag)>        passphrase-wrapped key

Every decryption failure (tampering, wrong key, wrong AAD, bad format) raises
:class:`VaultCryptoError`; callers never get garbage.
"""

import base64
import hashlib
import json
import os
import re
import secrets
import string
import zlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FIELD_PREFIX = "vp1:"
WRAP_PREFIX = "vp1k:"
PASS_PREFIX = "vp1p:"
NONCE_SIZE = 12
KEY_SIZE = 32

# scrypt cost: n=2**16, r=8, p=1 takes ~0.4 s and 64 MiB on a current server core.
# The parameters are stored with every blob, so they can be raised later without
# breaking existing vaults (a passphrase change re-wraps with the current defaults).
KDF_PARAMS = {"alg": "scrypt", "n": 2**16, "r": 8, "p": 1}
# Bounds accepted when reading a blob: refuses absurd values (denial of service)
# and values too weak to be ours.
KDF_N_MIN, KDF_N_MAX = 2**14, 2**20

RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
RECOVERY_GROUPS, RECOVERY_GROUP_LEN = 8, 4  # 32 chars x 5 bits = 160 bits


class VaultCryptoError(Exception):
    """Decryption or verification failed: tampered data, wrong key or wrong context."""


def _b64e(data):
    return base64.b64encode(data).decode("ascii")


def _b64d(text):
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeError) as exc:
        raise VaultCryptoError("malformed envelope") from exc


def _aad(*parts):
    """Unambiguous associated data from context parts (length-prefixed)."""
    out = b""
    for part in parts:
        raw = str(part).encode("utf-8")
        out += len(raw).to_bytes(4, "big") + raw
    return out


def random_key():
    """A fresh 256-bit symmetric key (case data key, cookie key)."""
    return os.urandom(KEY_SIZE)


# --------------------------------------------------------------- AES-GCM core


def seal(key, plaintext, aad):
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key, blob, aad):
    if len(blob) < NONCE_SIZE + 16:
        raise VaultCryptoError("ciphertext too short")
    try:
        return AESGCM(key).decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], aad)
    except (InvalidTag, ValueError) as exc:
        raise VaultCryptoError("authentication failed") from exc


# ----------------------------------------------------------- key pairs (X25519)


def generate_keypair():
    """Return (private_bytes, public_bytes), both raw 32 bytes."""
    private = X25519PrivateKey.generate()
    return _private_raw(private), _public_raw(private.public_key())


def _private_raw(private):
    return private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def _public_raw(public):
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_from_private(private_bytes):
    return _public_raw(X25519PrivateKey.from_private_bytes(private_bytes).public_key())


def fingerprint(public_bytes):
    """SHA-256 of the public key, as 16 groups of 4 hex digits (read it aloud)."""
    digest = hashlib.sha256(b"vp-x25519:" + public_bytes).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


# ------------------------------------------------------------ passphrase (scrypt)


def scrypt_cost(params, n_min=KDF_N_MIN, n_max=KDF_N_MAX, error=VaultCryptoError):
    """``(n, r, p)`` of stored scrypt parameters, refused (``error``) outside the bounds
    we write: a tampered header must not make the server spend minutes or gigabytes."""
    n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
    if params.get("alg") != "scrypt" or not (n_min <= n <= n_max) or n & (n - 1):
        raise error("unsupported key derivation parameters")
    if not (1 <= r <= 32 and 1 <= p <= 16):
        raise error("unsupported key derivation parameters")
    return n, r, p


def _kdf(secret, salt, params):
    n, r, p = scrypt_cost(params)
    kdf = Scrypt(salt=salt, length=KEY_SIZE, n=n, r=r, p=p, backend=default_backend())
    return kdf.derive(secret.encode("utf-8"))


def wrap_with_secret(secret, private_bytes, context, params=None):
    """Encrypt ``private_bytes`` under a key derived from ``secret`` (scrypt)."""
    params = dict(params or KDF_PARAMS)
    salt = os.urandom(16)
    header = dict(params, salt=_b64e(salt), v=1)
    header_text = _b64e(json.dumps(header, sort_keys=True).encode())
    key = _kdf(secret, salt, params)
    blob = seal(key, private_bytes, _aad("vp-private-key", context, header_text))
    return f"{PASS_PREFIX}{header_text}:{_b64e(blob)}"


def unwrap_with_secret(secret, envelope, context):
    """Return the private key bytes, or raise VaultCryptoError."""
    if not envelope or not envelope.startswith(PASS_PREFIX):
        raise VaultCryptoError("not a vault key envelope")
    try:
        header_text, body = envelope[len(PASS_PREFIX) :].split(":", 1)
        header = json.loads(_b64d(header_text))
        salt = _b64d(header["salt"])
    except (ValueError, KeyError, TypeError) as exc:
        raise VaultCryptoError("malformed envelope") from exc
    key = _kdf(secret, salt, header)
    return open_sealed(key, _b64d(body), _aad("vp-private-key", context, header_text))


def kdf_params_of(envelope):
    """The KDF parameters stored in a passphrase envelope (to decide on re-wrapping)."""
    try:
        header = json.loads(_b64d(envelope[len(PASS_PREFIX) :].split(":", 1)[0]))
    except (ValueError, IndexError) as exc:
        raise VaultCryptoError("malformed envelope") from exc
    return {k: header[k] for k in ("alg", "n", "r", "p") if k in header}


def generate_recovery_code():
    """160 random bits as 8 groups of 4 unambiguous characters: ABCD-EFGH-..."""
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(32))
    return "-".join(
        chars[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(chars), RECOVERY_GROUP_LEN)
    )


def normalize_recovery_code(code):
    """Accept lower case, spaces and missing dashes when the code is typed back."""
    raw = "".join(c for c in (code or "").upper() if c.isalnum())
    raw = raw.replace("0", "O").replace("1", "I")  # never in the alphabet: typo
    return "-".join(raw[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(raw), 4))


# -------------------------------------------------- data keys for a recipient


def _wrap_kek(shared, eph_pub, recipient_pub, context):
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_SIZE,
        salt=eph_pub + recipient_pub,
        info=_aad("vp-wrap", context),
        backend=default_backend(),
    ).derive(shared)


def wrap_key(recipient_public_bytes, data_key, context):
    """Encrypt ``data_key`` for a public key (ephemeral X25519 + HKDF + AES-GCM).

    ``context`` (e.g. ``("vp.case", 42, "user", 7)``) is bound into both the
    HKDF info and the AAD, so a wrapped key cannot be moved to another case or
    recipient.  Needs no secret of the recipient: anyone may encrypt.
    """
    recipient = X25519PublicKey.from_public_bytes(recipient_public_bytes)
    eph = X25519PrivateKey.generate()
    eph_pub = _public_raw(eph.public_key())
    kek = _wrap_kek(eph.exchange(recipient), eph_pub, recipient_public_bytes, context)
    blob = seal(kek, data_key, _aad("vp-wrap", context))
    return WRAP_PREFIX + _b64e(eph_pub + blob)


def unwrap_key(private_bytes, envelope, context):
    if not envelope or not envelope.startswith(WRAP_PREFIX):
        raise VaultCryptoError("not a wrapped key")
    raw = _b64d(envelope[len(WRAP_PREFIX) :])
    if len(raw) < 32 + NONCE_SIZE + 16:
        raise VaultCryptoError("wrapped key too short")
    eph_pub = raw[:32]
    try:
        private = X25519PrivateKey.from_private_bytes(private_bytes)
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    except ValueError as exc:
        raise VaultCryptoError("invalid wrapped key") from exc
    own_pub = _public_raw(private.public_key())
    kek = _wrap_kek(shared, eph_pub, own_pub, context)
    return open_sealed(kek, raw[32:], _aad("vp-wrap", context))


# ---------------------------------------------------------------- field values


def field_aad(model, res_id, field):
    return _aad("vp-field", model, int(res_id), field)


def encrypt_field(data_key, value, model, res_id, field):
    """Encrypt a str or bytes value bound to (model, record id, field name)."""
    if isinstance(value, str):
        raw, kind = value.encode("utf-8"), b"s"
    else:
        raw, kind = bytes(value), b"b"
    return FIELD_PREFIX + _b64e(seal(data_key, kind + raw, field_aad(model, res_id, field)))


def decrypt_field(data_key, envelope, model, res_id, field):
    if not envelope or not envelope.startswith(FIELD_PREFIX):
        raise VaultCryptoError("not an encrypted value")
    raw = open_sealed(
        data_key, _b64d(envelope[len(FIELD_PREFIX) :]), field_aad(model, res_id, field)
    )
    kind, body = raw[:1], raw[1:]
    return body.decode("utf-8") if kind == b"s" else body


# ----------------------------------------------------------- passphrase policy

COMMON_PASSWORDS = {
    "password",
    "wachtwoord",
    "welkom",
    "welcome",
    "qwerty",
    "azerty",
    "letmein",
    "geheim",
    "vertrouwen",
    "vertrouwenspersoon",
    "admin",
    "odoo",
    "123456",
    "iloveyou",
    "zomer",
    "winter",
    "lente",
    "herfst",
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "summer",
    "spring",
    "autumn",
    "monkey",
    "dragon",
    "sunshine",
    "princess",
    "football",
    "voetbal",
    "liefde",
    "hallo",
    "hello",
    "passw0rd",
    "wachtw00rd",
    "w8woord",
}

MIN_LENGTH = 12


def passphrase_problems(passphrase, user_words=()):
    """Return a list of problem codes; empty when the passphrase is acceptable.

    A dependency-free take on zxcvbn's main ideas: length first, then enough
    variety, no long runs or keyboard/alphabet sequences, no common or personal
    words that make up most of it.
    """
    problems = []
    text = passphrase or ""
    lowered = text.lower()
    if len(text) < MIN_LENGTH:
        problems.append("short")
    if len(set(lowered)) < 6:
        problems.append("variety")
    classes = sum(
        bool(set(text) & set(group))
        for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits)
    ) + any(not c.isalnum() for c in text)
    words = len([w for w in text.split() if w])
    # four or more words is a passphrase: variety of character classes not needed
    if classes < 2 and words < 4:
        problems.append("classes")
    if any(
        lowered[i] == lowered[i + 1] == lowered[i + 2] == lowered[i + 3]
        for i in range(len(lowered) - 3)
    ):
        problems.append("repeat")
    sequences = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")
    for seq in sequences:
        for i in range(len(seq) - 4):
            if seq[i : i + 5] in lowered or seq[i : i + 5][::-1] in lowered:
                problems.append("sequence")
                break
        else:
            continue
        break
    # years and dates are the first thing guessed (Zomer2026!, DeLinde1990)
    stripped = re.sub(r"(19|20)\d\d", "", lowered)
    for word in sorted(
        COMMON_PASSWORDS | {w.lower() for w in user_words if w and len(w) >= 3},
        key=len,
        reverse=True,
    ):
        stripped = stripped.replace(word, "")
    # what is left once the guessable parts are gone must be long enough on its own
    stripped = re.sub(r"[\W_\d]{0,3}$", "", stripped.strip())
    if len(stripped.replace(" ", "")) < 8 and "short" not in problems:
        problems.append("common")
    return problems


# ----------------------------------------------------------- sealed documents

STATE_PREFIX = "vp1s:"


def derive_key(secret, *context):
    """A 256-bit key for one purpose (``context``) derived from a secret key."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_SIZE,
        salt=None,
        info=_aad("vp-derive", *context),
        backend=default_backend(),
    ).derive(secret)


def seal_document(key, document, *context):
    """JSON ``document`` compressed and sealed under ``key``, bound to ``context``."""
    raw = zlib.compress(json.dumps(document, sort_keys=True).encode())
    return STATE_PREFIX + _b64e(seal(key, raw, _aad(*context)))


def open_document(key, envelope, *context):
    """The document sealed by :func:`seal_document`; VaultCryptoError when it was
    altered, moved or sealed under another key."""
    if not envelope or not envelope.startswith(STATE_PREFIX):
        raise VaultCryptoError("not a sealed document")
    raw = open_sealed(key, _b64d(envelope[len(STATE_PREFIX) :]), _aad(*context))
    return json.loads(zlib.decompress(raw))
