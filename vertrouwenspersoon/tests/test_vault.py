# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Vault: set-up, unlock/lock, throttling, recovery, passphrase change, crypto."""

import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.vault import vp_vault as vault_module
from ..tools import vault_crypto as vc
from .common import FAST_KDF, use_cheap_kdf

PASS = "Zeven eiken in de Linde 2024"
PASS2 = "Nieuwe lente, nieuw geluid!"


class VaultCase(TransactionCase):
    """Common set-up: cheap scrypt (tests only) and two counsellors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        use_cheap_kdf(cls)
        cls.counsellor = new_test_user(
            cls.env,
            login="vault_c1",
            name="Anna Vault",
            groups="base.group_user,vertrouwenspersoon.group_vp_counsellor",
        )
        cls.colleague = new_test_user(
            cls.env,
            login="vault_c2",
            name="Bram Vault",
            groups="base.group_user,vertrouwenspersoon.group_vp_counsellor",
        )
        cls.employee = new_test_user(cls.env, login="vault_e", groups="base.group_user")

    def setUp(self):
        super().setUp()
        self.addCleanup(vault_module._PROCESS_KEYS.clear)

    def vault_env(self, user):
        return self.env(user=user)["vp.vault"]

    def refused(self, func, *args, regex=""):
        """Call ``func`` and expect a UserError, WITHOUT rolling back its writes
        (``assertRaises`` of Odoo's test case uses a savepoint that would undo the
        failure counter, which the controllers commit)."""
        try:
            func(*args)
        except UserError as exc:
            self.assertRegex(str(exc), regex)
        else:
            self.fail(f"{func.__name__} was not refused")


@tagged("post_install", "-at_install")
class TestVaultCrypto(TransactionCase):
    def test_field_ciphertext_is_bound_to_record_and_field(self):
        key = vc.random_key()
        blob = vc.encrypt_field(key, "Geheim verhaal", "vp.case", 7, "notes")
        self.assertNotIn("Geheim", blob)
        self.assertEqual(vc.decrypt_field(key, blob, "vp.case", 7, "notes"), "Geheim verhaal")
        for model, res_id, field in (("vp.case", 8, "notes"), ("vp.case", 7, "description")):
            with self.assertRaises(vc.VaultCryptoError):
                vc.decrypt_field(key, blob, model, res_id, field)
        with self.assertRaises(vc.VaultCryptoError):
            vc.decrypt_field(vc.random_key(), blob, "vp.case", 7, "notes")

    def test_tampered_ciphertext_raises_never_garbage(self):
        key = vc.random_key()
        blob = vc.encrypt_field(key, "x" * 40, "vp.case", 1, "notes")
        raw = bytearray(base64.b64decode(blob[4:]))
        for pos in (0, 13, len(raw) - 1):
            tampered = bytearray(raw)
            tampered[pos] ^= 1
            with self.assertRaises(vc.VaultCryptoError):
                vc.decrypt_field(
                    key, "vp1:" + base64.b64encode(bytes(tampered)).decode(), "vp.case", 1, "notes"
                )
        for junk in ("", "vp1:", "vp1:!!!", "plain text", "vp1:" + "A" * 8):
            with self.assertRaises(vc.VaultCryptoError):
                vc.decrypt_field(key, junk, "vp.case", 1, "notes")

    def test_wrapped_key_only_for_recipient_and_context(self):
        private, public = vc.generate_keypair()
        other_private, _other_public = vc.generate_keypair()
        data_key = vc.random_key()
        wrapped = vc.wrap_key(public, data_key, ("vp.case", 3, 9))
        self.assertEqual(vc.unwrap_key(private, wrapped, ("vp.case", 3, 9)), data_key)
        with self.assertRaises(vc.VaultCryptoError):
            vc.unwrap_key(other_private, wrapped, ("vp.case", 3, 9))
        with self.assertRaises(vc.VaultCryptoError):
            vc.unwrap_key(private, wrapped, ("vp.case", 4, 9))

    def test_kdf_parameters_are_stored_with_the_blob(self):
        private, _public = vc.generate_keypair()
        blob = vc.wrap_with_secret("s3cret passphrase", private, ("u", 1), FAST_KDF)
        self.assertEqual(vc.kdf_params_of(blob)["n"], 2**14)
        self.assertEqual(vc.unwrap_with_secret("s3cret passphrase", blob, ("u", 1)), private)
        # the production default costs at least 2**15
        self.assertGreaterEqual(vault_module.vc.KDF_N_MIN, 2**14)

    def test_recovery_code_format_and_typing_tolerance(self):
        code = vc.generate_recovery_code()
        self.assertRegex(code, r"^([A-Z2-9]{4}-){7}[A-Z2-9]{4}$")
        self.assertEqual(vc.normalize_recovery_code(code.lower().replace("-", " ")), code)


@tagged("post_install", "-at_install")
class TestVault(VaultCase):
    def test_setup_unlock_lock(self):
        vaults = self.vault_env(self.counsellor)
        code = vaults.setup(PASS)
        vault = vaults._vault_of()
        self.assertTrue(vault.public_key)
        self.assertRegex(vault.fingerprint, r"^([0-9A-F]{4} ){15}[0-9A-F]{4}$")
        self.assertNotIn(PASS, vault.sudo().private_key_enc)
        self.assertTrue(code)
        self.assertFalse(vaults.is_vault_unlocked())
        vaults.unlock(PASS)
        self.assertTrue(vaults.is_vault_unlocked())
        self.assertEqual(
            vc.public_from_private(vaults._get_private_key()),
            base64.b64decode(vault.public_key),
        )
        # unlocked for this user only
        self.assertFalse(self.vault_env(self.colleague).is_vault_unlocked())
        self.assertIsNone(self.env["vp.vault"].sudo()._get_private_key())
        vaults.lock()
        self.assertFalse(vaults.is_vault_unlocked())

    def test_only_counsellors_and_only_once(self):
        with self.assertRaises(AccessError):
            self.vault_env(self.employee).setup(PASS)
        vaults = self.vault_env(self.counsellor)
        vaults.setup(PASS)
        with self.assertRaisesRegex(UserError, "already"):
            vaults.setup(PASS2)
        with self.assertRaises(AccessError):
            vaults.create({"user_id": self.colleague.id})

    def test_weak_passphrases_are_refused_with_a_reason(self):
        vaults = self.vault_env(self.counsellor)
        for weak, reason in (
            ("kort", "at least 12"),
            ("wachtwoord123", "common"),
            ("abcdefgh12345", "sequence"),
            ("annavault2024", "own name"),
            ("aaaaaaaaaaaaaaaaaaaa", "repeating"),
        ):
            with self.assertRaisesRegex(UserError, reason):
                vaults.setup(weak)
        self.assertFalse(vaults._vault_of())
        with self.assertRaisesRegex(UserError, "not the same"):
            vaults._do_setup(PASS, PASS2)

    def test_wrong_passphrase_is_refused_counted_and_throttled(self):
        vaults = self.vault_env(self.counsellor)
        vaults.setup(PASS)
        vault = vaults._vault_of()
        self.refused(vaults.unlock, "Wrong passphrase 123!", regex="not correct")
        self.assertFalse(vaults.is_vault_unlocked())
        self.assertEqual(vault.failed_attempts, 1)
        self.assertFalse(vault.blocked_until)
        for _i in range(2):
            self.refused(vaults.unlock, "Wrong passphrase 123!", regex="not correct")
        self.assertEqual(vault.failed_attempts, 3)
        self.assertGreater(vault.blocked_until, fields.Datetime.now())
        # while blocked even the right passphrase is refused (no oracle either)
        self.refused(vaults.unlock, PASS, regex="Too many wrong attempts")
        self.assertFalse(vaults.is_vault_unlocked())
        # each further failure doubles the wait
        vault.sudo().blocked_until = fields.Datetime.now() - timedelta(seconds=1)
        self.refused(vaults.unlock, "Wrong passphrase 123!", regex="not correct")
        self.assertEqual(vault.failed_attempts, 4)
        wait = (vault.blocked_until - fields.Datetime.now()).total_seconds()
        self.assertGreater(wait, vault_module.THROTTLE_BASE_SECONDS * 1.5)
        # once the window is over, the right passphrase works and resets the counter
        vault.sudo().blocked_until = fields.Datetime.now() - timedelta(seconds=1)
        vaults.unlock(PASS)
        self.assertTrue(vaults.is_vault_unlocked())
        self.assertEqual(vault.failed_attempts, 0)

    def test_passphrase_change_rewraps_the_same_key(self):
        vaults = self.vault_env(self.counsellor)
        vaults.setup(PASS)
        vault = vaults._vault_of()
        public = vault.public_key
        old_blob = vault.sudo().private_key_enc
        with self.assertRaisesRegex(UserError, "not correct"):
            vaults.change_passphrase("Not my passphrase!!", PASS2)
        with self.assertRaisesRegex(UserError, "too weak"):
            vaults.change_passphrase(PASS, "short")
        vaults.change_passphrase(PASS, PASS2)
        self.assertNotEqual(vault.sudo().private_key_enc, old_blob)
        self.assertEqual(vault.public_key, public)
        with self.assertRaises(UserError):
            vaults.unlock(PASS)
        vault.sudo().blocked_until = False
        vaults.unlock(PASS2)
        self.assertTrue(vaults.is_vault_unlocked())

    def test_recovery_code_sets_new_passphrase_and_is_one_time(self):
        vaults = self.vault_env(self.counsellor)
        code = vaults.setup(PASS)
        public = vaults._vault_of().public_key
        with self.assertRaisesRegex(UserError, "recovery code is not correct"):
            vaults.recover(vc.generate_recovery_code(), PASS2)
        new_code = vaults.recover(code.lower().replace("-", " "), PASS2)
        self.assertNotEqual(new_code, code)
        self.assertEqual(vaults._vault_of().public_key, public)
        vaults.unlock(PASS2)
        self.assertTrue(vaults.is_vault_unlocked())
        # the used code is spent; the new one works
        with self.assertRaises(UserError):
            vaults.recover(code, "Derde passphrase, nu echt!")
        vaults._vault_of().sudo().blocked_until = False
        vaults.recover(new_code, "Derde passphrase, nu echt!")

    def assert_unlock_fails_closed(self, tamper, regex):
        """A fresh vault of the counsellor, changed by ``tamper(vault)`` (in sudo), refuses
        to unlock with the right passphrase and stays locked."""
        vaults = self.vault_env(self.counsellor)
        vaults.setup(PASS)
        tamper(vaults._vault_of().sudo())
        with self.assertRaisesRegex(UserError, regex):
            vaults.unlock(PASS)
        self.assertFalse(vaults.is_vault_unlocked())

    def test_tampered_private_key_fails_closed(self):
        def flip_a_bit(vault):
            head, body = vault.private_key_enc.rsplit(":", 1)
            raw = bytearray(base64.b64decode(body))
            raw[-1] ^= 1
            vault.private_key_enc = head + ":" + base64.b64encode(bytes(raw)).decode()

        self.assert_unlock_fails_closed(flip_a_bit, "not correct")

    def test_swapped_public_key_is_detected_at_unlock(self):
        def swap_public_key(vault):
            _private, attacker_public = vc.generate_keypair()
            # an administrator replaces the key through SQL (no ORM log possible)
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE vp_vault SET public_key = %s WHERE id = %s",
                (base64.b64encode(attacker_public).decode(), vault.id),
            )
            vault.invalidate_recordset()

        self.assert_unlock_fails_closed(swap_public_key, "replaced")

    def test_idle_timeout_locks(self):
        vaults = self.vault_env(self.counsellor)
        vaults.setup(PASS)
        vaults.unlock(PASS)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("vertrouwenspersoon.vault_idle_minutes", "5")
        slot = (self.env.cr.dbname, self.counsellor.id)
        vault_module._PROCESS_KEYS[slot]["last"] -= 4 * 60
        self.assertTrue(vaults.is_vault_unlocked())
        vault_module._PROCESS_KEYS[slot]["last"] -= 6 * 60
        self.assertFalse(vaults.is_vault_unlocked())
        self.assertNotIn(slot, vault_module._PROCESS_KEYS)
