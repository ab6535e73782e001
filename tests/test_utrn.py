"""UTRNs: the GBCS Verhoeff check digit, household error wording, decode, issue and masking."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from device_backend import utrn
from device_backend.utrn import UtrnError, UtrnFields, UtrnReason, ValueClass

WORKED = "73942983744751930738"  # GBCS worked example: 150p, counter 1, check digit 8
KEY = b"simulated supplier top-up key"
METER = "00-1A-2B-3C-4D-5E-6F-70"


# --- Check digit -------------------------------------------------------------------------------


def test_worked_example_check_digit_is_8() -> None:
    assert utrn.check_digit(WORKED[:19]) == 8
    assert utrn.validate_utrn(WORKED) == WORKED


@pytest.mark.parametrize("position", range(20))
def test_every_single_digit_change_fails(position: int) -> None:
    original = WORKED[position]
    for digit in "0123456789":
        if digit == original:
            continue
        changed = WORKED[:position] + digit + WORKED[position + 1 :]
        with pytest.raises(UtrnError) as caught:
            utrn.validate_utrn(changed)
        assert caught.value.reason is UtrnReason.CHECK_DIGIT, changed


def test_adjacent_transpositions_fail() -> None:
    for i in range(19):
        a, b = WORKED[i], WORKED[i + 1]
        if a != b:
            swapped = WORKED[:i] + b + a + WORKED[i + 2 :]
            assert not utrn.is_valid_utrn(swapped), swapped


def test_tables_are_verhoeff() -> None:
    # Each permutation row is row 1 applied again, and the multiplication table is D5.
    perm = utrn._PERMUTE
    for k in range(2, 8):
        assert perm[k] == tuple(perm[1][x] for x in perm[k - 1])
    mult = utrn._MULTIPLY
    for a in range(10):
        assert sorted(mult[a]) == list(range(10))
        assert sum(1 for b in range(10) if mult[a][b] == 0) == 1


def test_gbcs_inverse_table_means_start_row_4() -> None:
    # The GBCS inverse table is "the digit that, permuted by the row after the 19th digit,
    # zeroes the running product". Rows start at 4, so that row is (4 + 19) % 8 = 7; any
    # other start row would give a different table.
    row = (utrn._FIRST_PERMUTATION_ROW + 19) % 8
    derived = tuple(
        next(d for d in range(10) if utrn._MULTIPLY[c][utrn._PERMUTE[row][d]] == 0)
        for c in range(10)
    )
    assert derived == utrn._GBCS_INVERSE == (1, 2, 6, 7, 5, 8, 3, 0, 9, 4)
    assert utrn._fold(WORKED) == 0


def test_check_digit_wants_19_digits() -> None:
    with pytest.raises(ValueError, match="exactly 19 digits"):
        utrn.check_digit(WORKED)
    with pytest.raises(ValueError, match="exactly 19 digits"):
        utrn.check_digit("7394298374475193a73")


# --- Validation wording ------------------------------------------------------------------------


def test_spaces_and_dashes_are_ignored() -> None:
    assert utrn.validate_utrn("7394 2983-7447 5193 0738 ") == WORKED
    assert utrn.validate_utrn("7394\u20132983\u00a07447 5193 0738") == WORKED
    # Full-width digits from a phone keyboard are the same digits.
    full_width = "".join(chr(0xFF10 + int(d)) for d in WORKED)  # U+FF10..U+FF19
    assert utrn.validate_utrn(full_width) == WORKED


@pytest.mark.parametrize(
    ("text", "reason", "message"),
    [
        (WORKED[:19], UtrnReason.LENGTH, "A top-up code has 20 digits; you entered 19."),
        (WORKED + "1", UtrnReason.LENGTH, "A top-up code has 20 digits; you entered 21."),
        ("", UtrnReason.LENGTH, "A top-up code has 20 digits; you entered none."),
        ("7394 2983 7447 5193 073O", UtrnReason.NOT_DIGITS, "only the digits 0 to 9"),
        ("7394298374475193073\u0663", UtrnReason.NOT_DIGITS, "only the digits 0 to 9"),
        (
            "73942983744751930739",
            UtrnReason.CHECK_DIGIT,
            "That code is not valid: please check the digits.",
        ),
    ],
)
def test_errors_speak_to_the_household(text: str, reason: UtrnReason, message: str) -> None:
    with pytest.raises(UtrnError, match=message) as caught:
        utrn.validate_utrn(text)
    assert caught.value.reason is reason
    assert isinstance(caught.value, ValueError)


# --- Decode ------------------------------------------------------------------------------------


def test_worked_example_decodes() -> None:
    fields = utrn.decode_utrn(WORKED)
    assert fields == UtrnFields(counter=1, value_class=ValueClass.PENCE, value=150, mac=0x748D9AF1)
    assert fields.value_pence == 150
    assert fields.ptut == 0x8096748D9AF1


def test_pounds_class_value_pence() -> None:
    fields = UtrnFields(counter=0, value_class=1, value=20, mac=0)  # type: ignore[arg-type]
    assert fields.value_class is ValueClass.POUNDS
    assert fields.value_pence == 2000


def test_code_below_the_offset_is_not_a_top_up() -> None:
    pptd = str(utrn.PPTD_OFFSET - 1)
    code = pptd + str(utrn.check_digit(pptd))
    assert utrn.is_valid_utrn(code)  # the PPMID's local checks pass...
    with pytest.raises(UtrnError) as caught:
        utrn.decode_utrn(code)  # ...but it carries no token
    assert caught.value.reason is UtrnReason.NOT_A_TOP_UP


@pytest.mark.parametrize("ptut", [1 << 57, (0b10 << 45)])
def test_top_bits_or_undefined_class_is_not_a_top_up(ptut: int) -> None:
    pptd = str(utrn.PPTD_OFFSET + ptut)
    code = pptd + str(utrn.check_digit(pptd))
    with pytest.raises(UtrnError) as caught:
        utrn.decode_utrn(code)
    assert caught.value.reason is UtrnReason.NOT_A_TOP_UP


def test_fields_reject_out_of_range() -> None:
    with pytest.raises(ValueError, match="counter is 10 bits"):
        UtrnFields(counter=1024, value_class=ValueClass.PENCE, value=0, mac=0)
    with pytest.raises(ValueError, match="value is 13 bits"):
        UtrnFields(counter=0, value_class=ValueClass.PENCE, value=8192, mac=0)
    with pytest.raises(ValueError, match="not a valid ValueClass"):
        UtrnFields(counter=0, value_class=2, value=0, mac=0)  # type: ignore[arg-type]


# --- Issue -------------------------------------------------------------------------------------


def test_issue_small_amount_in_pence() -> None:
    code = utrn.issue_utrn(KEY, 7, 1500, METER)
    fields = utrn.decode_utrn(code)
    assert (fields.counter, fields.value_class, fields.value) == (7, ValueClass.PENCE, 1500)
    assert utrn.verify_mac(KEY, METER, fields)


def test_issue_large_amount_in_whole_pounds() -> None:
    fields = utrn.decode_utrn(utrn.issue_utrn(KEY, 3, 10_000, METER))
    assert fields.value_class is ValueClass.POUNDS
    assert (fields.value, fields.value_pence) == (100, 10_000)


@pytest.mark.parametrize("pence", [8192 + 1, 10_001, 819_100 + 100, -1])
def test_issue_refuses_what_a_utrn_cannot_carry(pence: int) -> None:
    with pytest.raises(ValueError, match=r"whole pounds|cannot exceed|cannot be negative"):
        utrn.issue_utrn(KEY, 0, pence, METER)


def test_issue_boundaries() -> None:
    assert utrn.decode_utrn(utrn.issue_utrn(KEY, 0, 8191, METER)).value_class is ValueClass.PENCE
    top = utrn.decode_utrn(utrn.issue_utrn(KEY, 1023, 819_100, METER))
    assert (top.counter, top.value_class, top.value) == (1023, ValueClass.POUNDS, 8191)


def test_mac_binds_key_meter_and_value() -> None:
    fields = utrn.decode_utrn(utrn.issue_utrn(KEY, 9, 2000, METER))
    assert utrn.verify_mac(KEY, "001a2b3c4d5e6f70", fields)  # same meter, other spelling
    assert not utrn.verify_mac(b"another key", METER, fields)
    assert not utrn.verify_mac(KEY, "00-1A-2B-3C-4D-5E-6F-71", fields)
    tampered = dataclasses.replace(fields, value=fields.value + 1)
    assert not utrn.verify_mac(KEY, METER, tampered)
    # A tampered code is still well formed: only the meter's MAC check can catch it.
    assert utrn.is_valid_utrn(utrn.encode_utrn(tampered))


def test_issue_needs_a_key_and_a_meter() -> None:
    with pytest.raises(ValueError, match="key must be non-empty"):
        utrn.issue_utrn(b"", 0, 100, METER)
    with pytest.raises(ValueError, match="meter id is needed"):
        utrn.issue_utrn(KEY, 0, 100, " - ")


@given(
    counter=st.integers(0, utrn.MAX_COUNTER),
    pence=st.one_of(
        st.integers(0, utrn.MAX_VALUE),
        st.integers(utrn.MAX_VALUE // 100 + 1, utrn.MAX_VALUE).map(lambda pounds: pounds * 100),
    ),
    key=st.binary(min_size=1, max_size=64),
)
def test_issue_decode_round_trip(counter: int, pence: int, key: bytes) -> None:
    code = utrn.issue_utrn(key, counter, pence, METER)
    assert len(code) == 20
    assert code.isascii()
    assert code.isdigit()
    fields = utrn.decode_utrn(code)
    assert fields.counter == counter
    assert fields.value_pence == pence
    assert utrn.verify_mac(key, METER, fields)
    assert utrn.encode_utrn(fields) == code


@given(
    counter=st.integers(0, utrn.MAX_COUNTER),
    value_class=st.sampled_from(ValueClass),
    value=st.integers(0, utrn.MAX_VALUE),
    mac=st.integers(0, 0xFFFFFFFF),
)
def test_encode_decode_round_trip(
    counter: int, value_class: ValueClass, value: int, mac: int
) -> None:
    fields = UtrnFields(counter=counter, value_class=value_class, value=value, mac=mac)
    assert utrn.decode_utrn(utrn.encode_utrn(fields)) == fields


# --- Display -----------------------------------------------------------------------------------


def test_group_utrn() -> None:
    assert utrn.group_utrn(WORKED) == "7394 2983 7447 5193 0738"
    assert utrn.group_utrn("739429") == "7394 29"  # part-typed
    assert utrn.group_utrn("7394-2983 7447") == "7394 2983 7447"


def test_mask_utrn() -> None:
    assert utrn.mask_utrn(WORKED) == "**** **** **** **** 0738"
    assert utrn.mask_utrn("7394 2983 7447 5193 0738") == "**** **** **** **** 0738"
    assert utrn.mask_utrn(WORKED[:19]) == "*** **** **** **** 3073"
    assert utrn.mask_utrn("739429") == "** ****"  # too short to show any of it
    assert utrn.mask_utrn("") == ""


@given(st.text(max_size=40))
def test_mask_never_shows_more_than_four_characters(text: str) -> None:
    masked = utrn.mask_utrn(text)
    assert sum(1 for c in masked if c not in "* ") <= 4
