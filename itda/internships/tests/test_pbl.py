"""Track 2 (PBL): the company side sets a versioned problem and milestones inside the internship,
the intern hands in checked files (versions; the latest counts), the mentor reviews each
milestone and gives the final review; illegal moves are refused in Korean and change nothing;
the reminder selector is one query for any number of internships."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.accounts.roles import Role
from itda.internships import agreements, pbl
from itda.internships.models import (
    Deliverable,
    FinalReview,
    Internship,
    Milestone,
    MilestoneReview,
    MilestoneTransition,
    ProblemStatementVersion,
)
from itda.internships.pbl import PblError
from itda.internships.tests.conftest import make_position, place, propose
from itda.internships.tests.pbl_support import (
    DOCX,
    EXE,
    PDF,
    PNG,
    pbl_internship,
    pbl_track,
    upload,
    zipped,
)
from itda.programs.models import Programme

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 9, 1)


@pytest.fixture
def internship(pbl_active):
    return pbl_active


@pytest.fixture
def mentor(setup):
    return setup["mentor"].user


def _problem(internship, actor, **changes):
    values = {
        "title": "설비 이상 탐지 모델",
        "description": "프레스 설비 진동 데이터로 이상을 미리 알아낸다.",
        "expected_outcome": "탐지 모델과 대시보드",
    }
    return pbl.problem_set(internship=internship, actor=actor, **(values | changes))


def _milestone(internship, actor, title="데이터 수집", due=datetime.date(2026, 8, 31)):
    return pbl.milestone_create(internship=internship, title=title, due_on=due, actor=actor)


def _planned(internship, mentor, *dues):
    _problem(internship, mentor)
    return [_milestone(internship, mentor, f"단계 {i}", due) for i, due in enumerate(dues, 1)]


def _hand_in(milestone, trainee, name="report.pdf", content=PDF):
    return pbl.deliverable_upload(milestone=milestone, upload=upload(name, content), actor=trainee)


def _review(milestone, version, decision, actor, comment=""):
    return pbl.milestone_review(
        milestone=milestone, version=version, decision=decision, comment=comment, actor=actor
    )


def _done(milestone, trainee, mentor):
    """The intern hands in and the mentor accepts."""
    return _review(milestone, _hand_in(milestone, trainee).version, "accepted", mentor)


# --- the problem statement -----------------------------------------------------------------------


def test_the_problem_is_versioned_and_a_change_needs_a_reason(internship, mentor, company):
    first = _problem(internship, mentor)
    assert (first.version, first.author) == (1, mentor)
    assert _problem(internship, mentor) == first  # unchanged: no new version
    with pytest.raises(PblError, match="바꾸는 사유"):
        _problem(internship, company, title="품질 예측 모델")
    second = _problem(internship, company, title="품질 예측 모델", note="기업 요청으로 범위 변경")
    assert second.version == 2 and pbl.current_problem(internship) == second
    history = list(internship.problem_versions.values_list("version", "title"))
    assert history == [(2, "품질 예측 모델"), (1, "설비 이상 탐지 모델")]


def test_the_problem_is_set_by_the_company_side_only(
    internship, setup, trainee, seoul_staff, company
):
    other_mentor, _ = agreements.mentor_create(
        company=setup["position"].company, username="mentor2", name="이멘토", actor=company
    )
    for outsider in (trainee, seoul_staff, other_mentor.user):
        with pytest.raises(PblError, match="멘토나 기업 담당자만 과제를 정할 수 있습니다"):
            _problem(internship, outsider)
    assert not ProblemStatementVersion.objects.exists()


def test_the_problem_locks_once_a_milestone_is_reviewed(internship, mentor, trainee):
    (step,) = _planned(internship, mentor, datetime.date(2026, 8, 31))
    version = _hand_in(step, trainee).version
    _review(step, version, "changes_requested", mentor, "표 추가")
    with pytest.raises(PblError, match="첫 마일스톤 검토가 끝난 뒤에는"):
        _problem(internship, mentor, title="다른 과제", note="바꾸고 싶음")
    assert ProblemStatementVersion.objects.count() == 1


def test_an_ojt_internship_has_no_pbl(setup, seoul_staff, mentor):
    ojt = propose(setup, seoul_staff)
    with pytest.raises(PblError, match="PBL 트랙 인턴십이 아닙니다"):
        _problem(ojt, mentor)


# --- milestones ----------------------------------------------------------------------------------


def test_milestones_are_due_inside_the_internship_after_the_problem(internship, mentor):
    with pytest.raises(PblError, match="먼저 과제를 정해야"):
        _milestone(internship, mentor)
    _problem(internship, mentor)
    for due in (datetime.date(2026, 8, 2), datetime.date(2026, 11, 1)):
        with pytest.raises(PblError, match=r"인턴십 기간\(2026-08-03~2026-10-31\) 안이어야"):
            _milestone(internship, mentor, due=due)
    late = _milestone(internship, mentor, "최종 발표", datetime.date(2026, 10, 30))
    early = _milestone(internship, mentor, "데이터 수집", datetime.date(2026, 8, 20))
    assert [m.title for m in pbl.board(internship, DAY)] == ["데이터 수집", "최종 발표"]
    assert [m.number for m in pbl.board(internship, DAY)] == [1, 2]
    assert Milestone.objects.count() == 2 and early.state == late.state == "open"
    assert MilestoneTransition.objects.filter(new="open", note="마일스톤 추가").count() == 2


def test_a_milestone_change_leaves_an_event_and_stops_once_accepted(internship, mentor, trainee):
    (step,) = _planned(internship, mentor, datetime.date(2026, 8, 31))
    pbl.milestone_change(milestone=step, due_on=datetime.date(2026, 9, 7), actor=mentor)
    event = step.transitions.last()
    assert (event.old, event.new) == ("open", "open")
    assert "마감일 2026-08-31 → 2026-09-07" in event.note
    with pytest.raises(PblError, match="인턴십 기간"):
        pbl.milestone_change(milestone=step, due_on=datetime.date(2027, 1, 1), actor=mentor)
    _done(step, trainee, mentor)
    with pytest.raises(PblError, match="'승인' 상태의 마일스톤은 바꿀 수 없습니다"):
        pbl.milestone_change(milestone=step, title="새 이름", actor=mentor)
    step.refresh_from_db()
    assert (step.title, step.due_on) == ("단계 1", datetime.date(2026, 9, 7))


def test_a_milestone_is_cancelled_with_a_reason_but_never_once_accepted(
    internship, mentor, trainee
):
    first, second = _planned(internship, mentor, DAY, DAY)
    with pytest.raises(PblError, match="사유"):
        pbl.milestone_cancel(milestone=first, reason=" ", actor=mentor)
    pbl.milestone_cancel(milestone=first, reason="범위 축소", actor=mentor)
    first.refresh_from_db()
    assert first.state == "cancelled"
    assert first.transitions.last().note == "범위 축소"
    _done(second, trainee, mentor)
    with pytest.raises(PblError, match="'승인' 상태의 마일스톤은 취소로 바꿀 수 없습니다"):
        pbl.milestone_cancel(milestone=second, reason="실수", actor=mentor)
    assert Milestone.objects.get(pk=second.pk).state == "accepted"


# --- deliverables --------------------------------------------------------------------------------


def test_the_intern_hands_in_versions_and_the_latest_counts(internship, mentor, trainee):
    (step,) = _planned(internship, mentor, DAY)
    first = _hand_in(step, trainee)
    second = _hand_in(step, trainee, "report-v2.docx", DOCX)
    step.refresh_from_db()
    assert (first.version, second.version, second.kind) == (1, 2, "ooxml")
    assert step.state == "submitted"
    assert pbl.latest_deliverable(step) == second
    assert second.file.name.startswith(f"pbl/{internship.pk}/{step.pk}/")
    assert "report" not in second.file.name  # stored under its content hash, not its name
    with second.file.open("rb") as fh:
        assert fh.read() == DOCX
    moves = list(step.transitions.values_list("old", "new"))
    assert moves[-2:] == [("open", "submitted"), ("submitted", "submitted")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", EXE, "이름만 바꾼 파일"),  # a program renamed .pdf
        ("photo.png", PDF, r"이미지\(JPG·PNG\) 형식이 아닙니다"),
        ("tool.exe", EXE, "올릴 수 없는 형식입니다"),
        ("notes.txt", b"hello", "올릴 수 없는 형식입니다"),
        ("empty.pdf", b"", "빈 파일"),
        ("code.zip", zipped({"main.py": b"print(1)", "setup.exe": EXE}), r"실행 파일\(setup.exe"),
        ("code.zip", zipped({"a.py": b"x"}, encrypted_flag=True), "암호가 걸린"),
        ("code.zip", b"PK\x03\x04 broken archive", "손상되어"),
        ("plan.docx", zipped({"word/document.xml": b"x"}), "DOCX·XLSX·PPTX\\) 형식이 아닙니다"),
    ],
)
def test_a_bad_file_is_refused_in_korean_and_nothing_changes(
    internship, mentor, trainee, settings, name, content, message
):
    (step,) = _planned(internship, mentor, DAY)
    with pytest.raises(PblError, match=message):
        _hand_in(step, trainee, name, content)
    step.refresh_from_db()
    assert step.state == "open" and not Deliverable.objects.exists()
    assert not (settings.MEDIA_ROOT / "pbl").exists()  # no file written either


def test_an_oversized_file_is_refused_at_the_document_bound(internship, mentor, trainee):
    assert pbl.DELIVERABLE_MAX_MB == 10  # the same bound as a call's documents
    (step,) = _planned(internship, mentor, DAY)
    big = PDF + b"0" * (10 * 1024 * 1024 + 1 - len(PDF))
    with pytest.raises(PblError, match="10MB 이하만"):
        _hand_in(step, trainee, "big.pdf", big)
    assert not Deliverable.objects.exists()
    just = _hand_in(step, trainee, "just.pdf", big[:-1])
    assert just.size == 10 * 1024 * 1024


def test_good_kinds_are_taken(internship, mentor, trainee):
    (step,) = _planned(internship, mentor, DAY)
    for name, content in (
        ("screen.PNG", PNG),
        ("code.zip", zipped({"src/model.py": b"import numpy", "run.sh": b"python x"})),
        ("report.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32),
    ):
        _hand_in(step, trainee, name, content)
    assert list(step.deliverables.values_list("kind", flat=True)) == ["hwp", "zip", "image"]


def test_only_the_intern_hands_in_and_only_while_in_force(
    setup, seoul_staff, company, trainee, mentor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    internship = pbl_internship(setup, seoul_staff, company, trainee, active=False)
    (step,) = _planned(internship, mentor, DAY)
    with pytest.raises(PblError, match="'협약 대기' 상태의 인턴십에서는 산출물을 올릴 수 없습니다"):
        _hand_in(step, trainee)
    for person in (company, trainee, seoul_staff):
        agreements.internship_accept(internship=internship, version=1, actor=person)
    with pytest.raises(PblError, match="이 인턴십의 인턴만 산출물을 올릴 수 있습니다"):
        _hand_in(step, mentor)
    assert not Deliverable.objects.exists()


# --- reviews -------------------------------------------------------------------------------------


def test_review_accepts_or_asks_for_changes_with_a_comment(internship, mentor, trainee):
    (step,) = _planned(internship, mentor, DAY)
    version = _hand_in(step, trainee).version
    with pytest.raises(PblError, match="의견을 적어야"):
        pbl.milestone_review(
            milestone=step, version=version, decision="changes_requested", actor=mentor
        )
    _review(step, version, "changes_requested", mentor, "그래프")
    step.refresh_from_db()
    assert step.state == "changes_requested"
    version = _hand_in(step, trainee).version
    review = _review(step, version, "accepted", mentor)
    step.refresh_from_db()
    assert (step.state, review.deliverable.version) == ("accepted", 2)
    trail = list(step.transitions.values_list("old", "new", "actor"))
    assert trail[1:] == [
        ("open", "submitted", trainee.pk),
        ("submitted", "changes_requested", mentor.pk),
        ("changes_requested", "submitted", trainee.pk),
        ("submitted", "accepted", mentor.pk),
    ]
    assert "버전 1 검토: 보완 요청 — 그래프" in step.transitions.values_list("note", flat=True)


def test_illegal_moves_are_refused_and_change_nothing(internship, mentor, trainee, company):
    (step,) = _planned(internship, mentor, DAY)
    with pytest.raises(PblError, match="검토하는 사이에|'진행 중' 상태의 마일스톤은 승인"):
        pbl.milestone_review(milestone=step, version=1, decision="accepted", actor=mentor)
    version = _hand_in(step, trainee).version
    with pytest.raises(PblError, match="멘토나 기업 담당자만 검토할 수 있습니다"):
        pbl.milestone_review(milestone=step, version=version, decision="accepted", actor=trainee)
    pbl.milestone_review(milestone=step, version=version, decision="accepted", actor=company)
    before = MilestoneTransition.objects.count()
    with pytest.raises(PblError, match="'승인' 상태의 마일스톤은 검토 대기"):
        _hand_in(step, trainee)
    with pytest.raises(PblError, match="'승인' 상태의 마일스톤은 보완 요청"):
        _review(step, version, "changes_requested", mentor, "다시")
    step.refresh_from_db()
    assert step.state == "accepted" and step.deliverables.count() == 1
    assert MilestoneTransition.objects.count() == before
    assert MilestoneReview.objects.count() == 1


def test_the_open_milestone_cannot_be_reviewed(internship, mentor):
    (step,) = _planned(internship, mentor, DAY)
    with pytest.raises(PblError, match="'진행 중' 상태의 마일스톤은 승인으로 바꿀 수 없습니다"):
        pbl.milestone_review(milestone=step, version=1, decision="accepted", actor=mentor)


def test_a_review_of_a_version_since_replaced_is_refused(internship, mentor, trainee):
    (step,) = _planned(internship, mentor, DAY)
    _hand_in(step, trainee)
    _hand_in(step, trainee)
    with pytest.raises(PblError, match="새 버전이 올라왔습니다"):
        pbl.milestone_review(milestone=step, version=1, decision="accepted", actor=mentor)
    assert Milestone.objects.get(pk=step.pk).state == "submitted"


def test_another_mentor_of_the_company_does_not_review(internship, mentor, trainee, company, setup):
    (step,) = _planned(internship, mentor, DAY)
    version = _hand_in(step, trainee).version
    other, _ = agreements.mentor_create(
        company=setup["position"].company, username="mentor2", name="이멘토", actor=company
    )
    with pytest.raises(PblError, match="멘토나 기업 담당자만 검토할"):
        pbl.milestone_review(milestone=step, version=version, decision="accepted", actor=other.user)


# --- the final review ----------------------------------------------------------------------------

SCORES = {"problem": 18, "solution": 25, "result": 27, "documentation": 8, "collaboration": 9}


def _final(internship, actor, **changes):
    values = {"summary": "탐지 모델 완성", "scores": SCORES, "comment": "우수"}
    return pbl.final_review_give(internship=internship, actor=actor, **(values | changes))


def test_the_final_review_waits_for_every_milestone_and_is_given_once(internship, mentor, trainee):
    with pytest.raises(PblError, match="마일스톤이 없어"):
        _final(internship, mentor)
    first, second, dropped = _planned(internship, mentor, DAY, DAY, DAY)
    pbl.milestone_cancel(milestone=dropped, reason="범위 축소", actor=mentor)
    _done(first, trainee, mentor)
    with pytest.raises(PblError, match="승인되지 않은 마일스톤이 있습니다: 단계 2"):
        _final(internship, mentor)
    assert not pbl.final_review_ready(internship)
    _done(second, trainee, mentor)
    assert pbl.final_review_ready(internship)
    with pytest.raises(PblError, match="결과물 완성도 점수는 0점에서 30점 사이"):
        _final(internship, mentor, scores=SCORES | {"result": 31})
    with pytest.raises(PblError, match="문제 정의·분석 점수"):
        _final(internship, mentor, scores={k: v for k, v in SCORES.items() if k != "problem"})
    review = _final(internship, mentor)
    assert (review.total_score, review.max_score) == (87, 100)
    solution = {"code": "solution", "label": "해결 방법·기술 적용", "max": 30, "score": 25}
    assert review.scores[1] == solution
    with pytest.raises(PblError, match="최종 평가는 이미 했습니다"):
        _final(internship, mentor)
    with pytest.raises(PblError, match="최종 평가를 마친 인턴십은"):
        _milestone(internship, mentor, "추가", DAY)
    assert FinalReview.objects.count() == 1 and not pbl.final_review_ready(internship)


def test_the_intern_cannot_grade_themselves(internship, mentor, trainee):
    (step,) = _planned(internship, mentor, DAY)
    _done(step, trainee, mentor)
    with pytest.raises(PblError, match="멘토나 기업 담당자만 최종 평가를 할"):
        _final(internship, trainee)


# --- the reminder selector -----------------------------------------------------------------------


def _more_pbl_internships(setup, regions, admin, seoul_staff, company, n, *, active=True):
    """n more PBL internships of the cast company (in force unless ``active`` is False), each
    with a problem, all mentored by the fixture's mentor."""
    Programme.objects.filter(pk=regions["programme"].pk).update(mentor_interns_max=20)
    track = pbl_track(regions["programme"])
    made = []
    for i in range(n):
        trainee_user = factories.user(username=f"intern{i}{active}", role=Role.TRAINEE)
        person = factories.TraineeFactory(user=trainee_user, region=regions["seoul"])
        position = make_position(company, regions["seoul"], track, title=f"AI 과제 {i}")
        placement = place(person, position, group=regions["capital_group"], actor=admin)
        internship = propose(setup | {"placement": placement}, seoul_staff)
        for actor in (company, trainee_user, seoul_staff) if active else ():
            agreements.internship_accept(internship=internship, version=1, actor=actor)
        _problem(internship, company)
        made.append((internship, trainee_user))
    return made


