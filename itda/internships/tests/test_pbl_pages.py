"""The PBL pages: the company side sets the problem and milestones and reviews, the intern hands
in from 내 인턴십 on a phone, staff see progress on the internship; a bad or oversized file is
refused in Korean; another company, region or intern gets 404; downloads are logged."""

import datetime
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.internships import agreements, pbl
from itda.internships.models import Deliverable, FinalReview, Milestone, Position
from itda.internships.tests.pbl_support import (
    DOCX,
    EXE,
    PDF,
    pbl_origins,
    upload,
)

pytestmark = pytest.mark.django_db

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile"}


@pytest.fixture
def internship(pbl_active):
    return pbl_active


def _signed_in(user) -> Client:
    """A client of a mentor account (its password was handed over once, so force the login)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mentor_client(setup):
    return _signed_in(setup["mentor"].user)


def _text(response) -> str:
    return unescape(response.content.decode())


def _planned(internship, actor, *dues):
    pbl.problem_set(
        internship=internship,
        title="설비 이상 탐지",
        description="진동 데이터",
        expected_outcome="모델",
        actor=actor,
    )
    return [
        pbl.milestone_create(internship=internship, title=f"단계 {i}", due_on=due, actor=actor)
        for i, due in enumerate(dues, 1)
    ]


def _post_upload(client, milestone, name, content):
    return client.post(
        f"/me/internship/pbl/milestones/{milestone.pk}/upload/",
        {"upload": upload(name, content), "note": "첫 제출"},
        follow=True,
        **PHONE,
    )


def test_the_whole_pbl_story_through_the_pages(
    internship, mentor_client, login_as, trainee, seoul_staff
):
    pk = internship.pk
    page = _text(mentor_client.get(f"/internships/{pk}/pbl/"))
    assert "기업이 아직 과제를 정하지 않았습니다" in page and "과제 정하기" in page
    # The problem form starts from the PBL problem the company wrote on the position.
    Position.objects.filter(pk=internship.placement.position_id).update(
        problem_statement="프레스 진동 데이터로 이상 탐지"
    )
    problem_form = _text(mentor_client.get(f"/internships/{pk}/pbl/problem/"))
    assert "프레스 진동 데이터로 이상 탐지</textarea>" in problem_form
    form = {"title": "설비 이상 탐지", "description": "진동 데이터로", "expected_outcome": "모델"}
    assert mentor_client.post(f"/internships/{pk}/pbl/problem/", form).status_code == 302
    response = mentor_client.post(
        f"/internships/{pk}/pbl/milestones/new/",
        {"title": "데이터 수집", "description": "", "due_on": "2026-08-28"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()

    intern = login_as(trainee, Client())
    page = _text(intern.get("/me/internship/", **PHONE))
    assert "PBL 진행" in page and "데이터 수집" in page
    page = _text(intern.get("/me/internship/pbl/", **PHONE))
    assert "설비 이상 탐지" in page and 'name="upload"' in page and "10MB 이하" in page
    assert 'name="decision"' not in page  # the intern does not review
    page = _text(_post_upload(intern, milestone, "수집 결과.pdf", PDF))
    assert "버전 1을 제출했습니다" in page and "검토 대기" in page

    page = _text(mentor_client.get(f"/internships/{pk}/pbl/"))
    assert 'name="decision"' in page and "수집 결과.pdf" in page
    mentor_client.post(
        f"/internships/pbl/milestones/{milestone.pk}/review/",
        {"version": 1, "decision": "changes_requested", "comment": "결측치 처리를 보여 주세요"},
    )
    page = _text(intern.get("/me/internship/pbl/", **PHONE))
    assert "보완 요청" in page and "결측치 처리를 보여 주세요" in page
    _post_upload(intern, milestone, "수집 결과 v2.docx", DOCX)
    mentor_client.post(
        f"/internships/pbl/milestones/{milestone.pk}/review/",
        {"version": 2, "decision": "accepted", "comment": ""},
    )
    milestone.refresh_from_db()
    assert milestone.state == "accepted"
    page = _text(mentor_client.get(f"/internships/{pk}/pbl/"))
    assert "첫 마일스톤 검토가 끝나 과제를 더 바꿀 수 없습니다" in page
    assert "최종 평가하기" in page

    scores = {"score_problem": 18, "score_solution": 25, "score_result": 27}
    scores |= {"score_documentation": 8, "score_collaboration": 9}
    response = mentor_client.post(
        f"/internships/{pk}/pbl/final-review/",
        {"summary": "탐지 모델 완성", "comment": "우수"} | scores,
    )
    assert response.status_code == 302
    assert FinalReview.objects.get().total_score == 87

    staff = login_as(seoul_staff, Client())
    page = _text(staff.get(f"/internships/{pk}/"))
    assert "PBL 진행" in page and "마일스톤 1/1 승인" in page and "87점 / 100점" in page
    page = _text(staff.get(f"/internships/{pk}/pbl/"))
    assert "수집 결과 v2.docx" in page and "총점 87점 / 100점" in page
    assert 'name="decision"' not in page and "과제 바꾸기" not in page  # staff watch


def test_a_renamed_program_and_an_oversized_file_are_refused_on_the_page(
    internship, login_as, trainee, company, settings
):
    (milestone,) = _planned(internship, company, datetime.date(2026, 9, 1))
    intern = login_as(trainee, Client())
    page = _text(_post_upload(intern, milestone, "보고서.pdf", EXE))
    assert "파일 내용이 PDF 형식이 아닙니다" in page
    big = PDF + b"0" * (10 * 1024 * 1024)
    page = _text(_post_upload(intern, milestone, "보고서.pdf", big))
    assert "파일이 너무 큽니다. 10MB 이하만 올릴 수 있습니다." in page
    page = _text(_post_upload(intern, milestone, "설치.exe", EXE))
    assert "올릴 수 없는 형식입니다" in page
    milestone.refresh_from_db()
    assert milestone.state == "open" and not Deliverable.objects.exists()
    assert not (settings.MEDIA_ROOT / "pbl").exists()


def test_download_is_logged_and_refused_to_another_company_region_and_intern(
    internship, login_as, trainee, company, seoul_staff, busan_staff, regions, mentor_client
):
    (milestone,) = _planned(internship, company, datetime.date(2026, 9, 1))
    deliverable = pbl.deliverable_upload(
        milestone=milestone, upload=upload("보고서.pdf", PDF), actor=trainee
    )
    url = f"/internships/pbl/deliverables/{deliverable.pk}/"

    response = mentor_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    log = PersonalDataAccess.objects.filter(subject_type="internships.deliverable").get()
    assert (log.actor, log.action, log.subject_ids, log.reason) == (
        internship.mentor.user,
        "export",
        [deliverable.pk],
        "PBL 산출물 내려받기",
    )

    other_company = factories.user(username="other_company", role="company")
    factories.CompanyFactory(region=regions["seoul"]).managers.add(other_company)
    stranger, _ = agreements.mentor_create(
        company=other_company.companies.get(),
        username="other_mentor",
        name="박멘토",
        actor=other_company,
    )
    other_intern = factories.user(username="other_intern", role="trainee")
    factories.TraineeFactory(user=other_intern, region=regions["seoul"])
    for outsider in (other_company, stranger.user, busan_staff, other_intern):
        client = _signed_in(outsider) if outsider == stranger.user else login_as(outsider, Client())
        assert client.get(url).status_code == 404, outsider
    denied = PersonalDataAccess.objects.filter(
        subject_type="internships.deliverable", action="denied"
    )
    assert denied.count() == 4
    assert set(denied.values_list("actor_username", flat=True)) == {
        "other_company",
        "other_mentor",
        "busan_staff",
        "other_intern",
    }


def test_every_pbl_url_is_404_to_another_region_company_and_intern(
    internship, login_as, company, trainee, busan_staff, regions
):
    (milestone,) = _planned(internship, company, datetime.date(2026, 9, 1))
    deliverable = pbl.deliverable_upload(
        milestone=milestone, upload=upload("a.pdf", PDF), actor=trainee
    )
    other_company = factories.user(username="other_company", role="company")
    factories.CompanyFactory(region=regions["seoul"]).managers.add(other_company)
    other_intern = factories.user(username="other_intern", role="trainee")
    factories.TraineeFactory(user=other_intern, region=regions["seoul"])
    pk, m = internship.pk, milestone.pk
    gets = [
        f"/internships/{pk}/pbl/",
        f"/internships/{pk}/pbl/problem/",
        f"/internships/{pk}/pbl/milestones/new/",
        f"/internships/{pk}/pbl/final-review/",
        f"/internships/pbl/milestones/{m}/edit/",
        f"/internships/pbl/deliverables/{deliverable.pk}/",
    ]
    posts = [
        (
            f"/internships/{pk}/pbl/problem/",
            {"title": "x", "description": "x", "expected_outcome": "x"},
        ),
        (f"/internships/{pk}/pbl/milestones/new/", {"title": "x", "due_on": "2026-09-01"}),
        (f"/internships/pbl/milestones/{m}/cancel/", {"reason": "남의 것"}),
        (f"/internships/pbl/milestones/{m}/review/", {"version": 1, "decision": "accepted"}),
        (f"/me/internship/pbl/milestones/{m}/upload/", {"upload": upload("b.pdf", PDF)}),
    ]
    for outsider in (other_company, busan_staff, other_intern):
        client = login_as(outsider, Client())
        for url in gets:
            assert client.get(url).status_code == 404, (outsider, url)
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (outsider, url)
    assert "설비 이상 탐지" not in _text(
        login_as(other_intern, Client()).get("/me/internship/pbl/")
    )
    milestone.refresh_from_db()
    assert milestone.state == "submitted" and Deliverable.objects.count() == 1


def test_watchers_see_but_do_not_plan_or_review(
    internship, login_as, company, trainee, seoul_staff
):
    (milestone,) = _planned(internship, company, datetime.date(2026, 9, 1))
    pbl.deliverable_upload(milestone=milestone, upload=upload("a.pdf", PDF), actor=trainee)
    other_mentor, _ = agreements.mentor_create(
        company=company.companies.get(), username="mentor2", name="이멘토", actor=company
    )
    for watcher in (seoul_staff, other_mentor.user):
        client = _signed_in(watcher) if watcher.role == "mentor" else login_as(watcher, Client())
        assert client.get(f"/internships/{internship.pk}/pbl/").status_code == 200
        for form in ("problem/", "milestones/new/", "final-review/"):
            assert client.get(f"/internships/{internship.pk}/pbl/{form}").status_code == 403
        response = client.post(
            f"/internships/pbl/milestones/{milestone.pk}/review/",
            {"version": 1, "decision": "accepted"},
            follow=True,
        )
        assert "멘토나 기업 담당자만 검토할 수 있습니다" in _text(response)
    milestone.refresh_from_db()
    assert milestone.state == "submitted"


def test_an_ojt_internship_has_no_pbl_page(setup, login_as, seoul_staff, trainee):
    from itda.internships.tests.conftest import propose

    internship = propose(setup, seoul_staff)
    staff = login_as(seoul_staff, Client())
    assert staff.get(f"/internships/{internship.pk}/pbl/").status_code == 404
    assert "PBL 진행" not in _text(staff.get(f"/internships/{internship.pk}/"))
    intern = login_as(trainee, Client())
    assert "진행 중인 문제해결형(PBL) 인턴십이 없습니다" in _text(intern.get("/me/internship/pbl/"))


def test_a_changes_request_without_comment_is_refused_on_the_page(
    internship, mentor_client, company, trainee
):
    (milestone,) = _planned(internship, company, datetime.date(2026, 9, 1))
    pbl.deliverable_upload(milestone=milestone, upload=upload("a.pdf", PDF), actor=trainee)
    response = mentor_client.post(
        f"/internships/pbl/milestones/{milestone.pk}/review/",
        {"version": 1, "decision": "changes_requested", "comment": " "},
        follow=True,
    )
    assert "보완을 요청할 때는 무엇을 고칠지 의견을 적어야 합니다" in _text(response)
    milestone.refresh_from_db()
    assert milestone.state == "submitted" and not milestone.reviews.exists()


def test_a_due_date_outside_the_internship_is_refused_on_the_form(
    internship, mentor_client, company
):
    _planned(internship, company)
    response = mentor_client.post(
        f"/internships/{internship.pk}/pbl/milestones/new/",
        {"title": "늦은 단계", "due_on": "2026-11-15"},
    )
    assert response.status_code == 200
    assert "마감일은 인턴십 기간(2026-08-03~2026-10-31) 안이어야 합니다" in _text(response)
    assert not Milestone.objects.exists()


def test_the_defaults_say_they_are_itda_defaults(internship, mentor_client, company, regions):
    pbl_origins(regions["programme"])
    (milestone,) = _planned(internship, company, datetime.date(2026, 9, 1))
    page = _text(mentor_client.get(f"/internships/{internship.pk}/pbl/"))
    assert 'data-origin-kind="default"' in page
    assert "itda 기본값 — 운영지침 확인 필요" in page
    form = _text(mentor_client.get(f"/internships/{internship.pk}/pbl/final-review/"))
    assert 'data-rule="test-programme.internship.pbl_criteria"' in form
    assert "20·30·30·10·10점" in form and "itda 기본값 — 운영지침 확인 필요" in form


def test_the_page_takes_the_same_queries_for_one_or_many_milestones(
    internship, mentor_client, company, trainee
):
    (first,) = _planned(internship, company, datetime.date(2026, 9, 1))
    pbl.deliverable_upload(milestone=first, upload=upload("a.pdf", PDF), actor=trainee)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert mentor_client.get(f"/internships/{internship.pk}/pbl/").status_code == 200
        return len(queries)

    count()  # the session is saved at most once a minute: not on the requests counted
    one = count()
    for i in range(4):
        more = pbl.milestone_create(
            internship=internship,
            title=f"추가 {i}",
            due_on=datetime.date(2026, 9, 2),
            actor=company,
        )
        pbl.deliverable_upload(milestone=more, upload=upload("b.pdf", PDF), actor=trainee)
        pbl.deliverable_upload(milestone=more, upload=upload("c.pdf", PDF), actor=trainee)
    assert count() == one
