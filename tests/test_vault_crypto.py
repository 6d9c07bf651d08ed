# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The vault's cryptography on its own (plain pytest, no database): what a DBA who
copies, swaps or edits ciphertext gets back is an error, never someone else's content."""

import pytest
from vp_tools import vault_crypto as vc

# the cheapest scrypt the vault accepts, so the suite stays fast
FAST = {"alg": "scrypt", "n": 2**14, "r": 8, "p": 1}  # the lowest cost the vault accepts


def test_sealed_text_opens_only_with_its_key_and_context():
    key = vc.random_key()
    blob = vc.seal(key, b"melder: A. de Vries", b"case-1")
    assert b"de Vries" not in blob
    assert vc.open_sealed(key, blob, b"case-1") == b"melder: A. de Vries"
    with pytest.raises(vc.VaultCryptoError):
        vc.open_sealed(vc.random_key(), blob, b"case-1")
    with pytest.raises(vc.VaultCryptoError):
        vc.open_sealed(key, blob, b"case-2")


def test_a_flipped_byte_is_refused():
    key = vc.random_key()
    blob = bytearray(vc.seal(key, b"notes", b"ctx"))
    blob[-1] ^= 1
    with pytest.raises(vc.VaultCryptoError):
        vc.open_sealed(key, bytes(blob), b"ctx")


def test_field_value_is_bound_to_its_record_and_field():
    key = vc.random_key()
    envelope = vc.encrypt_field(key, "het verhaal", "vp.case", 7, "description")
    assert envelope.startswith(vc.FIELD_PREFIX)
    assert vc.decrypt_field(key, envelope, "vp.case", 7, "description") == "het verhaal"
    # a DBA copying the ciphertext to another case or field gets an error, not the text
    for model, res_id, field in [("vp.case", 8, "description"), ("vp.case", 7, "notes")]:
        with pytest.raises(vc.VaultCryptoError):
            vc.decrypt_field(key, envelope, model, res_id, field)


def test_data_key_wrapped_for_a_counsellor_opens_with_their_private_key_only():
    private, public = vc.generate_keypair()
    other_private, _other_public = vc.generate_keypair()
    data_key = vc.random_key()
    wrapped = vc.wrap_key(public, data_key, "vp.case,1")
    assert vc.unwrap_key(private, wrapped, "vp.case,1") == data_key
    with pytest.raises(vc.VaultCryptoError):
        vc.unwrap_key(other_private, wrapped, "vp.case,1")
    with pytest.raises(vc.VaultCryptoError):
        vc.unwrap_key(private, wrapped, "vp.case,2")


def test_private_key_opens_with_the_passphrase_only():
    private, public = vc.generate_keypair()
    envelope = vc.wrap_with_secret("lange wachtzin voor de kluis", private, "user-3", FAST)
    assert vc.kdf_params_of(envelope)["n"] == FAST["n"]
    opened = vc.unwrap_with_secret("lange wachtzin voor de kluis", envelope, "user-3")
    assert vc.public_from_private(opened) == public
    with pytest.raises(vc.VaultCryptoError):
        vc.unwrap_with_secret("een andere wachtzin", envelope, "user-3")
    with pytest.raises(vc.VaultCryptoError):
        vc.unwrap_with_secret("lange wachtzin voor de kluis", envelope, "user-4")


def test_recovery_code_is_read_back_however_it_is_typed():
    code = vc.generate_recovery_code()
    assert set(code.replace("-", "")) <= set(vc.RECOVERY_ALPHABET)
    typed = code.lower().replace("-", " ")
    assert vc.normalize_recovery_code(typed) == code


def test_weak_passphrases_are_refused_and_a_strong_one_passes():
    assert "short" in vc.passphrase_problems("kort")
    assert vc.passphrase_problems("welkom123welkom123")
    assert vc.passphrase_problems("Marieke Jansen 2026", user_words=["marieke", "jansen"])
    assert vc.passphrase_problems("paars-kompas-regent-71-fluit") == []


def test_fingerprint_tells_public_keys_apart():
    _p1, public1 = vc.generate_keypair()
    _p2, public2 = vc.generate_keypair()
    assert vc.fingerprint(public1) == vc.fingerprint(public1)
    assert vc.fingerprint(public1) != vc.fingerprint(public2)


def test_sealed_document_is_bound_to_its_context():
    key = vc.derive_key(b"secret", "verified-state")
    envelope = vc.seal_document(key, {"seq": 4}, "user", 3)
    assert vc.open_document(key, envelope, "user", 3) == {"seq": 4}
    with pytest.raises(vc.VaultCryptoError):
        vc.open_document(key, envelope, "user", 4)
