"""Writes for evaluation: conflicts, assignment, score sheets, rankings, publication, appeals.

The maths lives in ``itda.evaluation.engine`` (pure); these functions adapt rows to it and
back, inside transactions, leaving a trail.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.evaluation.engine import assignment as assignment_engine
from itda.evaluation.engine import ranking as ranking_engine
from itda.evaluation.models import (
    Appeal,
    AppealStatus,
    Assignment,
    ConflictOfInterest,
    ConflictSource,
    Criterion,
    Evaluator,
    EvaluatorRelation,
    Panel,
    PanelStatus,
    Ranking,
    RankingStatus,
    Scheme,
    Score,
    ScoreSheet,
    SheetStatus,
)
from itda.evaluation.selectors import selected_in_share
from itda.lib.normalize import digits, text_key
from itda.programs import plans
from itda.programs import services as programs_services
from itda.programs.models import OperatingGroup, Programme, Region, TrackAllocation
from itda.recruitment.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Call,
    CallKind,
    Result,
    Screening,
)
from itda.recruitment.notices import results_notify
from itda.recruitment.services import call_has_applications, require_closed


class EvaluationError(ValidationError):
    """A request the evaluation rules refuse; the message is Korean."""


def evaluated_applications(call: Call):
    """The applications that go to the panel: submitted and found eligible."""
    return Application.objects.filter(
        call=call, status=ApplicationStatus.SUBMITTED, screening=Screening.ELIGIBLE
    )


# --- Conflicts of interest -------------------------------------------------------------------


@transaction.atomic
def conflict_declare(
    *,
    evaluator: Evaluator,
    application: Application,
    note: str,
) -> ConflictOfInterest:
    """An evaluator declares a conflict; from now on they can neither see nor score it."""
    conflict, _ = ConflictOfInterest.objects.get_or_create(
        evaluator=evaluator,
        application=application,
        defaults={"source": ConflictSource.DECLARED, "note": note[:300]},
    )
    _drop_unfinished_assignments([(application.pk, evaluator.pk)])
    return conflict


def scoring_started(call: Call) -> bool:
    """Whether anyone has begun a score sheet on the call's applications."""
    return ScoreSheet.objects.filter(assignment__application__call=call).exists()


@transaction.atomic
def conflict_withdraw(*, conflict: ConflictOfInterest, evaluator: Evaluator) -> None:
    """An evaluator withdraws a conflict they declared themselves (one found from a relation or
    the registry is not theirs to withdraw), only while nobody has begun scoring the call: once
    scoring is under way a declared conflict stands. The application is not re-assigned here;
    the call's staff run the assignment again."""
    conflict = (
        ConflictOfInterest.objects.select_for_update()
        .select_related("application__call")
        .filter(pk=conflict.pk)
        .first()
    )
    if conflict is None or conflict.evaluator_id != evaluator.pk:
        raise EvaluationError("본인이 신고한 이해충돌만 철회할 수 있습니다.")
    if conflict.source != ConflictSource.DECLARED:
        raise EvaluationError(
            "자동으로 확인된 이해충돌은 철회할 수 없습니다. 이해관계 신고 내용을 확인하세요."
        )
    if scoring_started(conflict.application.call):
        raise EvaluationError("이 공고는 평가가 시작되어 이해충돌 신고를 철회할 수 없습니다.")
    conflict.delete()


def _drop_unfinished_assignments(pairs) -> int:
    """Unfinished assignments (no sheet, or a draft) of conflicted (application, evaluator)
    pairs go, with their drafts; a submitted sheet stays for the panel chair to void."""
    q = Q(pk__in=[])
    for application_id, evaluator_id in pairs:
        q |= Q(application_id=application_id, evaluator_id=evaluator_id)
    ids = list(
        Assignment.objects.filter(q)
        .filter(Q(sheet__isnull=True) | Q(sheet__status=SheetStatus.DRAFT))
        .values_list("pk", flat=True)
    )
    ScoreSheet.objects.filter(assignment_id__in=ids).delete()  # scores cascade
    Assignment.objects.filter(pk__in=ids).delete()
    return len(ids)


