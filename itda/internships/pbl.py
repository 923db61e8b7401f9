"""Track 2 (PBL) internships: the problem statement, milestones, deliverables and reviews.

The company side — the internship's mentor, or a manager of the company — sets the problem
(title, description, expected outcome; every change a new version, until the first milestone is
reviewed) and plans milestones with due dates inside the internship. The intern uploads
deliverables per milestone (several versions; the latest counts). The mentor accepts a
milestone or asks for changes (with a comment), and once every milestone is accepted gives the
final review (summary, a score on the criteria, comment).

A milestone's states (every move an event row; anything else refused in Korean, nothing changed):
  open → submitted                       the intern hands in a deliverable
  submitted → submitted                  a new version (the latest counts)
  changes_requested → submitted          a new version after the mentor asked for changes
  submitted → accepted | changes_requested   the company side reviews the latest version
  open | submitted | changes_requested → cancelled   the company side, with a reason
Accepted and cancelled are final. Every write locks the internship row first, so two people
acting on one internship at once take turns (version numbers, "first review" and "all accepted"
are decided under the lock).
"""

from __future__ import annotations

import datetime
import hashlib
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from itda.accounts.models import User
from itda.accounts.roles import Role
from itda.internships.models import (
    MILESTONE_TO_SUBMIT,
    Deliverable,
    FinalReview,
    Internship,
    InternshipState,
    Milestone,
    MilestoneReview,
    MilestoneState,
    MilestoneTransition,
    Party,
    ProblemStatementVersion,
    ReviewDecision,
)
from itda.lib.korean import josa
from itda.programs.models import PlacementKind
from itda.recruitment.models import DocumentRequirement

# --- the rules (itda 기본값: RuleOrigin "<programme>.internship.pbl_*") -----------------------

# The final review's criteria and points (RuleOrigin "<programme>.internship.pbl_criteria"): the
# release names PBL and nothing of how it is judged.
PBL_CRITERIA = (
    ("problem", "문제 정의·분석", 20),
    ("solution", "해결 방법·기술 적용", 30),
    ("result", "결과물 완성도", 30),
    ("documentation", "문서화·발표", 10),
    ("collaboration", "협업·태도", 10),
)
# A milestone counts as due this many days before its due date
# (RuleOrigin "<programme>.internship.pbl_due_window").
DUE_SOON_DAYS = 7

# Planning (problem, milestones) may start once the agreement is proposed; handing in and
# reviewing happen while it is in force.
PLANNING_STATES = (InternshipState.PROPOSED, InternshipState.ACTIVE)
WORKING_STATES = (InternshipState.ACTIVE,)

# Who may move a milestone from one state to another; anything else is refused.
_MOVES = {
    (MilestoneState.OPEN, MilestoneState.SUBMITTED): frozenset({Party.INTERN}),
    (MilestoneState.SUBMITTED, MilestoneState.SUBMITTED): frozenset({Party.INTERN}),
    (MilestoneState.CHANGES_REQUESTED, MilestoneState.SUBMITTED): frozenset({Party.INTERN}),
    (MilestoneState.SUBMITTED, MilestoneState.ACCEPTED): frozenset({Party.COMPANY}),
    (MilestoneState.SUBMITTED, MilestoneState.CHANGES_REQUESTED): frozenset({Party.COMPANY}),
    (MilestoneState.OPEN, MilestoneState.CANCELLED): frozenset({Party.COMPANY}),
    (MilestoneState.SUBMITTED, MilestoneState.CANCELLED): frozenset({Party.COMPANY}),
    (MilestoneState.CHANGES_REQUESTED, MilestoneState.CANCELLED): frozenset({Party.COMPANY}),
}
_PLAN_FIELDS = ("title", "description", "due_on")


class PblError(ValidationError):
    """A PBL request the rules refuse; the message is Korean."""


# --- who is acting -------------------------------------------------------------------------------


def is_pbl(internship: Internship) -> bool:
    """Whether the internship's position is on a PBL track."""
    return internship.placement.position.track.placement_kind == PlacementKind.PBL


