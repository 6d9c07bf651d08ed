# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The receipt code and the Wbk deadlines without Odoo (pytest, no database)."""

from datetime import date

import pytest
from vp_tools import receipt_code as rc
from vp_tools import wbk

CHEAP = {"alg": "scrypt", "n": 2**10, "r": 8, "p": 1}


def test_code_format_and_entropy():
    code = rc.generate()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4] * 6
    assert all(c in rc.ALPHABET for c in "".join(groups))
    assert rc.CODE_LEN * 5 == 120 and rc.SECRET_BITS == 100


def test_codes_differ():
    assert len({rc.generate() for _ in range(200)}) == 200


@pytest.mark.parametrize(
    "typed",
    [
        "7kq2-m9xd-4h1p-zr8c-3w6n-tb5e",
        "7KQ2 M9XD 4H1P ZR8C 3W6N TB5E",
        "7KQ2M9XD4HIPZR8C3W6NTB5E",  # I for 1
        " 7KQ2.M9XD.4HLP.ZR8C.3W6N.TB5E ",  # L for 1
    ],
)
def test_typed_forms_normalise_to_the_same_code(typed):
    assert rc.normalize(typed) == "7KQ2M9XD4H1PZR8C3W6NTB5E"


@pytest.mark.parametrize(
    "bad", ["", "1234", "7KQ2-M9XD-4H1P-ZR8C-3W6N", "UUUU" * 6, "Ä" * 24, None, "x" * 500]
)
def test_malformed_codes_are_refused(bad):
    assert rc.normalize(bad) is None


def test_verifier_checks_the_code_and_gives_the_same_key():
    canonical = rc.normalize(rc.generate())
    stored, key = rc.new_verifier(canonical, CHEAP)
    assert canonical not in stored
    assert rc.check(canonical, stored) == key
    other = rc.normalize(rc.generate())
    assert rc.check(other, stored) is None
    assert rc.params_of(stored)["n"] == 2**10


def test_absurd_parameters_are_refused():
    canonical = rc.normalize(rc.generate())
    stored, _key = rc.new_verifier(canonical, CHEAP)
    with pytest.raises(rc.ReceiptCodeError):
        rc.check(canonical, stored.replace('"n": 1024', '"n": 1073741824'))
    with pytest.raises(rc.ReceiptCodeError):
        rc.check(canonical, "not json")


def test_lookup_id_depends_on_the_first_group_only():
    a = rc.normalize("7KQ2-M9XD-4H1P-ZR8C-3W6N-TB5E")
    b = rc.normalize("7KQ2-0000-0000-0000-0000-0000")
    assert rc.lookup_id(a, "p") == rc.lookup_id(b, "p")
    assert rc.lookup_id(a, "p") != rc.lookup_id(a, "q")
    assert "7KQ2" not in rc.lookup_id(a, "p")


def test_wbk_deadlines():
    assert wbk.confirm_due(date(2026, 1, 28)) == date(2026, 2, 4)
    assert wbk.feedback_due(date(2026, 11, 30)) == date(2027, 2, 28)
    assert wbk.next_due(date(2026, 1, 1), False, False) == date(2026, 1, 8)
    assert wbk.next_due(date(2026, 1, 1), date(2026, 1, 5), False) == date(2026, 4, 5)
    assert wbk.next_due(date(2026, 1, 1), date(2026, 1, 5), date(2026, 3, 1)) is False