def test_due_overdue_and_awaiting_review_in_one_query(
    internship, mentor, trainee, setup, regions, admin, seoul_staff, company
):
    overdue, due, later, handed, accepted = _planned(
        internship,
        mentor,
        DAY - datetime.timedelta(days=1),
        DAY + datetime.timedelta(days=pbl.DUE_SOON_DAYS),
        DAY + datetime.timedelta(days=pbl.DUE_SOON_DAYS + 1),
        DAY - datetime.timedelta(days=3),
        DAY - datetime.timedelta(days=3),
    )
    submitted = _hand_in(handed, trainee)
    _done(accepted, trainee, mentor)
    today = DAY
    ((other, _intern),) = _more_pbl_internships(setup, regions, admin, seoul_staff, company, 1)
    due_today = _milestone(other, company, "오늘 마감", today)
    # A milestone of an agreement not yet in force needs nothing yet.
    ((proposed, _intern),) = _more_pbl_internships(
        setup, regions, admin, seoul_staff, company, 1, active=False
    )
    _milestone(proposed, company, "협약 전 마감", today)
    rows = pbl.milestones_needing_attention(Internship.objects.all(), today)
    with CaptureQueriesContext(connection) as queries:
        found = {m.pk: (m.attention, m.submitted_at) for m in rows}
    assert len(queries) == 1
    assert found == {
        overdue.pk: ("overdue", None),
        due.pk: ("due", None),
        handed.pk: ("awaiting_review", submitted.uploaded_at),
        due_today.pk: ("due", None),
    }
    # Only the internships asked about.
    mine = pbl.milestones_needing_attention(Internship.objects.filter(pk=internship.pk), today)
    assert {m.pk for m in mine} == {overdue.pk, due.pk, handed.pk}
    assert later.pk not in found and accepted.pk not in found


