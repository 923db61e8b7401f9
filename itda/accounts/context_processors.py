"""The main navigation, per role."""

from django.urls import reverse

from itda.accounts.roles import Role

_PUBLIC = [
    ("공모·모집", "recruitment:call_list"),
    ("사업 안내", "programs:programme_list"),
    ("산단 대개조", "programs:plan_list"),
    ("산업단지", "programs:complex_list"),
    ("시·도", "programs:region_list"),
]


_STAFF = [
    ("교육 과정", "training:course_list"),
    ("교육 기수", "enrolment:cohort_list"),
    ("재직자 추천", "nominations:review"),
    ("시설 예약", "training:venue_list"),
    ("출결 정정", "attendance:corrections"),
    ("훈련수당", "payments:overview"),
    ("지급 명세", "payments:statement_list"),
    ("지급 배치", "payments:batch_list"),
    ("인턴 자리 검토", "internships:review_queue"),
    ("연계 차수", "matching:round_list"),
    ("인턴십", "internships:internship_list"),
    ("OJT 월간 보고", "internships:ojt_review_queue"),
    ("채용 결과", "internships:outcome_queue"),
]
# Each role's own pages, shown after "내 업무" and before the public pages.
_ROLE_PAGES = {
    Role.OPERATOR: _STAFF,
    Role.GROUP_STAFF: _STAFF,
    Role.COMPANY: [
        ("내 신청", "recruitment:my_applications"),
        ("재직자 교육 추천", "nominations:company"),
        ("회의실 예약", "training:meeting_list"),
        ("인턴 자리", "internships:my_positions"),
        ("인턴십 연계", "matching:company_rounds"),
        ("우리 회사 인턴", "internships:company_interns"),
        ("멘토", "internships:company_mentors"),
        ("우리 회사 채용", "internships:company_hires"),
        ("인건비 지원금", "payments:my_money"),
    ],
    Role.TRAINEE: [
        ("내 신청", "recruitment:my_applications"),
        ("내 교육", "outcomes:my_training"),
        ("내 훈련수당", "payments:my_allowance"),
        ("내 지원금", "payments:my_money"),
        ("인턴십 연계", "matching:trainee_rounds"),
        ("내 인턴십", "internships:my_internship"),
    ],
    Role.VIEWER: [("지급 현황", "payments:money_totals")],
    Role.MENTOR: [
        ("내 인턴", "internships:mentor_interns"),
        ("인턴십", "internships:internship_list"),
    ],
}


def navigation(request) -> dict:
    """``nav_items`` for base.html: the role's own pages, then the public reference pages."""
    entries = list(_PUBLIC)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        entries[0:0] = [("내 업무", "accounts:home"), *_ROLE_PAGES.get(user.role, [])]
        if user.role == Role.OPERATOR:
            entries.append(("인턴십 시작 차수", "internships:start_waves"))
            entries.append(("지급 현황", "payments:money_totals"))
            entries.append(("접속기록", "accounts:access_log"))
    items = []
    for label, name in entries:
        url = reverse(name)
        items.append(
            {"label": label, "url": url, "active": request.path.startswith(url) and url != "/"}
        )
    return {"nav_items": items}