@transaction.atomic
def evaluator_relation_add(
    *, evaluator: Evaluator, kind: str, organisation_name: str = "", business_number: str = ""
) -> tuple[EvaluatorRelation, int]:
    """An evaluator declares a relation; the conflicts it reveals in their open panels are
    recorded at once. Returns the relation and how many new conflicts it brought."""
    relation = EvaluatorRelation(
        evaluator=evaluator,
        kind=kind,
        organisation_name=organisation_name.strip(),
        business_number=digits(business_number),
    )
    relation.full_clean()
    relation.save()
    before = ConflictOfInterest.objects.filter(evaluator=evaluator).count()
    for panel in (
        Panel.objects.filter(members=evaluator, status=PanelStatus.OPEN)
        .select_related("call")
        .order_by("pk")
    ):
        conflicts_detect(call=panel.call)
    return relation, ConflictOfInterest.objects.filter(evaluator=evaluator).count() - before


def _detected(
    application: Application,
    evaluator: Evaluator,
    relations: list[EvaluatorRelation],
    evaluator_groups: set[int],
) -> tuple | None:
    number = digits(
        application.company.business_number
        if application.company_id
        else application.organisation_number
    )
    name = text_key(application.applicant_name)
    for relation in relations:
        if relation.business_number and number and digits(relation.business_number) == number:
            return ConflictSource.SAME_BUSINESS, f"신고한 관계: {relation.get_kind_display()}"
        if relation.organisation_name and text_key(relation.organisation_name) == name:
            return ConflictSource.SAME_ORGANISATION, f"신고한 관계: {relation.get_kind_display()}"
    if text_key(evaluator.affiliation) == name:
        return ConflictSource.SAME_ORGANISATION, "평가위원 소속과 신청 기관이 같음"
    call = application.call
    if call.kind == CallKind.TRAINEE and call.operating_group_id in evaluator_groups:
        return ConflictSource.SAME_GROUP, "같은 사업단 소속"
    return None


@transaction.atomic
def conflicts_detect(*, call: Call) -> int:
    """Record every automatically detectable conflict between the call's panel and its
    applications; returns how many new ones."""
    panel = Panel.objects.get(call=call)
    evaluators = list(panel.members.prefetch_related("relations"))
    applications = list(evaluated_applications(call).select_related("company", "call", "region"))
    existing = set(
        ConflictOfInterest.objects.filter(application__call=call).values_list(
            "application_id", "evaluator_id"
        )
    )
    new = []
    for evaluator in evaluators:
        relations = list(evaluator.relations.all())
        groups = set(
            evaluator.user.operating_groups.values_list("pk", flat=True)
            if evaluator.user_id
            else []
        )
        for application in applications:
            if (application.pk, evaluator.pk) in existing:
                continue
            found = _detected(application, evaluator, relations, groups)
            if found:
                new.append(
                    ConflictOfInterest(
                        evaluator=evaluator, application=application, source=found[0], note=found[1]
                    )
                )
    ConflictOfInterest.objects.bulk_create(new)
    _drop_unfinished_assignments((c.application_id, c.evaluator_id) for c in new)
    return len(new)


# --- Assignment ------------------------------------------------------------------------------


def _expertise_fit(evaluator: Evaluator, application: Application) -> int:
    words = {w for w in evaluator.expertise.replace(",", " ").split() if len(w) > 1}
    # The industry as submitted (a trainee's snapshot has none).
    industry = application.profile_snapshot.get("industry", "")
    return sum(1 for w in words if w in industry)