def side_of(internship: Internship, actor: User) -> Party | None:
    """Party.COMPANY for the internship's own mentor and the company's managers, Party.INTERN
    for the intern, None for everyone else (staff watch; other mentors of the company too)."""
    if actor.role == Role.MENTOR:
        mentor = internship.mentor
        return Party.COMPANY if mentor is not None and mentor.user_id == actor.pk else None
    if actor.role == Role.COMPANY:
        company = internship.placement.position.company
        return Party.COMPANY if company.managers.filter(pk=actor.pk).exists() else None
    if actor.role == Role.TRAINEE:
        return Party.INTERN if internship.placement.trainee.user_id == actor.pk else None
    return None


def _lock(internship_id: int) -> Internship:
    return (
        Internship.objects.select_for_update(of=("self",))
        .select_related(
            "placement__position__track", "placement__position__company", "placement__trainee"
        )
        .get(pk=internship_id)
    )


def _locked(
    internship_id: int, actor: User, *, side: Party, states: tuple, doing: str
) -> Internship:
    """The internship, locked, once it is a PBL internship in one of ``states`` and ``actor``
    acts for ``side``; otherwise a PblError saying why."""
    internship = _lock(internship_id)
    if not is_pbl(internship):
        raise PblError("PBL 트랙 인턴십이 아닙니다.")
    if side_of(internship, actor) != side:
        who = "이 인턴십의 멘토나 기업 담당자" if side == Party.COMPANY else "이 인턴십의 인턴"
        raise PblError(f"{who}만 {doing} 수 있습니다.")
    if internship.state not in states:
        raise PblError(
            f"'{internship.get_state_display()}' 상태의 인턴십에서는 {doing} 수 없습니다."
        )
    return internship


def _locked_milestone(milestone: Milestone, actor: User, *, side: Party, states, doing: str):
    internship = _locked(milestone.internship_id, actor, side=side, states=states, doing=doing)
    return internship, Milestone.objects.select_for_update().get(pk=milestone.pk)


def _move(milestone: Milestone, to: MilestoneState, *, actor: User, note: str) -> None:
    """Change the milestone's state and write the event row."""
    old = milestone.state
    milestone.state = to
    milestone.save(update_fields=["state", "updated_at"])
    MilestoneTransition.objects.create(
        milestone=milestone, actor=actor, old=old, new=to, note=note[:300]
    )


def _require_move(milestone: Milestone, to: MilestoneState, side: Party) -> None:
    allowed = _MOVES.get((milestone.state, to))
    if allowed is None or side not in allowed:
        raise PblError(
            f"'{milestone.get_state_display()}' 상태의 마일스톤은 "
            f"{josa(to.label, '으로/로')} 바꿀 수 없습니다."
        )


