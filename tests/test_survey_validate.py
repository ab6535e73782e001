"""Survey fields refuse bad entries with a reason: MPAN check digit, MPRN, postcode, ranges, secrets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from device_backend.survey import fields as f
from device_backend.survey.validate import FieldError, check

WEIGHTS = (3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43)


def with_check_digit(first12: str) -> str:
    return first12 + str(sum(w * int(d) for w, d in zip(WEIGHTS, first12, strict=True)) % 11 % 10)


def refused(name: str, text: str) -> str:
    with pytest.raises(FieldError) as caught:
        check(f.spec(name), text)
    return str(caught.value)


def test_a_valid_mpan_core_is_accepted_with_spaces_removed() -> None:
    assert check(f.spec("supply.mpan"), "14 1234 5678 901") == "1412345678901"


def test_a_full_21_character_mpan_is_accepted() -> None:
    assert check(f.spec("supply.mpan"), "S 01 801 100 1412345678901") == "018011001412345678901"


def test_a_wrong_mpan_check_digit_is_refused_with_the_reason() -> None:
    message = refused("supply.mpan", "1412345678902")
    assert "check digit" in message
    assert "mistyped" in message


def test_an_mpan_of_the_wrong_length_says_how_many_digits() -> None:
    assert "13 digits; this has 12" in refused("supply.mpan", "141234567890")


def test_an_mpan_with_no_such_distributor_is_refused() -> None:
    assert "distributor" in refused("supply.mpan", with_check_digit("991234567890"))


@given(st.integers(10, 23), st.integers(0, 10**10 - 1), st.integers(1, 9))
def test_any_core_with_its_check_digit_passes_and_any_other_digit_fails(
    distributor: int, rest: int, shift: int
) -> None:
    good = with_check_digit(f"{distributor:02d}{rest:010d}")
    assert check(f.spec("supply.mpan"), good) == good
    bad = good[:-1] + str((int(good[-1]) + shift) % 10)
    with pytest.raises(FieldError, match="check digit"):
        check(f.spec("supply.mpan"), bad)


@pytest.mark.parametrize("text", ["123456", "1234567890", "12 345 678"])
def test_mprn_of_6_to_10_digits_is_accepted(text: str) -> None:
    assert check(f.spec("supply.mprn"), text) == text.replace(" ", "")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("12345", "6 to 10 digits; this has 5"),
        ("12345678901", "this has 11"),
        ("12A456", "digits only"),
    ],
)
def test_bad_mprn_is_refused(text: str, words: str) -> None:
    assert words in refused("supply.mprn", text)


def test_postcode_is_tidied_and_a_bad_one_refused() -> None:
    assert check(f.spec("job.postcode"), "bd249aa") == "BD24 9AA"
    assert "UK postcode" in refused("job.postcode", "12345")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("esme", "esme"),
        ("Landing-2", "landing-2"),
        ("00-1A-2B-3C-00-00-E1-04", "00:1a:2b:3c:00:00:e1:04"),
        ("001a2b3c0000e104", "00:1a:2b:3c:00:00:e1:04"),
    ],
)
def test_position_names_are_words_or_device_addresses(text: str, value: str) -> None:
    assert check(f.spec("pos.hub.name"), text) == value


@pytest.mark.parametrize("text", ["2nd floor", "bedroom 2", "a" * 40, "00:1a:2b"])
def test_other_position_names_are_refused(text: str) -> None:
    assert "position name" in refused("pos.hub.name", text)


def test_numbers_out_of_range_are_refused_naming_the_range() -> None:
    assert "between -150 and -20 dBm" in refused("wan.signal_dbm", "-160")
    assert "between 1 and 100" in refused("property.floors", "0")
    assert "whole number" in refused("property.floors", "2.5")
    assert "use a point, not a comma" in refused("sep.hub-gsme.distance_m", "12,5")
    assert check(f.spec("sep.hub-gsme.distance_m"), "12.50") == "12.5"
    assert check(f.spec("wan.signal_dbm"), "\u221297") == "-97"  # a typographic minus


def test_choices_must_be_one_of_the_list() -> None:
    assert check(f.spec("property.construction"), "Stone") == "stone"
    assert "Choose one of: brick, stone" in refused("property.construction", "wattle")


def test_notes_refuse_anything_that_looks_like_an_install_code_or_key() -> None:
    message = refused("outcome.notes", "code 83FE D340 7A93 9723 A5C6 39B2 6916 D505 C3B5")
    assert "install code" in message
    assert "install code" in refused("property.materials", "key 5A6967426565416C6C69616E63653039")
    # A device address written with colons is not a secret.
    assert check(f.spec("outcome.notes"), "ESME 00:1a:2b:3c:00:00:e1:04 in cellar")


def test_an_empty_field_is_no_value_not_an_error() -> None:
    assert check(f.spec("supply.mpan"), "   ") is None


# Known good and bad MPANs from the `mpan` package (limejump/mpan: docs/validation.md and
# tests/test_mpan.py), which the survey relied on before it had its own check: the same numbers
# get the same verdicts as that package's is_valid, each refusal with its own reason.
@pytest.mark.parametrize("number", ["2499999999991", "1030006718997", "001112221312345678907"])
def test_mpans_the_mpan_package_calls_valid_are_accepted(number: str) -> None:
    assert check(f.spec("supply.mpan"), number) == number


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("2499999999990", "check digit does not match"),
        ("1099999999997", "check digit does not match"),  # parsed there, but not valid
        ("018011002099999999386", "check digit does not match"),
        ("8699999999991", "starts with its distributor (10 to 38); 86 is not one"),
        ("991112221312345678907", "top line (profile class or meter time-switch code)"),
        ("000002221312345678907", "top line (profile class or meter time-switch code)"),
        ("Not an MPAN", "not an MPAN"),
        ("42", "13 digits; this has 2"),
        ("01801100209999999938X", "not an MPAN"),
    ],
)
def test_mpans_the_mpan_package_calls_invalid_are_refused_with_the_reason(
    number: str, reason: str
) -> None:
    assert reason in refused("supply.mpan", number)