@transaction.atomic
def assignment_run(*, call: Call, seed: int = 0) -> assignment_engine.AssignmentResult:
    """(Re)assign the panel to the call's applications: k each, loads within ±1, never a
    conflicted pair; finished sheets stay where they are and current pairs are kept if they can."""
    require_closed(call, error=EvaluationError)
    panel = Panel.objects.select_for_update(of=("self",)).get(call=call)
    if panel.status == PanelStatus.CLOSED:
        raise EvaluationError("마감된 평가위원회입니다.")
    conflicts_detect(call=call)
    applications = list(evaluated_applications(call).order_by("pk"))
    evaluators = list(panel.members.order_by("pk"))
    current = list(
        Assignment.objects.filter(application__call=call).select_related("sheet").order_by("pk")
    )
    # A submitted sheet stays, even when its evaluator has left the panel since.
    finished = {
        (a.application_id, a.evaluator_id)
        for a in current
        if hasattr(a, "sheet") and a.sheet.status != SheetStatus.DRAFT
    }
    inp = assignment_engine.AssignmentInput(
        applications=tuple(str(a.pk) for a in applications),
        evaluators=tuple(str(e.pk) for e in evaluators),
        k=call.scheme.evaluators_per_application,
        conflicts=frozenset(
            (str(a), str(e))
            for a, e in ConflictOfInterest.objects.filter(application__call=call).values_list(
                "application_id", "evaluator_id"
            )
        ),
        keep=frozenset((str(a), str(e)) for a, e in finished),
        prefer=frozenset((str(a.application_id), str(a.evaluator_id)) for a in current),
        expertise={
            (str(a.pk), str(e.pk)): fit
            for a in applications
            for e in evaluators
            if (fit := _expertise_fit(e, a))
        },
        seed=seed,
    )
    try:
        result = assignment_engine.assign_evaluators(inp)
    except assignment_engine.AssignmentInfeasible as exc:
        raise EvaluationError(str(exc)) from exc
    wanted = {(int(a), int(e)) for a, e in result.pairs}
    have = {(a.application_id, a.evaluator_id): a for a in current}
    stale = [a.pk for pair, a in have.items() if pair not in wanted and pair not in finished]
    # Draft sheets of dropped pairs go with them; submitted ones are never touched.
    ScoreSheet.objects.filter(assignment_id__in=stale, status=SheetStatus.DRAFT).delete()
    Assignment.objects.filter(pk__in=stale).delete()
    Assignment.objects.bulk_create(
        [Assignment(application_id=a, evaluator_id=e) for a, e in sorted(wanted - set(have))]
    )
    return result


# --- Score sheets ----------------------------------------------------------------------------


