"""Korean that reads right when part of a sentence is data: particles after a word, and the
one-letter weekday that compact dates use (Django's Korean locale spells "D" as "월요일")."""

from __future__ import annotations

import datetime

# Each pair: (after a final consonant, after a vowel). 으로/로 also takes 로 after ㄹ.
_PAIRS = {
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "은/는": ("은", "는"),
    "과/와": ("과", "와"),
    "으로/로": ("으로", "로"),
    "이라/라": ("이라", "라"),
}
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among the final consonants
# Latin letters and digits as Koreans read them aloud: does the spoken word end in a consonant
# (and is it ㄹ)? "PDF" → 에프 (vowel), "KPI" → 아이 (vowel), "3" → 삼 (consonant); a letter
# not listed ends in a vowel.
_SPOKEN_FINAL = {
    **dict.fromkeys("036MN", "consonant"),  # 영 삼 육 엠 엔
    **dict.fromkeys("178LR", "rieul"),  # 일 칠 팔 엘 알
}
WEEKDAYS = "월화수목금토일"


def _final(word: str) -> str:
    """'none', 'consonant' or 'rieul': the sound the word ends with."""
    text = word.rstrip(" )]}'\"’”」』")
    if not text:
        return "none"
    last = text[-1]
    code = ord(last)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        final = (code - _HANGUL_FIRST) % 28
        if final == 0:
            return "none"
        return "rieul" if final == _RIEUL else "consonant"
    return _SPOKEN_FINAL.get(last.upper(), "none")


def josa(word, pair: str) -> str:
    """``word`` and the particle of ``pair`` that fits it: 남동산단 + "이/가" → 남동산단이."""
    word = str(word)
    with_final, without = _PAIRS[pair]
    final = _final(word)
    if pair == "으로/로" and final == "rieul":
        return word + without
    return word + (with_final if final != "none" else without)


def weekday(day: datetime.date) -> str:
    """The one-letter Korean weekday: Monday → 월."""
    return WEEKDAYS[day.weekday()]
