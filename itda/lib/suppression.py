"""Small-count suppression for pages and files that show aggregates to people who may not see
personal data (the ministry / city viewer). A count of 1 to 4 people could point at a person
in a small region or group, so it is shown as "<5"; 0 is shown as it is (it points at nobody).
A rate is withheld when its numerator or denominator is withheld, or it would give the count
back. (itda 기본값 — 운영지침 확인 필요: the threshold follows the common "fewer than 5" rule
of Korean statistical releases.)"""

from __future__ import annotations

SUPPRESS_BELOW = 5
SUPPRESSED = f"<{SUPPRESS_BELOW}"
RULE_TEXT = (
    f"1~{SUPPRESS_BELOW - 1}명은 '{SUPPRESSED}'로 표시하고, 분자나 분모가 가려진 비율은 "
    "표시하지 않습니다 (itda 기본값 — 운영지침 확인 필요)."
)


def is_suppressed(count: int | None) -> bool:
    """Whether ``count`` is too small to show: 1 to 4."""
    return count is not None and 0 < count < SUPPRESS_BELOW


def shown_count(count: int | None) -> int | str | None:
    """The count as a viewer may see it: "<5" for 1 to 4, else the count itself."""
    return SUPPRESSED if is_suppressed(count) else count