@transaction.atomic
def sheet_save(
    *,
    assignment: Assignment,
    points: dict[str, Decimal],
    comments: dict[str, str],
    comment: str = "",
    submit: bool = False,
    now: datetime.datetime | None = None,
) -> ScoreSheet:
    """Save (and optionally submit) an evaluator's sheet: every score within its bounds, and a
    comment wherever a score is at an extreme (0 or the maximum)."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__call__panel", "application__call__scheme")
        .get(pk=assignment.pk)
    )
    application = assignment.application
    if ConflictOfInterest.objects.filter(
        evaluator_id=assignment.evaluator_id, application=application
    ).exists():
        raise EvaluationError("이해충돌이 있는 신청서는 평가할 수 없습니다.")
    if application.call.panel.status == PanelStatus.CLOSED:
        raise EvaluationError("평가가 마감되었습니다.")
    sheet, _ = ScoreSheet.objects.get_or_create(assignment=assignment)
    if sheet.status != SheetStatus.DRAFT:
        raise EvaluationError("제출한 평가표는 수정할 수 없습니다.")
    rows = _score_rows(
        sheet, list(application.call.scheme.criteria.all()), points, comments, submit=submit
    )
    Score.objects.filter(sheet=sheet).delete()
    Score.objects.bulk_create(rows)
    sheet.comment = comment
    if submit:
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = now or timezone.now()
    sheet.save()
    return sheet


def _score_rows(
    sheet: ScoreSheet,
    criteria: list,
    points: dict[str, Decimal],
    comments: dict[str, str],
    *,
    submit: bool,
) -> list[Score]:
    """The sheet's scores, once every one is within its bounds and (on submission) present,
    with a comment at an extreme (0 or the maximum); otherwise an EvaluationError by criterion."""
    errors = {}
    rows = []
    for criterion in criteria:
        value = points.get(criterion.code)
        note = (comments.get(criterion.code) or "").strip()
        if value is None:
            if submit:
                errors[criterion.code] = f"{criterion.name}: 점수를 입력하세요."
            continue
        if not Decimal(0) <= value <= criterion.max_points:
            errors[criterion.code] = (
                f"{criterion.name}: 0~{criterion.max_points}점 사이여야 합니다."
            )
            continue
        if submit and value in (0, criterion.max_points) and not note:
            errors[criterion.code] = f"{criterion.name}: 최고·최저점에는 의견을 적어야 합니다."
        rows.append(Score(sheet=sheet, criterion=criterion, points=value, comment=note[:500]))
    if errors:
        raise EvaluationError(errors)
    return rows


@transaction.atomic
def sheets_submit(
    *,
    call: Call,
    sheets: dict[int, tuple[dict[str, Decimal], dict[str, str]]],
    now: datetime.datetime | None = None,
) -> int:
    """Submit many evaluators' sheets of one call at once — {assignment id: (points,
    comments)} — under sheet_save's rules (no conflicted pair, an open panel, no sheet submitted
    twice, every score within bounds, a comment at an extreme), in a few queries instead of a
    few per sheet. Returns how many were submitted."""
    if not sheets:
        return 0
    panel = Panel.objects.select_for_update(of=("self",)).get(call=call)
    if panel.status == PanelStatus.CLOSED:
        raise EvaluationError("평가가 마감되었습니다.")
    assignments = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(application__call=call, pk__in=list(sheets))
        .order_by("pk")
    )
    if len(assignments) != len(sheets):
        raise EvaluationError("이 공모의 평가 배정이 아닌 항목이 있습니다.")
    conflicted = set(
        ConflictOfInterest.objects.filter(application__call=call).values_list(
            "application_id", "evaluator_id"
        )
    )
    if any((a.application_id, a.evaluator_id) in conflicted for a in assignments):
        raise EvaluationError("이해충돌이 있는 신청서는 평가할 수 없습니다.")
    existing = dict(
        ScoreSheet.objects.filter(assignment__in=assignments).values_list("assignment_id", "status")
    )
    if any(status != SheetStatus.DRAFT for status in existing.values()):
        raise EvaluationError("제출한 평가표는 수정할 수 없습니다.")
    ScoreSheet.objects.filter(assignment_id__in=list(existing)).delete()  # drafts and scores
    criteria = list(call.scheme.criteria.all())
    at = now or timezone.now()
    new = [
        ScoreSheet(assignment=a, status=SheetStatus.SUBMITTED, submitted_at=at) for a in assignments
    ]
    scores = [
        row
        for sheet in new
        for row in _score_rows(sheet, criteria, *sheets[sheet.assignment.pk], submit=True)
    ]
    ScoreSheet.objects.bulk_create(new)
    Score.objects.bulk_create(scores)
    return len(new)


@transaction.atomic
def panel_close(*, panel: Panel, actor: User) -> Panel:
    """The chair closes the round: every sheet is locked; a round with unfinished sheets can't
    be closed."""
    panel = Panel.objects.select_for_update(of=("self",)).select_related("chair").get(pk=panel.pk)
    if panel.chair.user_id != actor.pk:
        raise EvaluationError("평가위원장만 평가를 마감할 수 있습니다.")
    open_sheets = (
        Assignment.objects.filter(application__call=panel.call_id)
        .filter(Q(sheet__isnull=True) | Q(sheet__status=SheetStatus.DRAFT))
        .count()
    )
    if open_sheets:
        raise EvaluationError(f"제출되지 않은 평가표가 {open_sheets}건 있습니다.")
    # The ids first: the UPDATE with the call's join as a subquery ran for over 15 minutes on
    # the embedded PostgreSQL when the tables had just been filled in one transaction (the
    # demo), the planner having no statistics for them.
    sheets = ScoreSheet.objects.filter(assignment__application__call=panel.call_id)
    ScoreSheet.objects.filter(pk__in=list(sheets.values_list("pk", flat=True))).update(
        status=SheetStatus.LOCKED
    )
    panel.status = PanelStatus.CLOSED
    panel.closed_at = timezone.now()
    panel.save(update_fields=["status", "closed_at"])
    return panel


# --- Ranking, publication, appeals -----------------------------------------------------------


def ranking_input(call: Call, *, allocation_left: int | None = None) -> ranking_engine.RankingInput:
    """The engine's input from the locked sheets of a call. ``allocation_left``: the seats left
    of a trainee call's group share, a quota every applicant of the call falls under."""
    scheme = call.scheme
    criteria = list(scheme.criteria.order_by("order", "pk"))
    applications = list(evaluated_applications(call).select_related("region"))
    sheets = (
        ScoreSheet.objects.filter(
            assignment__application__in=applications, status=SheetStatus.LOCKED
        )
        .select_related("assignment")
        .prefetch_related("scores")
    )
    sheet_rows = []
    for sheet in sheets:
        by_code = {s.criterion_id: float(s.points) for s in sheet.scores.all()}
        sheet_rows.append(
            ranking_engine.Sheet(
                application_id=str(sheet.assignment.application_id),
                evaluator_id=str(sheet.assignment.evaluator_id),
                scores=tuple(by_code[c.pk] for c in criteria),
            )
        )
    applicants = []
    for a in applications:
        # An organisation applies for the 권역 it would run, wherever its office is.
        groups = {"region": a.answers.get("zone") or a.region.zone}
        if a.company_id:
            # The kind the company had when it applied: a later edit must not move it between
            # quotas.
            groups["company_type"] = a.profile_snapshot["kind"]
        if call.track_id:
            groups["track"] = call.track.code
        if allocation_left is not None:
            groups[ranking_engine.ALLOCATION_DIMENSION] = str(call.operating_group_id)
        applicants.append(
            ranking_engine.Applicant(
                id=str(a.pk), submitted_at=a.submitted_at.isoformat(), groups=groups
            )
        )
    quotas = [ranking_engine.Quota(**q) for q in scheme.quotas]
    if allocation_left is not None:
        quotas.append(
            ranking_engine.Quota(
                dimension=ranking_engine.ALLOCATION_DIMENSION,
                value=str(call.operating_group_id),
                seats=allocation_left,
            )
        )
    return ranking_engine.RankingInput(
        criteria=tuple(
            ranking_engine.Criterion(id=c.code, max_points=c.max_points, weight=c.weight)
            for c in criteria
        ),
        applicants=tuple(applicants),
        sheets=tuple(sheet_rows),
        method=scheme.method,
        tie_break=tuple(c.code for c in criteria),
        cutoff=float(scheme.cutoff) if scheme.cutoff is not None else None,
        total_seats=scheme.total_seats,
        quotas=tuple(quotas),
        waitlist_size=scheme.waitlist_size,
    )


