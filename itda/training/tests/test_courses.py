"""Courses, modules and cohorts on the staff side: per group, the cohort-length rule from the
programme's training rule, Korean messages, and another group's staff kept out."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itda import factories
from itda.programs.models import SmartFactoryLevel
from itda.training import services
from itda.training.models import Audience, Cohort, Course, CourseLevel

pytestmark = pytest.mark.django_db

JULY_1 = datetime.date(2026, 7, 1)


@pytest.fixture
def course(regions):
    factories.training_rule(programme=regions["programme"])
    return Course.objects.create(
        operating_group=regions["capital_group"],
        audience=Audience.JOB_SEEKER,
        track=regions["track"],
        level=CourseLevel.BASIC_PRACTICAL,
        code="T1-BP",
        title="스마트공장 운영 기초·실무",
    )


def _cohort_post(client, course, **overrides):
    data = {"number": 1, "starts_on": "2026-07-01", "ends_on": "2026-07-31", "capacity": 30}
    data.update(overrides)
    return client.post(f"/training/courses/{course.pk}/cohorts/new/", data)


def test_staff_create_a_track_course_with_modules_and_see_the_total_hours(
    client, login_as, seoul_staff, regions
):
    factories.training_rule(programme=regions["programme"])
    login_as(seoul_staff)
    response = client.post(
        "/training/courses/new/",
        {
            "operating_group": regions["capital_group"].pk,
            "audience": "job_seeker",
            "track": regions["track"].pk,
            "level": "basic",
            "code": "T1-B",
            "title": "스마트공장 운영 기초",
        },
    )
    course = Course.objects.get(code="T1-B")
    assert response.status_code == 302 and course.operating_group == regions["capital_group"]
    for title, hours in (("PLC 기초", 16), ("MES 실습", 24)):
        client.post(f"/training/courses/{course.pk}/modules/", {"title": title, "hours": hours})
    assert list(course.modules.values_list("order", "title")) == [(1, "PLC 기초"), (2, "MES 실습")]
    html = client.get(f"/training/courses/{course.pk}/").content.decode()
    assert 'data-testid="total-hours">40시간' in html
    for number in (1, 2):
        factories.cohort(
            group=regions["capital_group"], track=regions["track"], code="T1-B", number=number
        )
    row = client.get("/training/courses/").context["courses"].get(pk=course.pk)
    assert (row.hours, row.cohort_count) == (40, 2)  # not multiplied by the cohorts
    edit = {
        "operating_group": regions["capital_group"].pk,
        "audience": "job_seeker",
        "track": regions["track"].pk,
        "level": "practical",
        "code": "T1-P",
        "title": "스마트공장 운영 실무",
    }
    assert client.post(f"/training/courses/{course.pk}/edit/", edit).status_code == 302
    course.refresh_from_db()
    assert (course.code, course.level, course.modules.count()) == ("T1-P", "practical", 2)


def test_an_employee_course_is_by_factory_stage_and_has_no_track(seoul_staff, regions):
    group = regions["capital_group"]
    fields = {
        "operating_group": group,
        "audience": Audience.EMPLOYEE,
        "track": regions["track"],
        "level": "",
        "smart_factory_level": "",
        "code": "E-1",
        "title": "재직자 MES 단기",
    }
    with pytest.raises(services.TrainingError, match="대상 스마트공장 단계를 선택"):
        services.course_save(actor=seoul_staff, fields=fields)
    course = services.course_save(
        actor=seoul_staff, fields=fields | {"smart_factory_level": SmartFactoryLevel.INTERMEDIATE1}
    )
    assert course.track is None and course.level == CourseLevel.SHORT


def test_a_job_seeker_course_needs_a_track(seoul_staff, regions):
    with pytest.raises(services.TrainingError, match="구직자 과정은 트랙을 선택"):
        services.course_save(
            actor=seoul_staff,
            fields={
                "operating_group": regions["capital_group"],
                "audience": Audience.JOB_SEEKER,
                "track": None,
                "level": CourseLevel.BASIC,
                "code": "X",
                "title": "X",
            },
        )


def test_a_trainee_cohort_lasts_at_most_the_rules_months(client, login_as, seoul_staff, course):
    login_as(seoul_staff)
    response = _cohort_post(client, course, ends_on="2026-08-01")
    assert "구직자 기수의 교육기간은 최대 1개월입니다" in response.content.decode()
    assert "2026-07-31까지" in response.content.decode()
    assert not Cohort.objects.exists()
    assert _cohort_post(client, course).status_code == 302
    assert Cohort.objects.get().rule.max_cohort_months == 1


def test_the_limit_comes_from_the_rule_in_force_on_the_first_day(seoul_staff, course, regions):
    # A later version of the rule allows two months; cohorts starting from then may use them.
    factories.training_rule(
        programme=regions["programme"],
        effective_from=datetime.date(2026, 9, 1),
        max_cohort_months=2,
    )
    fields = {"number": 1, "capacity": 20}
    with pytest.raises(services.TrainingError, match="최대 1개월"):
        services.cohort_save(
            actor=seoul_staff,
            course=course,
            instructors=[],
            fields=fields | {"starts_on": JULY_1, "ends_on": datetime.date(2026, 8, 15)},
        )
    cohort = services.cohort_save(
        actor=seoul_staff,
        course=course,
        instructors=[],
        fields=fields
        | {"starts_on": datetime.date(2026, 9, 1), "ends_on": datetime.date(2026, 10, 31)},
    )
    assert cohort.rule.effective_from == datetime.date(2026, 9, 1)


def test_an_employee_short_course_is_not_bound_by_the_trainee_limit(seoul_staff, course):
    course.audience, course.track, course.level = Audience.EMPLOYEE, None, CourseLevel.SHORT
    course.smart_factory_level = SmartFactoryLevel.BASIC
    course.save()
    cohort = services.cohort_save(
        actor=seoul_staff,
        course=course,
        instructors=[],
        fields={
            "number": 1,
            "capacity": 20,
            "starts_on": JULY_1,
            "ends_on": datetime.date(2026, 9, 30),
        },
    )
    assert cohort.ends_on.month == 9


def test_instructors_are_staff_of_the_courses_group(seoul_staff, busan_staff, course):
    fields = {"number": 1, "capacity": 20, "starts_on": JULY_1, "ends_on": JULY_1}
    with pytest.raises(services.TrainingError, match="강사는 이 사업단의 담당자여야 합니다"):
        services.cohort_save(
            actor=seoul_staff, course=course, instructors=[busan_staff], fields=fields
        )
    cohort = services.cohort_save(
        actor=seoul_staff, course=course, instructors=[seoul_staff], fields=fields
    )
    assert list(cohort.instructors.all()) == [seoul_staff]


def test_the_cohort_page_shows_capacity_enrolment_and_rule(
    client, login_as, seoul_staff, course, regions
):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"], code="T1-BP")
    for _ in range(2):
        factories.enrollment(
            cohort=cohort, trainee=factories.TraineeFactory(region=regions["seoul"])
        )
    login_as(seoul_staff)
    html = client.get(f"/training/cohorts/{cohort.pk}/").content.decode()
    assert 'data-testid="capacity">30<' in html and 'data-testid="enrolled">2<' in html
    assert "최대 1개월" in html and "차시 추가" in html


def test_another_groups_staff_can_neither_see_nor_edit(
    client, login_as, busan_staff, course, regions
):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"], code="T1-BP")
    login_as(busan_staff)
    assert course.title not in client.get("/training/courses/").content.decode()
    for url in (
        f"/training/courses/{course.pk}/",
        f"/training/courses/{course.pk}/edit/",
        f"/training/cohorts/{cohort.pk}/",
        f"/training/cohorts/{cohort.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/training/courses/{course.pk}/modules/", {"title": "침입", "hours": 1})
    assert response.status_code == 404 and not course.modules.exists()
    with pytest.raises(services.TrainingError, match="권한이 없습니다"):
        services.module_add(actor=busan_staff, course=course, title="침입", hours=1)


def test_other_roles_are_refused(client, login_as, company, trainee, course):
    for user in (company, trainee):
        login_as(user)
        assert client.get("/training/courses/").status_code == 403
        assert client.get(f"/training/courses/{course.pk}/").status_code == 403


def test_course_list_runs_a_constant_number_of_queries(client, login_as, seoul_staff, regions):
    login_as(seoul_staff)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/training/courses/").status_code == 200
        return len(ctx.captured_queries)

    factories.cohort(group=regions["capital_group"], track=regions["track"], code="A")
    few = queries()
    for i in range(10):
        factories.cohort(group=regions["capital_group"], track=regions["track"], code=f"B{i}")
    assert queries() == few


def test_navigation_offers_the_pages_per_role(client, login_as, seoul_staff, company):
    def nav(user, url):
        login_as(user)
        return {item["label"]: item["url"] for item in client.get(url).context["nav_items"]}

    staff_nav = nav(seoul_staff, "/training/venues/")
    assert staff_nav["교육 과정"] == "/training/courses/"
    assert staff_nav["시설 예약"] == "/training/venues/"
    assert "회의실 예약" not in staff_nav
    company_nav = nav(company, "/training/meetings/")
    assert company_nav["회의실 예약"] == "/training/meetings/" and "교육 과정" not in company_nav


def test_edit_pages_start_from_the_saved_values(client, login_as, seoul_staff, course, regions):
    cohort = services.cohort_save(
        actor=seoul_staff,
        course=course,
        instructors=[seoul_staff],
        fields={"number": 3, "capacity": 25, "starts_on": JULY_1, "ends_on": JULY_1},
    )
    session = services.session_create(
        actor=seoul_staff,
        cohort=cohort,
        title="안전교육",
        starts_at=datetime.datetime(2026, 7, 1, 13, 30, tzinfo=factories.KST),
        ends_at=datetime.datetime(2026, 7, 1, 15, 0, tzinfo=factories.KST),
        instructor_name="김강사",
    )
    login_as(seoul_staff)
    assert 'value="T1-BP"' in client.get(f"/training/courses/{course.pk}/edit/").content.decode()
    html = client.get(f"/training/cohorts/{cohort.pk}/edit/").content.decode()
    assert 'value="2026-07-01"' in html and 'value="25"' in html
    assert f'value="{seoul_staff.pk}"' in html and "checked" in html
    html = client.get(f"/training/sessions/{session.pk}/edit/").content.decode()
    assert 'value="2026-07-01"' in html and 'value="13:30"' in html and 'value="15:00"' in html
    assert 'value="김강사"' in html
    # Course page link to the new cohort form proposes the next number.
    html = client.get(f"/training/courses/{course.pk}/cohorts/new/").content.decode()
    assert 'name="number" value="4"' in html


def test_a_cohort_cannot_shrink_away_from_its_sessions(seoul_staff, course):
    fields = {
        "number": 1,
        "capacity": 20,
        "starts_on": JULY_1,
        "ends_on": datetime.date(2026, 7, 10),
    }
    cohort = services.cohort_save(actor=seoul_staff, course=course, instructors=[], fields=fields)
    services.session_create(
        actor=seoul_staff,
        cohort=cohort,
        title="마지막 날",
        starts_at=datetime.datetime(2026, 7, 10, 9, tzinfo=factories.KST),
        ends_at=datetime.datetime(2026, 7, 10, 12, tzinfo=factories.KST),
    )
    with pytest.raises(services.TrainingError, match="교육기간 밖에 있는 차시"):
        services.cohort_save(
            actor=seoul_staff,
            course=course,
            cohort=cohort,
            instructors=[],
            fields=fields | {"ends_on": datetime.date(2026, 7, 9)},
        )
    cohort.refresh_from_db()
    assert cohort.ends_on == datetime.date(2026, 7, 10)


def test_a_course_cannot_be_moved_out_of_another_groups_hands(seoul_staff, busan_staff, course):
    fields = {
        "operating_group": busan_staff.operating_groups.get(),
        "audience": course.audience,
        "track": course.track,
        "level": course.level,
        "code": course.code,
        "title": "가로채기",
    }
    course.operating_group = fields["operating_group"]  # as a bound form would leave it
    with pytest.raises(services.TrainingError, match="권한이 없습니다"):
        services.course_save(actor=busan_staff, course=course, fields=fields)
    course.refresh_from_db()
    assert course.operating_group.staff.filter(pk=seoul_staff.pk).exists()
