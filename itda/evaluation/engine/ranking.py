"""Aggregation and ranking of evaluation score sheets: one pure, reproducible function.

``rank(RankingInput) -> RankingResult``. Plain data in, plain data out; numpy for the sums; no
Django, no clock, no randomness. The same input in any row order gives the same result, the same
``input_sha256`` and the same JSON, so an operator can freeze the input (``input_to_json``) and
anyone can recompute the confirmed ranking later (``input_from_json`` then ``rank``).

Scoring
-------
* A **sheet total** is ``100 × Σ weightᵢ·scoreᵢ/maxᵢ / Σ weightᵢ``: a perfect sheet is 100 whatever
  the weights and maximum points (weights and maximum points are independent: a criterion may be
  scored out of 10 and weigh 30). See ``sheet_total``.
* ``mean``: an applicant's score is the mean of its sheet totals.
* ``trimmed_mean`` (the usual Korean rule): with at least ``TRIM_MIN_SHEETS`` (5) sheets, exactly
  one highest and one lowest total are dropped and the rest averaged; with fewer sheets, the plain
  mean (``RankRow.trimmed`` says which). Among sheets with equal totals, the one whose evaluator id
  sorts first is dropped as the lowest and the one whose evaluator id sorts last as the highest,
  so the dropped sheets (``RankRow.excluded_evaluators``) are always the same.
* ``zscore`` (removes harsh or lenient evaluators): for each evaluator, the mean and population
  standard deviation of *all* that evaluator's sheet totals in the input; a sheet's
  ``z = (total − mean) / std`` (0 when the evaluator has a single sheet or a standard deviation
  of 0); the applicant's score is a **T-score**, ``50 + 10 × mean z`` of its sheets.
  ``RankRow.raw_total`` keeps the plain mean of the totals for explanation.
* ``criterion_means``: the mean raw score per criterion over the sheets used for the score
  (for the trimmed mean, the same sheets as the total), in the criteria's order: this is the
  breakdown an applicant is shown.

Order and selection
-------------------
* Order: score (descending), then the ``tie_break`` criteria's means (descending, in the stated
  order), then earlier ``submitted_at`` (ISO 8601 with an offset, compared as instants), then the
  application id. The order is total: no two applicants share a rank.
* Scores and criterion means are computed in full precision and then rounded to
  ``SCORE_DECIMALS`` (4) places; ordering and the cut-off compare these rounded numbers, which are
  the ones shown, so two applicants shown with equal scores are always separated by the stated
  tie-break and never by floating-point noise. (The values are first rounded to 9 places to wash
  out that noise, then to 4.)
* Selection walks the order once. An applicant whose score is below ``cutoff`` is
  ``below_cutoff`` (never selected or waitlisted; a score equal to the cut-off passes). Otherwise
  it is ``selected`` when ``total_seats`` is not exhausted and every quota that applies to it
  (``groups[quota.dimension] == quota.value``) has a seat left; else ``not_selected`` with the
  reason. A quota is a cap, not a reservation: the seat goes to the next best applicant who fits.
* Waitlist: the best not-selected applicants, in order, up to ``waitlist_size`` (``None`` = all)
  become ``waitlisted`` with numbers 1..n (their reason still says why they were not selected).
* Applicants without sheets are ``no_scores``: unranked, listed last by id.

Reproducibility
---------------
Sheets are put in a canonical order (application id, evaluator id) before any arithmetic and every
sum runs in that order, so results are bit-for-bit identical however the input rows are ordered.
``input_to_json`` writes the validated input canonically (sorted keys; numbers as floats; quotas by
dimension and value; applicants by id and sheets by application and evaluator id, both as columns,
with each criterion's scores a column keyed by its id); ``RankingResult.input_sha256`` is the
SHA-256 of that text. ``to_json``/``result_from_json`` store a result; both carry
``FORMAT_VERSION``.
Invalid input raises ``RankingInputError`` naming the offending entry (message in Korean).
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

FORMAT_VERSION = 1
TRIM_MIN_SHEETS = 5
SCORE_DECIMALS = 4
_NOISE_DECIMALS = 9
_STD_EPSILON = 1e-9  # sheet totals are on a 0–100 scale; a smaller spread is arithmetic noise
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class Method(StrEnum):
    MEAN = "mean"
    TRIMMED_MEAN = "trimmed_mean"
    ZSCORE = "zscore"


class Status(StrEnum):
    SELECTED = "selected"
    WAITLISTED = "waitlisted"
    NOT_SELECTED = "not_selected"
    BELOW_CUTOFF = "below_cutoff"
    NO_SCORES = "no_scores"


DIMENSION_LABELS = {
    "region": "권역",
    "operating_group": "사업단",
    "track": "트랙",
    "company_type": "기업 유형",
}
# The quota a trainee call's ranking gets from its group's share of the track's national
# target: the seats left of the share when the ranking is computed. Its reason says so in words
# rather than as a dimension=value pair, since applicants read it on their result.
ALLOCATION_DIMENSION = "allocation"


class RankingInputError(ValueError):
    """Invalid ranking input; ``entry`` names the offending entry."""

    def __init__(self, message: str, *, entry: str = "") -> None:
        super().__init__(message)
        self.entry = entry


# ---------------------------------------------------------------------------------------------
# Input and output


@dataclass(frozen=True)
class Criterion:
    """One scored criterion: scores run from 0 to ``max_points``; ``weight`` is its share."""

    id: str
    max_points: float
    weight: float


@dataclass(frozen=True)
class Sheet:
    """One evaluator's scores for one application, in the criteria's order."""

    application_id: str
    evaluator_id: str
    scores: tuple[float, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.scores, tuple):
            object.__setattr__(self, "scores", tuple(self.scores))


@dataclass(frozen=True)
class Applicant:
    """One application: when it was submitted and the groups quotas look at."""

    id: str
    submitted_at: str
    groups: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", dict(self.groups))


@dataclass(frozen=True)
class Quota:
    """At most ``seats`` selected applicants may have ``groups[dimension] == value``."""

    dimension: str
    value: str
    seats: int


@dataclass(frozen=True)
class RankingInput:
    """Everything a ranking depends on; freeze it to recompute the ranking later."""

    criteria: tuple[Criterion, ...]
    applicants: tuple[Applicant, ...]
    sheets: tuple[Sheet, ...]
    method: str = Method.MEAN
    tie_break: tuple[str, ...] = ()
    cutoff: float | None = None
    total_seats: int | None = None
    quotas: tuple[Quota, ...] = ()
    waitlist_size: int | None = None

    def __post_init__(self) -> None:
        for name in ("criteria", "applicants", "sheets", "tie_break", "quotas"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))


@dataclass(frozen=True)
class RankRow:
    """One applicant's place, score and breakdown; ``score`` is rounded to 4 places."""

    application_id: str
    rank: int | None
    score: float | None
    raw_total: float | None
    criterion_means: Mapping[str, float] = field(hash=False)
    sheets_used: int
    sheets_total: int
    trimmed: bool
    excluded_evaluators: tuple[str, ...]
    status: Status
    reason: str
    waitlist_number: int | None