def _text(value: str, label: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise PblError(f"{josa(label, '을/를')} 입력하세요.")
    return value


# --- the problem statement -----------------------------------------------------------------------


def current_problem(internship: Internship) -> ProblemStatementVersion | None:
    """The problem statement's latest version, or None before the company has set it."""
    return internship.problem_versions.select_related("author").order_by("-version").first()


def problem_locked(internship: Internship) -> bool:
    """Whether the problem may no longer change: a milestone has been reviewed."""
    return MilestoneReview.objects.filter(milestone__internship=internship).exists()


@transaction.atomic
def problem_set(
    *,
    internship: Internship,
    title: str,
    description: str,
    expected_outcome: str,
    note: str = "",
    actor: User,
) -> ProblemStatementVersion:
    """The company side sets or changes the problem statement: a new version each time (a
    change needs a reason), until the first milestone is reviewed."""
    internship = _locked(
        internship.pk, actor, side=Party.COMPANY, states=PLANNING_STATES, doing="과제를 정할"
    )
    if problem_locked(internship):
        raise PblError("첫 마일스톤 검토가 끝난 뒤에는 과제를 바꿀 수 없습니다.")
    values = {
        "title": _text(title, "과제명"),
        "description": _text(description, "과제 설명"),
        "expected_outcome": _text(expected_outcome, "기대 결과물"),
    }
    current = current_problem(internship)
    if current is not None and all(getattr(current, k) == v for k, v in values.items()):
        return current
    note = (note or "").strip()
    if current is not None and len(note) < 2:
        raise PblError("과제를 바꾸는 사유를 적어야 합니다.")
    version = ProblemStatementVersion(
        internship=internship,
        version=(current.version + 1) if current else 1,
        note=note,
        author=actor,
        **values,
    )
    version.full_clean()
    version.save()
    return version


# --- milestones ----------------------------------------------------------------------------------


def _due_error(internship: Internship, due_on: datetime.date) -> str | None:
    if internship.starts_on <= due_on <= internship.ends_on:
        return None
    return (
        f"마감일은 인턴십 기간({internship.starts_on:%Y-%m-%d}~{internship.ends_on:%Y-%m-%d}) "
        "안이어야 합니다."
    )


def _check_plan(internship: Internship, milestone: Milestone) -> None:
    if FinalReview.objects.filter(internship=internship).exists():
        raise PblError("최종 평가를 마친 인턴십은 마일스톤을 바꿀 수 없습니다.")
    if problem := _due_error(internship, milestone.due_on):
        raise PblError(problem)
    milestone.full_clean()


@transaction.atomic
def milestone_create(
    *,
    internship: Internship,
    title: str,
    due_on: datetime.date,
    description: str = "",
    actor: User,
) -> Milestone:
    """The company side adds a milestone, due inside the internship, once the problem is set."""
    internship = _locked(
        internship.pk, actor, side=Party.COMPANY, states=PLANNING_STATES, doing="마일스톤을 만들"
    )
    if current_problem(internship) is None:
        raise PblError("먼저 과제를 정해야 마일스톤을 만들 수 있습니다.")
    milestone = Milestone(
        internship=internship,
        title=_text(title, "마일스톤"),
        description=(description or "").strip(),
        due_on=due_on,
        created_by=actor,
    )
    _check_plan(internship, milestone)
    milestone.save()
    MilestoneTransition.objects.create(
        milestone=milestone, actor=actor, new=MilestoneState.OPEN, note="마일스톤 추가"
    )
    return milestone


@transaction.atomic
def milestone_change(*, milestone: Milestone, actor: User, **plan) -> Milestone:
    """The company side changes a milestone's title, description or due date while it is not
    yet accepted or cancelled; the change is an event row naming what changed."""
    if not set(plan) <= set(_PLAN_FIELDS):
        raise PblError("바꿀 수 없는 항목입니다.")
    internship, milestone = _locked_milestone(
        milestone, actor, side=Party.COMPANY, states=PLANNING_STATES, doing="마일스톤을 바꿀"
    )
    if milestone.state in (MilestoneState.ACCEPTED, MilestoneState.CANCELLED):
        raise PblError(f"'{milestone.get_state_display()}' 상태의 마일스톤은 바꿀 수 없습니다.")
    if "title" in plan:
        plan["title"] = _text(plan["title"], "마일스톤")
    if "description" in plan:
        plan["description"] = (plan["description"] or "").strip()
    changed = [name for name, value in plan.items() if getattr(milestone, name) != value]
    if not changed:
        return milestone
    before = milestone.due_on
    for name in changed:
        setattr(milestone, name, plan[name])
    _check_plan(internship, milestone)
    milestone.save(update_fields=[*changed, "updated_at"])
    labels = ", ".join(str(Milestone._meta.get_field(n).verbose_name) for n in changed)
    if "due_on" in changed:
        labels += f" {before:%Y-%m-%d} → {milestone.due_on:%Y-%m-%d}"
    MilestoneTransition.objects.create(
        milestone=milestone,
        actor=actor,
        old=milestone.state,
        new=milestone.state,
        note=f"변경: {labels}",
    )
    return milestone


@transaction.atomic
def milestone_cancel(*, milestone: Milestone, reason: str, actor: User) -> Milestone:
    """The company side drops a milestone not yet accepted, with a reason; it no longer counts
    for the final review or the reminders."""
    _internship, milestone = _locked_milestone(
        milestone, actor, side=Party.COMPANY, states=PLANNING_STATES, doing="마일스톤을 취소할"
    )
    _require_move(milestone, MilestoneState.CANCELLED, Party.COMPANY)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise PblError("사유를 적어야 합니다.")
    _move(milestone, MilestoneState.CANCELLED, actor=actor, note=reason)
    return milestone


# --- deliverables --------------------------------------------------------------------------------

# The same bound as a call's documents (DocumentRequirement.max_size_mb's default).
DELIVERABLE_MAX_MB = DocumentRequirement._meta.get_field("max_size_mb").default

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# Names inside an archive that run on a double-click: such an archive is refused.
_EXECUTABLE = (
    ".exe", ".dll", ".msi", ".scr", ".com", ".bat", ".cmd", ".vbs", ".ps1", ".cpl", ".lnk", ".jar"
)  # fmt: skip


@dataclass(frozen=True)
class FileKind:
    """A kind of deliverable: the names it may have and what its content must start with."""

    label: str
    extensions: tuple[str, ...]
    signatures: tuple[bytes, ...]
    container: bool = False  # a ZIP container: opened, its entries checked
    must_hold: str = ""  # an entry the container always has (OOXML's content types)


DELIVERABLE_KINDS = {
    "pdf": FileKind("PDF", (".pdf",), (b"%PDF-",)),
    "hwp": FileKind("한글(HWP)", (".hwp",), _OLE),
    "hwpx": FileKind("한글(HWPX)", (".hwpx",), _ZIP, container=True),
    "ooxml": FileKind(
        "워드·엑셀·파워포인트(DOCX·XLSX·PPTX)",
        (".docx", ".xlsx", ".pptx"),
        _ZIP,
        container=True,
        must_hold="[Content_Types].xml",
    ),
    "ole": FileKind("워드·엑셀·파워포인트 97-2003(DOC·XLS·PPT)", (".doc", ".xls", ".ppt"), _OLE),
    "zip": FileKind("압축(ZIP)", (".zip",), _ZIP, container=True),
    "image": FileKind(
        "이미지(JPG·PNG)", (".jpg", ".jpeg", ".png"), (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
    ),
}
DELIVERABLE_EXTENSIONS = tuple(e for k in DELIVERABLE_KINDS.values() for e in k.extensions)
DELIVERABLE_KINDS_LABEL = ", ".join(k.label for k in DELIVERABLE_KINDS.values())


def _container_checked(upload, kind: FileKind) -> None:
    """A ZIP container opens, is what it claims, and holds no program and no password."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise PblError(f"{kind.label} 파일이 손상되어 열 수 없습니다.") from exc
    finally:
        upload.seek(0)
    names = [e.filename for e in entries]
    if kind.must_hold and kind.must_hold not in names:
        raise PblError(f"파일 내용이 {kind.label} 형식이 아닙니다.")
    if any(e.flag_bits & 0x1 for e in entries):
        raise PblError("암호가 걸린 압축 파일은 검토할 수 없어 올릴 수 없습니다.")
    if program := next((n for n in names if n.lower().endswith(_EXECUTABLE)), None):
        raise PblError(f"압축 파일 안에 실행 파일({program[-80:]})이 있어 올릴 수 없습니다.")


def deliverable_checked(upload) -> tuple[str, str]:
    """(kind, SHA-256) of an upload whose size, name and content fit a deliverable kind; a
    renamed program (an .exe called .pdf) fails the content check. Otherwise a PblError."""
    if upload is None or not upload.size:
        raise PblError("빈 파일은 올릴 수 없습니다.")
    if upload.size > DELIVERABLE_MAX_MB * 1024 * 1024:
        raise PblError(f"파일이 너무 큽니다. {DELIVERABLE_MAX_MB}MB 이하만 올릴 수 있습니다.")
    name = (upload.name or "").lower()
    code = next((c for c, k in DELIVERABLE_KINDS.items() if name.endswith(k.extensions)), None)
    if code is None:
        raise PblError(
            f"올릴 수 없는 형식입니다. {DELIVERABLE_KINDS_LABEL} 파일만 올릴 수 있습니다."
        )
    kind = DELIVERABLE_KINDS[code]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(kind.signatures):
        raise PblError(
            f"파일 내용이 {kind.label} 형식이 아닙니다. "
            "이름만 바꾼 파일(실행 파일 등)은 올릴 수 없습니다."
        )
    if kind.container:
        _container_checked(upload, kind)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return code, digest.hexdigest()


def latest_deliverable(milestone: Milestone) -> Deliverable | None:
    """The version of the milestone's deliverable that counts: the latest."""
    return milestone.deliverables.order_by("-version").first()


@transaction.atomic
def deliverable_upload(*, milestone: Milestone, upload, note: str = "", actor: User) -> Deliverable:
    """The intern hands in a file for a milestone: checked, stored privately under its content
    hash, as the milestone's next version; the milestone waits for review."""
    _internship, milestone = _locked_milestone(
        milestone, actor, side=Party.INTERN, states=WORKING_STATES, doing="산출물을 올릴"
    )
    _require_move(milestone, MilestoneState.SUBMITTED, Party.INTERN)
    kind, sha256 = deliverable_checked(upload)
    latest = latest_deliverable(milestone)
    deliverable = Deliverable(
        milestone=milestone,
        version=(latest.version + 1) if latest else 1,
        original_name=(upload.name or "file")[-200:],
        kind=kind,
        size=upload.size,
        sha256=sha256,
        note=(note or "").strip(),
        uploaded_by=actor,
    )
    deliverable.full_clean(exclude=["file"])
    deliverable.file.save(sha256, upload, save=False)
    deliverable.save()
    _move(
        milestone,
        MilestoneState.SUBMITTED,
        actor=actor,
        note=f"버전 {deliverable.version} 제출: {deliverable.original_name}",
    )
    return deliverable


# --- reviews -------------------------------------------------------------------------------------


@transaction.atomic
def milestone_review(
    *, milestone: Milestone, version: int, decision: str, comment: str = "", actor: User
) -> MilestoneReview:
    """The company side reviews the version it read: accepted, or changes requested with a
    comment. A newer version handed in meanwhile makes the review stale: refused."""
    _internship, milestone = _locked_milestone(
        milestone, actor, side=Party.COMPANY, states=WORKING_STATES, doing="검토할"
    )
    if decision not in ReviewDecision.values:
        raise PblError("검토 결과를 고르세요.")
    decision = ReviewDecision(decision)
    to = MilestoneState(decision.value)
    _require_move(milestone, to, Party.COMPANY)
    latest = latest_deliverable(milestone)
    if latest is None or latest.version != version:
        raise PblError(
            "검토하는 사이에 새 버전이 올라왔습니다. 최신 버전을 확인하고 다시 검토하세요."
        )
    comment = (comment or "").strip()
    if decision == ReviewDecision.CHANGES_REQUESTED and len(comment) < 2:
        raise PblError("보완을 요청할 때는 무엇을 고칠지 의견을 적어야 합니다.")
    review = MilestoneReview(
        milestone=milestone, deliverable=latest, decision=decision, comment=comment, reviewer=actor
    )
    review.full_clean()
    review.save()
    note = f"버전 {latest.version} 검토: {decision.label}"
    _move(milestone, to, actor=actor, note=f"{note} — {comment}" if comment else note)
    return review


def criteria_max() -> int:
    return sum(points for _code, _label, points in PBL_CRITERIA)


@transaction.atomic
def final_review_give(
    *, internship: Internship, summary: str, scores: dict, comment: str = "", actor: User
) -> FinalReview:
    """The company side's final review, once every milestone still planned is accepted: a
    summary, a score per criterion (0 to its points) and a comment. Given once."""
    internship = _locked(
        internship.pk, actor, side=Party.COMPANY, states=WORKING_STATES, doing="최종 평가를 할"
    )
    if FinalReview.objects.filter(internship=internship).exists():
        raise PblError("이 인턴십의 최종 평가는 이미 했습니다.")
    planned = internship.milestones.exclude(state=MilestoneState.CANCELLED)
    if not planned.exists():
        raise PblError("마일스톤이 없어 최종 평가를 할 수 없습니다.")
    open_ones = [m.title for m in planned.exclude(state=MilestoneState.ACCEPTED)]
    if open_ones:
        raise PblError(f"승인되지 않은 마일스톤이 있습니다: {', '.join(open_ones)}")
    rows = []
    for code, label, points in PBL_CRITERIA:
        score = scores.get(code)
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= points:
            raise PblError(f"{label} 점수는 0점에서 {points}점 사이여야 합니다.")
        rows.append({"code": code, "label": label, "max": points, "score": score})
    review = FinalReview(
        internship=internship,
        summary=_text(summary, "수행 요약"),
        comment=(comment or "").strip(),
        scores=rows,
        total_score=sum(r["score"] for r in rows),
        max_score=criteria_max(),
        reviewer=actor,
    )
    review.full_clean()
    review.save()
    return review


# --- reads ---------------------------------------------------------------------------------------


class Attention:
    """What a milestone needs on a day (the reminder task's words)."""

    DUE = "due"  # to hand in, due within DUE_SOON_DAYS
    OVERDUE = "overdue"  # to hand in, past its due date
    AWAITING_REVIEW = "awaiting_review"  # handed in, not yet reviewed

    LABELS = {DUE: "마감 임박", OVERDUE: "마감 지남", AWAITING_REVIEW: "검토 대기"}


def _attention(day: datetime.date) -> Case:
    to_submit = Q(state__in=MILESTONE_TO_SUBMIT)
    return Case(
        When(state=MilestoneState.SUBMITTED, then=Value(Attention.AWAITING_REVIEW)),
        When(to_submit & Q(due_on__lt=day), then=Value(Attention.OVERDUE)),
        When(
            to_submit & Q(due_on__lte=day + datetime.timedelta(days=DUE_SOON_DAYS)),
            then=Value(Attention.DUE),
        ),
        default=Value(""),
        output_field=CharField(),
    )


def milestones_needing_attention(internships: QuerySet, day: datetime.date) -> QuerySet:
    """Milestones of the active ones of ``internships`` that are due, overdue or awaiting
    review on ``day``, each with ``attention`` and ``submitted_at`` (of the latest version),
    in one query whatever the number of internships: the reminder task's input."""
    latest = Deliverable.objects.filter(milestone=OuterRef("pk")).order_by("-version")
    return (
        Milestone.objects.filter(
            internship__in=internships.filter(state=InternshipState.ACTIVE).values("pk")
        )
        .annotate(
            attention=_attention(day), submitted_at=Subquery(latest.values("uploaded_at")[:1])
        )
        .exclude(attention="")
        .order_by("internship_id", "due_on", "pk")
    )


def pbl_progress(internships: QuerySet, day: datetime.date) -> QuerySet:
    """``internships`` with their PBL figures on ``day``, in one query: milestones planned,
    accepted, awaiting review, overdue and due, and whether the final review is given."""
    planned = ~Q(milestones__state=MilestoneState.CANCELLED)
    to_submit = Q(milestones__state__in=MILESTONE_TO_SUBMIT)
    soon = day + datetime.timedelta(days=DUE_SOON_DAYS)
    return internships.annotate(
        pbl_planned=Count("milestones", filter=planned),
        pbl_accepted=Count("milestones", filter=Q(milestones__state=MilestoneState.ACCEPTED)),
        pbl_awaiting=Count("milestones", filter=Q(milestones__state=MilestoneState.SUBMITTED)),
        pbl_overdue=Count("milestones", filter=to_submit & Q(milestones__due_on__lt=day)),
        pbl_due=Count(
            "milestones",
            filter=to_submit & Q(milestones__due_on__gte=day, milestones__due_on__lte=soon),
        ),
        pbl_final=Exists(FinalReview.objects.filter(internship=OuterRef("pk"))),
    )


def final_review_ready(internship: Internship) -> bool:
    """Whether the final review may be given now: active, milestones planned and all accepted,
    none given yet."""
    planned = internship.milestones.exclude(state=MilestoneState.CANCELLED)
    return (
        internship.state in WORKING_STATES
        and planned.exists()
        and not planned.exclude(state=MilestoneState.ACCEPTED).exists()
        and not FinalReview.objects.filter(internship=internship).exists()
    )


def board(internship: Internship, day: datetime.date) -> list[Milestone]:
    """The internship's milestones in order, each with ``number``, ``versions`` (latest first),
    ``latest``, ``reviews``, ``transitions_list`` and ``attention``: what the PBL page shows."""
    milestones = list(
        milestones_with_attention(internship, day).prefetch_related(
            "deliverables__uploaded_by", "reviews__reviewer", "transitions__actor"
        )
    )
    for number, milestone in enumerate(milestones, start=1):
        milestone.number = number
        milestone.versions = list(milestone.deliverables.all())  # ordered latest first
        milestone.latest = milestone.versions[0] if milestone.versions else None
        milestone.review_list = list(milestone.reviews.all())
        milestone.transitions_list = list(milestone.transitions.all())
        milestone.attention_label = Attention.LABELS.get(milestone.attention, "")
    return milestones


def milestones_with_attention(internship: Internship, day: datetime.date) -> QuerySet:
    """One internship's milestones with ``attention`` on ``day`` ("" when nothing is needed or
    the internship is not in force)."""
    rows = Milestone.objects.filter(internship=internship).order_by("due_on", "pk")
    if internship.state not in WORKING_STATES:
        return rows.annotate(attention=Value("", output_field=CharField()))
    return rows.annotate(attention=_attention(day))