def test_the_selector_takes_one_query_for_one_or_many_internships(
    internship, mentor, setup, regions, admin, seoul_staff, company
):
    _planned(internship, mentor, DAY)

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = list(pbl.milestones_needing_attention(Internship.objects.all(), DAY))
            progress = list(pbl.pbl_progress(Internship.objects.all(), DAY))
        return len(queries), len(rows), len(progress)

    assert count() == (2, 1, 1)
    for other, _intern in _more_pbl_internships(setup, regions, admin, seoul_staff, company, 3):
        _milestone(other, company, "수집", DAY)
    assert count() == (2, 4, 4)


def test_progress_counts_per_internship(internship, mentor, trainee):
    steps = _planned(internship, mentor, DAY - datetime.timedelta(days=2), DAY, DAY, DAY)
    _hand_in(steps[1], trainee)
    _done(steps[2], trainee, mentor)
    pbl.milestone_cancel(milestone=steps[3], reason="범위 축소", actor=mentor)
    row = pbl.pbl_progress(Internship.objects.filter(pk=internship.pk), DAY).get()
    figures = (row.pbl_planned, row.pbl_accepted, row.pbl_awaiting, row.pbl_overdue, row.pbl_due)
    assert figures == (3, 1, 1, 1, 0)
    assert row.pbl_final is False