@transaction.atomic
def ranking_compute(*, call: Call, actor: User) -> Ranking:
    """Compute a ranking from the locked sheets (a draft until the operator confirms it). A
    trainee call selects no more than its group's share has left: applicants past it stay
    ranked, not selected, with the reason (publication checks the same share again)."""
    require_closed(call, error=EvaluationError)
    if Panel.objects.filter(call=call, status=PanelStatus.OPEN).exists():
        raise EvaluationError("평가위원장이 평가를 마감한 뒤에 순위를 계산할 수 있습니다.")
    share = _share(call)
    inp = ranking_input(
        call, allocation_left=None if share is None else max(0, share[0].seats - share[1])
    )
    result = ranking_engine.rank(inp)
    return Ranking.objects.create(
        call=call,
        method=inp.method,
        input_json=ranking_engine.input_to_json(inp),
        input_sha256=result.input_sha256,
        result_json=ranking_engine.to_json(result),
        computed_by=actor,
    )


@transaction.atomic
def ranking_confirm(*, ranking: Ranking, actor: User) -> Ranking:
    """Confirm: recompute from the frozen input, check it gives the same result, and freeze."""
    ranking = Ranking.objects.select_for_update(of=("self",)).get(pk=ranking.pk)
    require_closed(ranking.call, error=EvaluationError)
    if ranking.status != RankingStatus.DRAFT:
        raise EvaluationError("이미 확정된 결과입니다.")
    again = ranking_engine.rank(ranking_engine.input_from_json(ranking.input_json))
    if ranking_engine.to_json(again) != ranking.result_json:
        raise EvaluationError("저장된 입력으로 다시 계산한 결과가 다릅니다. 확정할 수 없습니다.")
    ranking.status = RankingStatus.CONFIRMED
    ranking.confirmed_by = actor
    ranking.confirmed_at = timezone.now()
    ranking.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return ranking


