"""Small-count suppression for pages and files that show aggregates to people who may not see
personal data (the ministry / city viewer). A count of 1 to 4 people could point at a person
in a small region or group, so it is shown as "<5"; 0 is shown as it is (it points at nobody).
A rate is withheld when its numerator or denominator is withheld, or it would give the count
back. (itda 기본값 — 운영지침 확인 필요: the threshold follows the common "fewer than 5" rule
of Korean statistical releases.)

Primary suppression alone is not enough where a table shows a total beside its parts: with the
total and all parts but one shown, the hidden part is the total minus the others. So
``suppressed_cells`` also withholds a second cell of every such sum (secondary suppression),
repeating until no sum has exactly one hidden cell: no withheld value can then be recovered by
subtraction. A cell withheld only for that reason is shown as "비공개", not "<5" (it may be
large).

Nor is it enough where the reader sees a series of cumulative counts (the dashboard's monthly
history, one month's report beside the last, the open-data CSV month after month): this
month's count minus last month's gives the month's increase, a withheld count if it is 1–4.
So ``series_suppressed`` walks the series oldest first and also withholds a cell whose count
differs by 1–4 from the last value of that cell the reader was shown (itda 기본값 — 운영지침
확인 필요): every difference between two shown values of a cell is then 0 or at least 5. A
cell withheld only for that reason is shown as "비공개"."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

SUPPRESS_BELOW = 5
SUPPRESSED = f"<{SUPPRESS_BELOW}"
WITHHELD = "비공개"
RULE_TEXT = (
    f"1~{SUPPRESS_BELOW - 1}명은 '{SUPPRESSED}'로 표시하고, 합계와 나머지 칸으로 가린 값을 "
    f"계산해 낼 수 없도록 같은 합계의 다른 칸 하나를 더 '{WITHHELD}'로 가리며, 분자나 분모가 "
    "가려진 비율은 표시하지 않습니다. 월별 누적 인원은 직전에 공개한 달의 값과 1~4명 차이 나면 "
    f"'{WITHHELD}'로 가려, 두 달을 빼서 5명 미만의 증감을 알 수 없게 합니다 "
    "(itda 기본값 — 운영지침 확인 필요)."
)

K = TypeVar("K", bound=Hashable)


def is_suppressed(count: int | None) -> bool:
    """Whether ``count`` is too small to show: 1 to 4."""
    return count is not None and 0 < count < SUPPRESS_BELOW


def shown_count(count: int | None) -> int | str | None:
    """The count as a viewer may see it: "<5" for 1 to 4, else the count itself."""
    return SUPPRESSED if is_suppressed(count) else count


def suppressed_cells(
    values: Mapping[K, int], sums: Iterable[tuple[K, Sequence[K]]], also: Iterable[K] = ()
) -> set[K]:
    """The cells of ``values`` a viewer may not see: every count of 1–4 (and the cells of
    ``also``, withheld for another reason), and for each sum
    (total cell, its part cells) that would otherwise have exactly one hidden cell, one more —
    the smallest shown non-zero part (least information lost), else the total. Repeated until
    every sum hides none or at least two of its cells, since hiding a cell can expose another
    sum it belongs to. Cells missing from ``values`` count as 0."""
    sums = [(total, list(parts)) for total, parts in sums if parts]
    hidden = {cell for cell, value in values.items() if is_suppressed(value)} | set(also)
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            cells = [total, *parts]
            if sum(cell in hidden for cell in cells) != 1:
                continue
            shown = [p for p in parts if p not in hidden]
            nonzero = [p for p in shown if values.get(p, 0)]
            # Not a zero part: a page may leave zero rows out, and a reader who sees the total
            # and no other row would take the hidden part to be the total.
            fallback = [total] if total not in hidden else shown
            hidden.add(min(nonzero or fallback, key=lambda c: values.get(c, 0)))
            changed = True
    return hidden


def series_suppressed(
    points: Sequence[Mapping[K, int]], sums: Iterable[tuple[K, Sequence[K]]]
) -> list[set[K]]:
    """The cells withheld at each point of a series of cumulative counts (oldest first, each
    point's cells with the same ``sums`` as ``suppressed_cells``): at each point, the cells
    ``suppressed_cells`` withholds, with every cell whose count differs by 1–4 (up or down)
    from the last value of it that was shown seeded into them. A cell never shown before is
    compared with 0 (before the series nothing was counted)."""
    sums = list(sums)
    last: dict[K, int] = {}
    withheld = []
    for values in points:
        cells = set(values) | set(last)
        moved = {c for c in cells if is_suppressed(abs(values.get(c, 0) - last.get(c, 0)))}
        hidden = suppressed_cells(values, sums, also=moved)
        last.update({c: values.get(c, 0) for c in cells if c not in hidden})
        withheld.append(hidden)
    return withheld


def shown_value(cell: K, values: Mapping[K, int], hidden: set[K]) -> int | str:
    """``cell`` as a viewer may see it, given ``hidden`` from ``suppressed_cells``."""
    value = values.get(cell, 0)
    if cell not in hidden:
        return value
    return SUPPRESSED if is_suppressed(value) else WITHHELD