@dataclass(frozen=True)
class RankingResult:
    """The rows in rank order (``no_scores`` last) and the hash of the input they came from."""

    rows: tuple[RankRow, ...]
    input_sha256: str
    method: str
    version: int = FORMAT_VERSION

    @cached_property
    def by_id(self) -> dict[str, RankRow]:
        """The rows by application id."""
        return {row.application_id: row for row in self.rows}

    def row(self, application_id: str) -> RankRow:
        """The row of one application (KeyError when absent)."""
        return self.by_id[application_id]


# ---------------------------------------------------------------------------------------------
# Validation and canonical form


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Real | Decimal)


def _finite(value: Any, what: str, entry: str) -> float:
    if not _is_number(value):
        raise RankingInputError(f"{what}: 숫자가 아닙니다 ({value!r})", entry=entry)
    number = float(value) + 0.0  # + 0.0 turns -0.0 into 0.0, so the canonical JSON is unique
    if not math.isfinite(number):
        raise RankingInputError(f"{what}: 유한한 숫자가 아닙니다 ({value!r})", entry=entry)
    return number


def _count(value: Any, what: str, entry: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise RankingInputError(f"{what}: 0 이상의 정수여야 합니다 ({value!r})", entry=entry)
    return int(value)


def _optional_count(value: Any, what: str, entry: str) -> int | None:
    return None if value is None else _count(value, what, entry)


def _identifier(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise RankingInputError(
            f"{what}: 비어 있지 않은 문자열이어야 합니다 ({value!r})", entry=what
        )
    return value


def _instant(text: Any, entry: str) -> int:
    """Microseconds since the epoch: exact, so instants compare exactly."""
    if not isinstance(text, str):
        raise RankingInputError(
            f"신청 {entry}: 제출 시각은 ISO 8601 문자열이어야 합니다 ({text!r})", entry=entry
        )
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RankingInputError(
            f"신청 {entry}: 제출 시각을 읽을 수 없습니다 ({text!r})", entry=entry
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RankingInputError(
            f"신청 {entry}: 제출 시각에 시간대(오프셋)가 없습니다 ({text!r})", entry=entry
        )
    return (moment - _EPOCH) // _MICROSECOND


@dataclass
class _Prepared:
    """The validated input in canonical order, as arrays and as the canonical JSON document."""

    canonical: dict[str, Any]
    criterion_ids: list[str]
    coefficients: list[float]
    weight_sum: float
    max_points: FloatArray
    method: Method
    tie_break: list[int]
    cutoff: float | None
    total_seats: int | None
    quotas: list[tuple[str, str, int]]
    waitlist_size: int | None
    applicant_ids: list[str]
    submitted_us: IntArray
    groups: list[dict[str, str]]
    evaluator_ids: list[str]
    sheet_app: IntArray
    sheet_evaluator: IntArray
    scores: FloatArray


def _prepare(inp: RankingInput) -> _Prepared:
    if not isinstance(inp, RankingInput):
        raise RankingInputError(f"RankingInput이 아닙니다 ({type(inp).__name__})")

    # Criteria: their order is the order of every sheet's scores, so it is kept as given.
    if not inp.criteria:
        raise RankingInputError("평가 항목(criteria)이 없습니다", entry="criteria")
    criterion_ids: list[str] = []
    maxima: list[float] = []
    weights: list[float] = []
    for criterion in inp.criteria:
        cid = _identifier(getattr(criterion, "id", None), "평가 항목 id")
        if cid in criterion_ids:
            raise RankingInputError(f"평가 항목 id 중복: {cid}", entry=cid)
        top = _finite(criterion.max_points, f"평가 항목 {cid}의 배점", cid)
        if top <= 0:
            raise RankingInputError(f"평가 항목 {cid}: 배점은 0보다 커야 합니다 ({top})", entry=cid)
        weight = _finite(criterion.weight, f"평가 항목 {cid}의 가중치", cid)
        if weight < 0:
            raise RankingInputError(
                f"평가 항목 {cid}: 가중치는 0 이상이어야 합니다 ({weight})", entry=cid
            )
        criterion_ids.append(cid)
        maxima.append(top)
        weights.append(weight)
    weight_sum = math.fsum(weights)
    if weight_sum <= 0:
        raise RankingInputError("평가 항목(criteria)의 가중치 합이 0입니다", entry="criteria")
    criterion_position = {cid: i for i, cid in enumerate(criterion_ids)}

    try:
        method = Method(inp.method)
    except ValueError:
        raise RankingInputError(
            f"알 수 없는 집계 방식(method): {inp.method!r} (mean, trimmed_mean, zscore)",
            entry="method",
        ) from None

    tie_break: list[int] = []
    for cid in inp.tie_break:
        if cid not in criterion_position:
            raise RankingInputError(f"동점 처리 기준에 없는 평가 항목: {cid!r}", entry=str(cid))
        if criterion_position[cid] in tie_break:
            raise RankingInputError(f"동점 처리 기준 중복: {cid}", entry=cid)
        tie_break.append(criterion_position[cid])

    cutoff = None if inp.cutoff is None else _finite(inp.cutoff, "기준 점수(cutoff)", "cutoff")
    total_seats = _optional_count(inp.total_seats, "전체 선정 인원(total_seats)", "total_seats")
    waitlist_size = _optional_count(
        inp.waitlist_size, "예비 순위 인원(waitlist_size)", "waitlist_size"
    )

    quotas: list[tuple[str, str, int]] = []
    seen_quotas: set[tuple[str, str]] = set()
    for quota in inp.quotas:
        dimension = _identifier(getattr(quota, "dimension", None), "정원 구분")
        value = _identifier(getattr(quota, "value", None), f"정원 {dimension}의 값")
        entry = f"{dimension}={value}"
        if (dimension, value) in seen_quotas:
            raise RankingInputError(f"정원 중복: {entry}", entry=entry)
        seen_quotas.add((dimension, value))
        seats = _count(quota.seats, f"정원 {entry}", entry)
        quotas.append((dimension, value, seats))
    quotas.sort()

    # Applicants, by id.
    by_id: dict[str, Applicant] = {}
    for applicant in inp.applicants:
        aid = _identifier(getattr(applicant, "id", None), "신청 id")
        if aid in by_id:
            raise RankingInputError(f"신청 id 중복: {aid}", entry=aid)
        by_id[aid] = applicant
    applicant_ids = sorted(by_id)
    app_index = {aid: i for i, aid in enumerate(applicant_ids)}
    submitted: list[int] = []
    groups: list[dict[str, str]] = []
    for aid in applicant_ids:
        applicant = by_id[aid]
        submitted.append(_instant(applicant.submitted_at, aid))
        for key, value in applicant.groups.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise RankingInputError(
                    f"신청 {aid}: 구분 값은 문자열이어야 합니다 ({key!r}: {value!r})", entry=aid
                )
        groups.append(applicant.groups)  # type: ignore[arg-type]  # a dict since __post_init__

    # Sheets: ids, shape and types here (a fast check over all sheets; the sheet-by-sheet loop
    # only runs to name the offending entry), ranges and duplicates below on arrays.
    n_criteria = len(criterion_ids)
    sheets = inp.sheets
    sheet_evaluators = [sheet.evaluator_id for sheet in sheets]
    sheet_scores = [sheet.scores for sheet in sheets]
    try:
        sheet_apps = [app_index.get(sheet.application_id) for sheet in sheets]
        clean = (
            None not in sheet_apps
            and all(isinstance(eid, str) and eid for eid in set(sheet_evaluators))
            and set(map(len, sheet_scores)) <= {n_criteria}
            and set(map(type, chain.from_iterable(sheet_scores))) <= {int, float}
        )
    except TypeError:  # an unhashable id
        clean = False
    if not clean:
        _check_sheets(sheets, app_index, criterion_ids)
        sheet_apps = [app_index[sheet.application_id] for sheet in sheets]

    evaluator_ids = sorted(set(sheet_evaluators))
    evaluator_index = {eid: i for i, eid in enumerate(evaluator_ids)}
    n_sheets = len(sheet_apps)
    apps = np.asarray(sheet_apps, dtype=np.int64).reshape(n_sheets)
    evaluators = np.fromiter(
        (evaluator_index[eid] for eid in sheet_evaluators), dtype=np.int64, count=n_sheets
    )
    values = np.asarray(sheet_scores, dtype=np.float64).reshape(n_sheets, n_criteria)
    order = np.lexsort((evaluators, apps))
    apps, evaluators, values = apps[order], evaluators[order], values[order]
    values += 0.0

    duplicate = np.flatnonzero((apps[1:] == apps[:-1]) & (evaluators[1:] == evaluators[:-1]))
    if duplicate.size:
        i = int(duplicate[0])
        entry = f"{applicant_ids[apps[i]]}/{evaluator_ids[evaluators[i]]}"
        raise RankingInputError(f"같은 평가위원의 평가표가 둘 이상입니다: {entry}", entry=entry)
    max_points = np.asarray(maxima, dtype=np.float64)
    bad = ~np.isfinite(values) | (values < 0) | (values > max_points)
    if bad.any():
        i, c = (int(x) for x in np.argwhere(bad)[0])
        entry = f"{applicant_ids[apps[i]]}/{evaluator_ids[evaluators[i]]}"
        raise RankingInputError(
            f"평가표 {entry}: 항목 {criterion_ids[c]}의 점수 {values[i, c]!r}가 "
            f"0~{maxima[c]:g} 범위를 벗어났습니다",
            entry=entry,
        )

    canonical = {
        "version": FORMAT_VERSION,
        "method": method.value,
        "criteria": [
            {"id": cid, "max_points": top, "weight": weight}
            for cid, top, weight in zip(criterion_ids, maxima, weights, strict=True)
        ],
        "tie_break": [criterion_ids[c] for c in tie_break],
        "cutoff": cutoff,
        "total_seats": total_seats,
        "quotas": [{"dimension": d, "value": v, "seats": s} for d, v, s in quotas],
        "waitlist_size": waitlist_size,
        # Applicants (by id) and sheets (by application id, evaluator id) as columns: a few
        # large lists instead of one small container per row keep this fast.
        "applicants": {
            "id": applicant_ids,
            "submitted_at": [by_id[aid].submitted_at for aid in applicant_ids],
            "groups": groups,
        },
        "sheets": {
            "application_id": [applicant_ids[a] for a in apps.tolist()],
            "evaluator_id": [evaluator_ids[e] for e in evaluators.tolist()],
            "scores": {cid: values[:, c].tolist() for c, cid in enumerate(criterion_ids)},
        },
    }
    return _Prepared(
        canonical=canonical,
        criterion_ids=criterion_ids,
        coefficients=[w / m for w, m in zip(weights, maxima, strict=True)],
        weight_sum=weight_sum,
        max_points=max_points,
        method=method,
        tie_break=tie_break,
        cutoff=cutoff,
        total_seats=total_seats,
        quotas=quotas,
        waitlist_size=waitlist_size,
        applicant_ids=applicant_ids,
        submitted_us=np.asarray(submitted, dtype=np.int64),
        groups=groups,
        evaluator_ids=evaluator_ids,
        sheet_app=apps,
        sheet_evaluator=evaluators,
        scores=values,
    )


def _check_sheets(
    sheets: tuple[Sheet, ...], app_index: dict[str, int], criterion_ids: list[str]
) -> None:
    """Raise for the first sheet with an unknown application, a bad evaluator id or bad scores."""
    n_criteria = len(criterion_ids)
    for sheet in sheets:
        aid = sheet.application_id
        if not isinstance(aid, str) or aid not in app_index:
            raise RankingInputError(
                f"평가표의 신청 id가 신청 목록에 없습니다: {aid!r} "
                f"(평가위원 {sheet.evaluator_id!r})",
                entry=str(aid),
            )
        eid = sheet.evaluator_id
        if not isinstance(eid, str) or not eid:
            raise RankingInputError(
                f"신청 {aid}의 평가표: 평가위원 id가 올바르지 않습니다 ({eid!r})", entry=aid
            )
        entry = f"{aid}/{eid}"
        if len(sheet.scores) != n_criteria:
            raise RankingInputError(
                f"평가표 {entry}: 점수 {len(sheet.scores)}개, 평가 항목은 {n_criteria}개입니다",
                entry=entry,
            )
        for criterion_id, score in zip(criterion_ids, sheet.scores, strict=True):
            if not _is_number(score):
                raise RankingInputError(
                    f"평가표 {entry}: 항목 {criterion_id}의 점수가 숫자가 아닙니다 ({score!r})",
                    entry=entry,
                )


def _dumps(document: dict[str, Any]) -> str:
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


# ---------------------------------------------------------------------------------------------
# Arithmetic


def sheet_total(criteria: tuple[Criterion, ...] | list[Criterion], scores: Any) -> float:
    """One sheet's total on the 0–100 scale, computed exactly as ``rank`` computes it."""
    weight_sum = math.fsum(float(c.weight) for c in criteria)
    total = 0.0
    for criterion, score in zip(criteria, scores, strict=True):
        total = total + float(score) * (float(criterion.weight) / float(criterion.max_points))
    return total * 100.0 / weight_sum


def _totals(prepared: _Prepared) -> FloatArray:
    totals = np.zeros(len(prepared.sheet_app), dtype=np.float64)
    for c, coefficient in enumerate(prepared.coefficients):
        totals += prepared.scores[:, c] * coefficient
    return totals * 100.0 / prepared.weight_sum


def _shown(values: FloatArray) -> FloatArray:
    """Round to the shown precision, washing out floating-point noise first."""
    return np.round(np.round(values, _NOISE_DECIMALS), SCORE_DECIMALS)


def _per_applicant_mean(
    apps: IntArray, values: FloatArray, counts: FloatArray, n_apps: int
) -> FloatArray:
    sums = np.bincount(apps, weights=values, minlength=n_apps)
    return np.divide(sums, counts, out=np.zeros(n_apps), where=counts > 0)


# ---------------------------------------------------------------------------------------------
# The ranking


def rank(inp: RankingInput) -> RankingResult:
    """Aggregate the sheets, order the applicants and select within seats, quotas and cut-off."""
    p = _prepare(inp)
    digest = hashlib.sha256(_dumps(p.canonical).encode("utf-8")).hexdigest()
    n_apps = len(p.applicant_ids)
    apps, evaluators = p.sheet_app, p.sheet_evaluator
    totals = _totals(p)
    sheet_counts = np.bincount(apps, minlength=n_apps)

    # Which sheets count (the trimmed mean drops one lowest and one highest per applicant).
    used = np.ones(len(apps), dtype=bool)
    trimmed = np.zeros(n_apps, dtype=bool)
    excluded: dict[int, tuple[str, ...]] = {}
    if p.method is Method.TRIMMED_MEAN:
        # Sheets grouped by applicant, by total within it, ties by evaluator id.
        order = np.lexsort((evaluators, np.round(totals, _NOISE_DECIMALS), apps))
        starts = np.cumsum(sheet_counts) - sheet_counts
        trimmed = sheet_counts >= TRIM_MIN_SHEETS
        lowest = order[starts[trimmed]]
        highest = order[starts[trimmed] + sheet_counts[trimmed] - 1]
        used[lowest] = False
        used[highest] = False
        for a, lo, hi in zip(
            np.flatnonzero(trimmed).tolist(), lowest.tolist(), highest.tolist(), strict=True
        ):
            excluded[a] = (p.evaluator_ids[evaluators[lo]], p.evaluator_ids[evaluators[hi]])
    weight = used.astype(np.float64)
    used_counts = np.bincount(apps, weights=weight, minlength=n_apps)
    raw_total = _per_applicant_mean(apps, totals * weight, used_counts, n_apps)
    criterion_means = np.column_stack(
        [
            _per_applicant_mean(apps, p.scores[:, c] * weight, used_counts, n_apps)
            for c in range(len(p.criterion_ids))
        ]
    ).reshape(n_apps, len(p.criterion_ids))

    if p.method is Method.ZSCORE:
        n_evaluators = len(p.evaluator_ids)
        per_evaluator = np.bincount(evaluators, minlength=n_evaluators).astype(np.float64)
        mean = np.bincount(evaluators, weights=totals, minlength=n_evaluators) / np.maximum(
            per_evaluator, 1
        )
        deviation = totals - mean[evaluators]
        variance = np.bincount(
            evaluators, weights=deviation * deviation, minlength=n_evaluators
        ) / np.maximum(per_evaluator, 1)
        std = np.sqrt(variance)[evaluators]
        spread = (std > _STD_EPSILON) & (per_evaluator[evaluators] > 1)
        z = np.divide(deviation, std, out=np.zeros(len(apps)), where=spread)
        score = 50.0 + 10.0 * _per_applicant_mean(apps, z, used_counts, n_apps)
    else:
        score = raw_total

    shown_score = _shown(score)
    shown_total = _shown(raw_total)
    shown_means = _shown(criterion_means)

    # The order: np.lexsort sorts by its last key first.
    scored = np.flatnonzero(sheet_counts > 0)
    keys: list[Any] = [scored, p.submitted_us[scored]]
    keys += [-shown_means[scored, c] for c in reversed(p.tie_break)]
    keys.append(-shown_score[scored])
    ranked = scored[np.lexsort(keys)].tolist()

    statuses, reasons, waitlist = _select(p, ranked, shown_score)

    rows: list[RankRow] = []
    score_list, total_list, means_list = (
        shown_score.tolist(),
        shown_total.tolist(),
        shown_means.tolist(),
    )
    used_list, counts_list, trimmed_list = (
        used_counts.astype(np.int64).tolist(),
        sheet_counts.tolist(),
        trimmed.tolist(),
    )
    for position, a in enumerate(ranked, start=1):
        rows.append(
            RankRow(
                application_id=p.applicant_ids[a],
                rank=position,
                score=score_list[a],
                raw_total=total_list[a],
                criterion_means=dict(zip(p.criterion_ids, means_list[a], strict=True)),
                sheets_used=used_list[a],
                sheets_total=counts_list[a],
                trimmed=trimmed_list[a],
                excluded_evaluators=excluded.get(a, ()),
                status=statuses[a],
                reason=reasons[a],
                waitlist_number=waitlist.get(a),
            )
        )
    for a in np.flatnonzero(sheet_counts == 0).tolist():
        rows.append(
            RankRow(
                application_id=p.applicant_ids[a],
                rank=None,
                score=None,
                raw_total=None,
                criterion_means={},
                sheets_used=0,
                sheets_total=0,
                trimmed=False,
                excluded_evaluators=(),
                status=Status.NO_SCORES,
                reason="평가표 없음",
                waitlist_number=None,
            )
        )
    return RankingResult(rows=tuple(rows), input_sha256=digest, method=p.method.value)


def _number_text(value: float) -> str:
    """A score as shown: at most 4 decimals, no trailing zeros."""
    return f"{value:.{SCORE_DECIMALS}f}".rstrip("0").rstrip(".")


def _quota_reason(dimension: str, value: str, seats: int) -> str:
    if dimension == ALLOCATION_DIMENSION:
        return f"사업단 배정 인원 초과: 남은 배정 {seats}명"
    label = DIMENSION_LABELS.get(dimension)
    prefix = f"{label} 정원 초과" if label else "정원 초과"
    return f"{prefix}: {dimension}={value} ({seats}명)"


def _select(
    p: _Prepared, ranked: list[int], shown_score: FloatArray
) -> tuple[dict[int, Status], dict[int, str], dict[int, int]]:
    """Walk the order once: cut-off, then total seats, then every applicable quota."""
    quota_index = {(d, v): i for i, (d, v, _) in enumerate(p.quotas)}
    dimensions = sorted({d for d, _, _ in p.quotas})
    left = [s for _, _, s in p.quotas]
    scores = shown_score.tolist()
    statuses: dict[int, Status] = {}
    reasons: dict[int, str] = {}
    selected = 0
    for a in ranked:
        if p.cutoff is not None and scores[a] < p.cutoff:
            statuses[a] = Status.BELOW_CUTOFF
            reasons[a] = f"기준 점수 미달: {_number_text(scores[a])} < {_number_text(p.cutoff)}"
            continue
        if p.total_seats is not None and selected >= p.total_seats:
            statuses[a] = Status.NOT_SELECTED
            reasons[a] = f"전체 선정 인원 초과 ({p.total_seats}명)"
            continue
        groups = p.groups[a]
        applicable = [
            quota_index[(d, groups[d])]
            for d in dimensions
            if d in groups and (d, groups[d]) in quota_index
        ]
        full = [q for q in applicable if left[q] <= 0]
        if full:
            statuses[a] = Status.NOT_SELECTED
            reasons[a] = "; ".join(_quota_reason(*p.quotas[q]) for q in full)
            continue
        for q in applicable:
            left[q] -= 1
        selected += 1
        statuses[a] = Status.SELECTED
        reasons[a] = ""

    waitlist: dict[int, int] = {}
    for a in ranked:
        if p.waitlist_size is not None and len(waitlist) >= p.waitlist_size:
            break
        if statuses[a] is Status.NOT_SELECTED:
            waitlist[a] = len(waitlist) + 1
            statuses[a] = Status.WAITLISTED
    return statuses, reasons, waitlist


# ---------------------------------------------------------------------------------------------
# Freezing and recomputing


def input_sha256(inp: RankingInput) -> str:
    """The SHA-256 of the canonical JSON of the input (independent of row order)."""
    return hashlib.sha256(input_to_json(inp).encode("utf-8")).hexdigest()


def input_to_json(inp: RankingInput) -> str:
    """The canonical JSON of a (validated) input: sorted keys, applicants and sheets by id."""
    return _dumps(_prepare(inp).canonical)


def input_from_json(text: str) -> RankingInput:
    """The input frozen by ``input_to_json``."""
    document = json.loads(text)
    if document.get("version") != FORMAT_VERSION:
        raise RankingInputError(
            f"지원하지 않는 입력 형식 버전: {document.get('version')!r}", entry="version"
        )
    criteria, applicants, sheets = document["criteria"], document["applicants"], document["sheets"]
    return RankingInput(
        criteria=tuple(Criterion(**c) for c in criteria),
        applicants=tuple(
            Applicant(id=aid, submitted_at=submitted_at, groups=groups)
            for aid, submitted_at, groups in zip(
                applicants["id"], applicants["submitted_at"], applicants["groups"], strict=True
            )
        ),
        sheets=tuple(
            Sheet(application_id=aid, evaluator_id=eid, scores=scores)
            for aid, eid, scores in zip(
                sheets["application_id"],
                sheets["evaluator_id"],
                zip(*(sheets["scores"][c["id"]] for c in criteria), strict=True),
                strict=True,
            )
        ),
        method=document["method"],
        tie_break=tuple(document["tie_break"]),
        cutoff=document["cutoff"],
        total_seats=document["total_seats"],
        quotas=tuple(Quota(**q) for q in document["quotas"]),
        waitlist_size=document["waitlist_size"],
    )


def to_json(result: RankingResult) -> str:
    """The result as JSON (rows in rank order); equal results give equal text."""
    document = {
        "version": result.version,
        "method": result.method,
        "input_sha256": result.input_sha256,
        "rows": [
            {
                "application_id": r.application_id,
                "rank": r.rank,
                "score": r.score,
                "raw_total": r.raw_total,
                "criterion_means": dict(r.criterion_means),
                "sheets_used": r.sheets_used,
                "sheets_total": r.sheets_total,
                "trimmed": r.trimmed,
                "excluded_evaluators": list(r.excluded_evaluators),
                "status": r.status.value,
                "reason": r.reason,
                "waitlist_number": r.waitlist_number,
            }
            for r in result.rows
        ],
    }
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def result_from_json(text: str) -> RankingResult:
    """A result stored by ``to_json``."""
    document = json.loads(text)
    rows = tuple(
        RankRow(
            **{
                **r,
                "excluded_evaluators": tuple(r["excluded_evaluators"]),
                "status": Status(r["status"]),
            }
        )
        for r in document["rows"]
    )
    return RankingResult(
        rows=rows,
        input_sha256=document["input_sha256"],
        method=document["method"],
        version=document["version"],
    )