_RESULT_OF = {"selected": Result.SELECTED, "waitlisted": Result.WAITLISTED}


def _share(call: Call) -> tuple[TrackAllocation, int] | None:
    """A trainee call's share: its group's allocation of the track, row-locked, and how many
    the group has already selected in the track; None for other calls. The allocation's row
    lock queues a publication, a computation and a change of the share behind one another, so
    each reads a count the others cannot move."""
    if call.kind != CallKind.TRAINEE:
        return None
    group, track = call.operating_group, call.track
    if group is None:
        raise EvaluationError(
            "교육생 선발은 사업단별 배정 안에서 합니다. 이 공고에는 주관 사업단이 없습니다."
        )
    allocation = (
        TrackAllocation.objects.select_for_update()
        .filter(track=track, operating_group=group)
        .first()
    )
    if allocation is None:
        raise EvaluationError(
            f"{group.name}의 {track.name} 배정 인원이 아직 정해지지 않았습니다. "
            "전담기관이 사업단별 배정 인원을 정한 뒤에 순위를 계산하고 결과를 공개할 수 "
            "있습니다."
        )
    return allocation, selected_in_share(group, track)


def _require_within_allocation(call: Call, selecting: int) -> None:
    """A trainee call selects within its group's share of the track's national target: the
    group's selections in the track's calls so far plus this one never pass the allocation.
    The ranking was computed within the share left then (``ranking_input``); this holds when
    another call of the group's track published, or the share changed, in between."""
    share = _share(call)
    if share is None:
        return
    allocation, already = share
    if already + selecting > allocation.seats:
        group, track = call.operating_group, call.track
        raise EvaluationError(
            f"{group.name}의 {track.name} 배정 인원은 {allocation.seats}명입니다. "
            f"이미 선정된 {already}명에 이번 선정 {selecting}명을 더하면 "
            f"{already + selecting}명으로 {already + selecting - allocation.seats}명을 넘습니다. "
            "순위를 다시 계산하면 남은 배정 인원까지만 선정합니다. 배정 인원을 늘려야 하면 "
            "전담기관에 요청하세요."
        )


@transaction.atomic
def allocation_change(
    *, track, operating_group: OperatingGroup, seats: int, actor: User, override_reason: str = ""
) -> TrackAllocation:
    """The operator's door to a group's share (programs cannot read selections): a share is
    never set below what the group has already selected in the track; then programs' service
    checks the national targets and records the change."""
    if actor.role != Role.OPERATOR:
        raise PermissionDenied
    # Programme, then allocation: the order programs' service locks them in.
    Programme.objects.select_for_update().get(pk=operating_group.programme_id)
    TrackAllocation.objects.select_for_update().filter(
        track=track, operating_group=operating_group
    ).first()
    already = selected_in_share(operating_group, track)
    if seats < already:
        raise EvaluationError(
            f"{operating_group.name}의 {track.name} 배정을 {seats}명으로 줄일 수 없습니다. "
            f"이 사업단은 이 트랙에서 이미 {already}명을 선정했습니다. "
            f"배정 인원은 {already}명 이상이어야 합니다."
        )
    return programs_services.track_allocation_set(
        track=track,
        operating_group=operating_group,
        seats=seats,
        actor=actor,
        override_reason=override_reason,
    )


