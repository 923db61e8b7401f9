"""사업자등록번호 check digit, against numbers worked out by hand."""

import pytest

from itda.lib.brn import brn_check_digit, brn_format, brn_is_valid, brn_sequence


@pytest.mark.parametrize(
    ("first9", "check"),
    [
        # 2·1+2·3+0·7+8·1+1·3+6·7+2·1+5·3+1·5 = 83, + ⌊1·5/10⌋ = 0 → 83 → (10−3)%10 = 7
        ("220816251", 7),
        # 1+6+28+8+3+0+0+27+45 = 118, + ⌊9·5/10⌋ = 4 → 122 → (10−2)%10 = 8
        ("124810099", 8),
        # all zeros: 0 → (10−0)%10 = 0
        ("000000000", 0),
        # 2·5 = 10, + ⌊2·5/10⌋ = 1 → 11 → 9: the ninth digit counts twice
        ("000000002", 9),
    ],
)
def test_check_digit_matches_hand_computation(first9, check):
    assert brn_check_digit(first9) == check


def test_validity_accepts_dashes_and_rejects_wrong_numbers():
    assert brn_is_valid("2208162517")
    assert brn_is_valid("220-81-62517")
    assert not brn_is_valid("2208162518")  # wrong check digit
    assert not brn_is_valid("220816251")  # nine digits
    assert not brn_is_valid("22081625a7")
    assert brn_format("2208162517") == "220-81-62517"


def test_check_digit_rejects_bad_input():
    with pytest.raises(ValueError):
        brn_check_digit("12345678")


def test_sequence_is_valid_unique_and_deterministic():
    offices = [str(c) for c in range(101, 161)]
    numbers = list(brn_sequence(100_000, offices=offices))
    assert len(set(numbers)) == 100_000
    assert all(len(n) == 10 and brn_is_valid(n) for n in numbers)
    assert numbers == list(brn_sequence(100_000, offices=offices))
    # neighbours come from different tax offices
    assert numbers[0][:3] != numbers[1][:3]


def test_sequence_refuses_more_than_its_capacity():
    with pytest.raises(ValueError):
        list(brn_sequence(4 * 10_000 + 1, offices=["101"]))