# --- concurrency ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_uploads_get_distinct_versions(internship, setup, trainee):
    mentor = setup["mentor"].user
    (step,) = _planned(internship, mentor, DAY)

    outcomes = factories.in_threads(
        4, lambda i: _hand_in(step, trainee, f"v{i}.pdf", PDF + str(i).encode())
    )
    assert all(isinstance(o, Deliverable) for o in outcomes), outcomes
    assert sorted(step.deliverables.values_list("version", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_concurrent_reviews_leave_one_decision(internship, setup, company, trainee):
    mentor = setup["mentor"].user
    (step,) = _planned(internship, mentor, DAY)
    version = _hand_in(step, trainee).version
    people = [mentor, company, mentor, company]

    def review(i):
        decision = "accepted" if i % 2 else "changes_requested"
        return pbl.milestone_review(
            milestone=step, version=version, decision=decision, comment="의견", actor=people[i]
        )

    outcomes = factories.in_threads(len(people), review)
    assert sum(isinstance(o, MilestoneReview) for o in outcomes) == 1, outcomes
    assert all(isinstance(o, (MilestoneReview, PblError)) for o in outcomes), outcomes
    step.refresh_from_db()
    review_row = MilestoneReview.objects.get()
    assert step.state == review_row.decision
    assert step.transitions.filter(old="submitted").count() == 1