@transaction.atomic
def ranking_publish(*, ranking: Ranking, actor: User) -> Ranking:
    """Publish a confirmed ranking: every applicant's result is set and trailed, and each
    applicant is told (inbox now, e-mail after commit)."""
    # The call's row first: two publications of one call's rankings queue here, and the second
    # finds the first instead of the database's one-published-ranking constraint.
    Call.objects.select_for_update().filter(pk=ranking.call_id).first()
    ranking = Ranking.objects.select_for_update(of=("self",)).get(pk=ranking.pk)
    require_closed(ranking.call, error=EvaluationError)
    if ranking.status != RankingStatus.CONFIRMED:
        raise EvaluationError("확정된 결과만 공개할 수 있습니다.")
    if Ranking.objects.filter(call=ranking.call_id, status=RankingStatus.PUBLISHED).exists():
        raise EvaluationError(
            "이 공모에는 이미 공개된 결과가 있습니다. 공개된 결과는 바꿀 수 없습니다."
        )
    result = ranking_engine.result_from_json(ranking.result_json)
    statuses = {row.application_id: row.status for row in result.rows}
    _require_within_allocation(
        ranking.call, sum(1 for s in statuses.values() if s is ranking_engine.Status.SELECTED)
    )
    applications = (
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=[int(pk) for pk in statuses])
        .order_by("pk")
    )
    trail = []
    for application in applications:
        new = _RESULT_OF.get(statuses[str(application.pk)], Result.NOT_SELECTED)
        trail.append(
            ApplicationTransition(
                application=application,
                actor=actor,
                field="result",
                old=application.result,
                new=new,
            )
        )
        application.result = new
    Application.objects.bulk_update(applications, ["result"])
    ApplicationTransition.objects.bulk_create(trail)
    if ranking.call.kind == CallKind.OPERATING_GROUP:
        _operating_groups_from(
            [a for a in applications if a.result == Result.SELECTED], ranking.call
        )
    if ranking.call.kind == CallKind.PLAN:
        _plans_from(applications, ranking.call, actor)
    ranking.status = RankingStatus.PUBLISHED
    ranking.published_at = timezone.now()
    ranking.save(update_fields=["status", "published_at"])
    results_notify(
        call=ranking.call,
        applications=Application.objects.filter(pk__in=[a.pk for a in applications]),
    )
    return ranking


def _plans_from(applications: list[Application], call: Call, actor: User) -> None:
    """The published ranking decides the round's plans: 예비선정 or 미선정, in the same
    transaction as the results (a plan not in 평가 refuses the whole publication)."""
    try:
        plans.plans_decide(
            selected=[a.plan for a in applications if a.plan_id and a.result == Result.SELECTED],
            not_selected=[
                a.plan for a in applications if a.plan_id and a.result != Result.SELECTED
            ],
            actor=actor,
            note=f"{call.title} 평가 결과 공개",
        )
    except plans.PlanError as exc:
        raise EvaluationError(exc.messages) from exc


def _operating_groups_from(selected: list[Application], call: Call) -> None:
    """Selected organisations become the programme's operating groups: each takes its 권역
    (replacing the placeholder group there) and the 권역's 시·도; the operator then adds staff."""
    for application in selected:
        zone = application.answers.get("zone") or application.region.zone
        group, _ = OperatingGroup.objects.update_or_create(
            programme=call.programme, zone=zone, defaults={"name": application.organisation_name}
        )
        group.regions.set(Region.objects.filter(zone=zone))


@transaction.atomic
def appeal_file(
    *, application: Application, actor: User, reason: str, now: datetime.datetime | None = None
) -> Appeal:
    """이의신청 against the application's own published result, within the call's appeal
    window; one per result."""
    now = now or timezone.now()
    # The application's row serialises two appeals sent at once: the second sees the first.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )
    ranking = Ranking.objects.filter(
        call=application.call_id, status=RankingStatus.PUBLISHED
    ).first()
    if ranking is None or application.result == Result.PENDING:
        raise EvaluationError("공개된 결과가 없는 신청에는 이의신청할 수 없습니다.")
    if now > ranking.published_at + datetime.timedelta(days=application.call.appeal_days):
        raise EvaluationError("이의신청 기간이 지났습니다.")
    if len(reason.strip()) < 10:
        raise EvaluationError("이의신청 사유를 10자 이상 적어 주세요.")
    if Appeal.objects.filter(application=application, ranking=ranking).exists():
        raise EvaluationError("이미 이의신청을 했습니다.")
    return Appeal.objects.create(
        application=application, ranking=ranking, reason=reason.strip(), filed_by=actor
    )


