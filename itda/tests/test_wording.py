"""Korean that reads right (issue 11 §6): the pages render as each role sees them and say what
the programme and the data say, in words an operator, a company and a trainee use.

Developer words (포지션, 라운드, blocking pairs, sha256, the engine's command line) stay in the
README, the API's documentation and the Excel/JSON exports; screens use 인턴 자리, 연계 차수,
엇갈린 쌍 and 입력 확인값. KOSMES is the 전담기관 everywhere.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template

from itda import factories
from itda.evaluation.seed import calls_seed
from itda.internships.models import Placement, Position
from itda.lib.korean import josa
from itda.programs.models import Programme, Region, TransformationPlan
from itda.programs.services import reference_load
from itda.recruitment.models import Call, CallKind

ITDA = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(ITDA.glob("*/templates/**/*.html")) + sorted(ITDA.glob("templates/**/*.html"))
# Python whose strings reach a screen (messages, labels, choices); exports, the API and the
# engine are documentation-side and keep the technical words.
SCREEN_PYTHON = sorted(
    path
    for name in (
        "views.py",
        "*_views.py",
        "forms.py",
        "services.py",
        "models.py",
        "selectors.py",
        "context_processors.py",
    )
    for path in ITDA.glob(f"*/{name}")
)

# Words that do not belong on a screen, with the word that does.
SCREEN_BANNED = {
    "전문인력 양성사업": "스마트제조 전문인력 육성사업",
    "운영기관": "전담기관 (중소벤처기업진흥공단)",
    "이(가)": "lib.korean.josa",
    "을(를)": "lib.korean.josa",
    "은(는)": "lib.korean.josa",
    "와(과)": "lib.korean.josa",
    "(으)로": "lib.korean.josa",
    "과락": "선정 기준 점수 / 기준 점수 미달 (과락 is per item)",
    "우리 순위": "기업 순위",
    "합격자": "배정된 교육생",
    "포지션": "인턴 자리",
    "라운드": "연계 차수",
    "불안정 쌍": "엇갈린 쌍",
    "blocking": "엇갈린 쌍",
    "sha256": "입력 확인값",
    "SHA-256": "입력 확인값",
    "python -m": "(the README documents the command)",
}
LONE_SIL = re.compile(r"(?<![가-힣])실(?![가-힣])")  # 실 alone as a noun: 공간


def _screen_text(template: str) -> str:
    """What a template puts on the screen: no comments, tags, variables or HTML markup."""
    for pattern in (r"\{#.*?#\}", r"\{%.*?%\}", r"\{\{.*?\}\}", r"<[^>]*>"):
        template = re.sub(pattern, " ", template, flags=re.S)
    return template


def _python_strings(source: str) -> str:
    """The Korean string literals of a module (docstrings and comments may name things)."""
    return "\n".join(s for s in re.findall(r'"([^"\n]*)"', source) if re.search("[가-힣]", s))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ITDA)))
def test_templates_say_no_banned_word(path):
    raw = path.read_text(encoding="utf-8")
    text = _screen_text(raw)
    found = {word: better for word, better in SCREEN_BANNED.items() if word in text}
    assert not found, f"{path.name}: use {found}"
    assert not LONE_SIL.search(text), f"{path.name}: 실 alone → 공간"
    # Django's Korean locale spells D as 월요일; compact dates use kdate's one letter.
    assert not re.search(r'\|date:"[^"]*D', raw), f"{path.name}: use |kdate for weekdays"
    assert "|upper" not in raw, f"{path.name}: show kinds in Korean words"


@pytest.mark.parametrize("path", SCREEN_PYTHON, ids=lambda p: str(p.relative_to(ITDA)))
def test_screen_messages_say_no_banned_word(path):
    strings = _python_strings(path.read_text(encoding="utf-8"))
    found = {word: better for word, better in SCREEN_BANNED.items() if word in strings}
    assert not found, f"{path.name}: use {found}"
    assert not LONE_SIL.search(strings), f"{path.name}: 실 alone → 공간"


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("남동국가산업단지", "이/가", "남동국가산업단지가"),
        ("반월시화국가산업단지", "이/가", "반월시화국가산업단지가"),
        ("사업계획서", "을/를", "사업계획서를"),
        ("사업자등록증 사본", "을/를", "사업자등록증 사본을"),
        ("'T1-BASIC'", "을/를", "'T1-BASIC'를"),  # C is read 씨
        ("게시", "으로/로", "게시로"),
        ("보완 요청", "으로/로", "보완 요청으로"),
        ("종료", "으로/로", "종료로"),
        ("서울", "으로/로", "서울로"),  # ㄹ takes 로
        ("PDF", "을/를", "PDF를"),
        ("PBL", "을/를", "PBL을"),  # 엘 ends in ㄹ: a consonant
        ("3", "을/를", "3을"),
    ],
)
def test_josa_fits_the_word(word, pair, expected):
    assert josa(word, pair) == expected


def test_kdate_writes_a_one_letter_weekday():
    rendered = Template('{% load itda %}{{ d|kdate:"n/j(D)" }} {{ d|kdate:"Y. n. j.(D)" }}')
    out = rendered.render(Context({"d": datetime.date(2026, 12, 7)}))
    assert out == "12/7(월) 2026. 12. 7.(월)"


# --- Pages as the roles see them -------------------------------------------------------------


def test_footer_names_the_programme_and_only_what_exists(client, db):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer id="krds-footer"') :]
    assert "스마트제조 전문인력 육성사업" in footer
    assert "양성사업" not in footer
    # Internship management (monthly reports) and hiring outcomes are not built yet.
    assert "인턴십·채용" not in footer and "채용을" not in footer
    landing = html[: html.index('<footer id="krds-footer"')]
    assert "멘토 보고" not in landing and "채용 성과까지" not in landing


@pytest.fixture
def reference(db):
    reference_load()


def test_a_plan_names_its_region_as_it_was_in_the_round_year(client, reference):
    plan = TransformationPlan.objects.get(region__code="52", round_year=2021)
    assert plan.region_name == "전라북도"
    html = client.get(f"/reference/plans/{plan.pk}/").content.decode()
    assert "<h1>전라북도 산업단지 대개조 혁신계획</h1>" in html
    assert "전라북도 (현 전북특별자치도, 호남권)" in html
    assert "전북특별자치도 산업단지" not in html
    listing = client.get("/reference/plans/").content.decode()
    assert "전라북도</a>" in listing and "전북특별자치도</a>" not in listing
    # A region that was never renamed, and a date after the rename, keep today's name.
    jeonbuk = Region.objects.get(code="52")
    assert jeonbuk.name_on(datetime.date(2024, 1, 18)) == "전북특별자치도"
    assert Region.objects.get(code="11").name_on(datetime.date(2021, 1, 1)) == "서울특별시"


def test_the_committee_is_not_a_managing_agency_and_kosmes_is_the_managing_agency(
    client, reference
):
    transformation = client.get(
        "/reference/programmes/complex-transformation-2021/"
    ).content.decode()
    assert "전담·운영기관" not in transformation
    assert "<dt>전담기관</dt>" not in transformation
    assert "노후거점산업단지 경쟁력강화추진위원회</th><td>지역 선정 심의" in transformation
    mss = Programme.objects.get(code="mss-smart-mfg-2026")
    html = client.get(f"/reference/programmes/{mss.code}/").content.decode()
    assert "<dt>전담기관</dt><dd>중소벤처기업진흥공단 (인력지원처)</dd>" in html
    assert "중소벤처기업진흥공단 인력지원처</th><td>전담기관" in html


def test_a_complex_heading_takes_the_right_particle(client, reference):
    plan = TransformationPlan.objects.get(region__code="52", round_year=2021)
    hub = plan.sites.get(role="hub").complex
    html = client.get(f"/reference/complexes/{hub.pk}/").content.decode()
    assert f"{hub.name}가 포함된 산업단지 대개조 계획" in html


def test_call_page_shows_file_kinds_and_the_overall_cutoff_in_korean(
    client, login_as, admin, reference
):
    calls_seed()
    call = Call.objects.get(programme__code="mss-smart-mfg-2026", kind=CallKind.COMPANY)
    login_as(admin)
    html = client.get(f"/calls/{call.pk}/").content.decode()
    assert "사업자등록증 사본 (필수) — PDF, 이미지(JPG/PNG)" in html
    assert "PDF, IMAGE" not in html
    # The value is marked as a rule (data-rule) with its origin badge after it.
    assert re.search(r'선정 기준 점수 <span class="itda-rule" data-rule="[^"]+">60점</span>', html)
    assert "(총점)" in html
    assert "과락" not in html and "60.00" not in html


def test_compact_session_cells_use_one_letter_weekdays(client, login_as, seoul_staff, regions):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    factories.sessions(cohort=cohort, days=[datetime.date(2026, 12, 7)])
    login_as(seoul_staff)
    html = client.get(f"/training/cohorts/{cohort.pk}/").content.decode()
    assert "12/7(월) 09:00" in html and "월요일" not in html


@pytest.mark.parametrize(("who", "url"), [("admin", "/operator/"), ("viewer", "/viewer/")])
def test_homes_count_registered_companies_and_trainees_as_registered(
    client, login_as, cast, who, url
):
    login_as(cast[who])
    html = client.get(url).content.decode()
    assert "등록 기업" in html and "등록 교육생" in html
    assert "기업 신청" not in html and "교육생 신청" not in html and "신청 현황" not in html


def _steps(client) -> list[tuple[str, str]]:
    html = client.get("/trainee/").content.decode()
    bar = html[html.index('data-testid="steps"') :]
    bar = bar[: bar.index("</ol>")]
    return re.findall(r'<li class="is-(\w+)"[^>]*>([^<]+)</li>', bar)


def test_the_trainee_step_bar_follows_the_records(client, login_as, trainee, regions, company):
    me = trainee.trainee
    login_as(trainee)
    assert _steps(client)[0] == ("current", "신청")

    call = factories.call(
        programme=regions["programme"], kind=CallKind.TRAINEE, track=regions["track"]
    )
    application = factories.application(call=call, trainee=me)
    assert _steps(client)[:2] == [("current", "신청"), ("todo", "선발")]

    application.result = "selected"
    application.save(update_fields=["result"])
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    enrollment = factories.enrollment(cohort=cohort, trainee=me, application=application)
    assert [s for s, _ in _steps(client)] == ["done", "done", "current"] + ["todo"] * 4

    enrollment.status = "completed"
    enrollment.save(update_fields=["status"])
    position = Position.objects.create(
        company=company.companies.get(),
        track=regions["track"],
        title="설비 운영 인턴",
        duties="-",
        seats=1,
        region=regions["seoul"],
        site_address="-",
        mentor_name="-",
        status="published",
        created_by=company,
    )
    placement = Placement.objects.create(
        trainee=me, position=position, origin="test", created_by=company
    )
    assert _steps(client)[4] == ("current", "연계")
    placement.state = "started"
    placement.save(update_fields=["state"])
    steps = _steps(client)
    assert steps[5] == ("current", "인턴")
    # 채용 waits for a verified hire after the internship (internships/tests/test_ending_pages).
    assert steps[6] == ("todo", "채용")
