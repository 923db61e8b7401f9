"""Identifier normalisation catches the same business or person typed differently."""

from itda.lib.normalize import digits, phone_key, text_key


def test_full_width_digits_fold():
    assert digits("１２３-４５-６７８９０") == "1234567890"


def test_phone_variants_collide():
    variants = [
        "010-1234-5678",
        "010 1234 5678",
        "01012345678",
        "+82 10-1234-5678",
        "０１０－１２３４－５６７８",
        "(010)1234-5678",
    ]
    assert {phone_key(v) for v in variants} == {"01012345678"}


def test_company_name_variants_collide():
    assert text_key("(주) 잇다 정밀") == text_key("㈜잇다정밀") == text_key("잇다정밀 주식회사")