@transaction.atomic
def appeal_decide(*, appeal: Appeal, actor: User, upheld: bool, reason: str) -> Appeal:
    """Decide an appeal: only someone outside the original panel, always with a reason."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=appeal.pk)
    )
    if appeal.status != AppealStatus.FILED:
        raise EvaluationError("이미 처리된 이의신청입니다.")
    panel = Panel.objects.get(call=appeal.application.call_id)
    if panel.members.filter(user=actor).exists() or panel.chair.user_id == actor.pk:
        raise EvaluationError("원 평가위원회 위원은 이의신청을 처리할 수 없습니다.")
    if len(reason.strip()) < 5:
        raise EvaluationError("처리 사유를 5자 이상 적어 주세요.")
    appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.decision_reason = reason.strip()
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    return appeal


@transaction.atomic
def panel_set(*, call: Call, members: list[Evaluator], chair: Evaluator) -> Panel:
    """Form (or change) a call's panel; the chair is one of its members."""
    if chair not in members:
        raise EvaluationError("위원장은 위원 중에서 정해야 합니다.")
    if len(members) < call.scheme.evaluators_per_application:
        raise EvaluationError(
            f"신청서당 평가위원 {call.scheme.evaluators_per_application}명을 "
            "배정하려면 위원이 그 이상 필요합니다."
        )
    panel, _ = Panel.objects.select_for_update(of=("self",)).get_or_create(
        call=call, defaults={"chair": chair}
    )
    if panel.status == PanelStatus.CLOSED:
        raise EvaluationError("마감된 평가위원회는 바꿀 수 없습니다.")
    panel.chair = chair
    panel.save(update_fields=["chair"])
    panel.members.set(members)
    return panel


# Applicants read the published criteria, weights, cut-off and seats: once anyone has applied,
# only the scheme's name and the panel size (how many evaluators read each application) change.
SCHEME_EDITABLE_AFTER_APPLICATIONS = frozenset({"name", "evaluators_per_application"})


@transaction.atomic
def scheme_save(*, call: Call, form, criteria, quotas: list[dict], actor: User) -> Scheme:
    """Create or edit a call's scheme, its criteria and its quotas from the scheme editor; once
    anyone has applied, what applicants were told (criteria, weights, cut-off, seats, quotas)
    is refused."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call_has_applications(call):
        changed = [
            str(form.fields[name].label)
            for name in form.changed_data
            if name not in SCHEME_EDITABLE_AFTER_APPLICATIONS
        ]
        if criteria.has_changed():
            changed.append("평가 항목·가중치")
        before = form.instance.quotas if form.instance.pk else []
        if quotas != sorted(before, key=lambda q: (q["dimension"], q["value"])):
            changed.append("정원")
        if changed:
            raise EvaluationError(
                "신청서가 접수된 공모입니다. 공고된 평가 기준"
                f"({', '.join(changed)})은 바꿀 수 없습니다. "
                "기준표명과 신청서당 평가위원 수만 고칠 수 있습니다."
            )
    scheme = form.save(commit=False)
    scheme.call = call
    scheme.quotas = quotas
    scheme.full_clean()
    scheme.save()
    criteria.instance = scheme
    changed = criteria.save(commit=False)
    # Deleted first: a new criterion may take the code of one removed in the same edit.
    for criterion in criteria.deleted_objects:
        criterion.delete()
    for criterion in changed:
        criterion.scheme = scheme
        criterion.full_clean()
        criterion.save()
    return scheme


@transaction.atomic
def call_publish(*, call: Call, actor: User, now: datetime.datetime | None = None) -> Call:
    """Publish a drafted call: from now on it is on the public list and open to applicants in
    its window. It needs a scheme with criteria, because the call page publishes them."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.published_at is not None:
        raise EvaluationError("이미 공개된 공고입니다.")
    if not Criterion.objects.filter(scheme__call=call).exists():
        raise EvaluationError("평가 기준표와 평가 항목을 먼저 저장하세요. 공고에 함께 공개됩니다.")
    call.published_at = now or timezone.now()
    call.full_clean()
    call.save(update_fields=["published_at"])
    return call
