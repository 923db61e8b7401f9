"""Excel import pages: template download, upload → preview → commit, and who may use them."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path
from openpyxl import load_workbook

from itda import factories
from itda import urls as site_urls
from itda.programs.models import Trainee
from itda.recruitment.models import Application, ApplicationTransition
from itda.recruitment.tests.test_import_service import TRAINEE_HEADER, _person, xlsx

# Until the site urls include the Excel pages, this module is the urlconf of its own tests.
urlpatterns = [path("", include("itda.recruitment.excel_urls")), *site_urls.urlpatterns]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def private_uploads(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "uploads" / "imports"


@pytest.fixture
def trainee_call(regions):
    return factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )


@pytest.fixture
def company_call(regions):
    return factories.call(programme=regions["programme"])


def url(call, what: str) -> str:
    return f"/recruitment/calls/{call.pk}/excel/{what}/"


def upload(client, call, content: bytes, name="명단.xlsx"):
    return client.post(
        url(call, "import"), {"file": SimpleUploadedFile(name, content, content_type=XLSX)}
    )


def _file(rows) -> bytes:
    return xlsx(rows).getvalue()


GOOD_AND_BAD = [
    TRAINEE_HEADER,
    _person("김하나", "2001.3.5", "010-1111-2222"),  # 2
    _person("이두리", "1999년 12월 31일", "01022223333", region="경기"),  # 3
    _person("최넷", "2000-02-30", "010-4444-5555"),  # 4: impossible date
    [],
    _person("정다섯", "20000101", "010 1111 2222"),  # 6: duplicate of row 2
]


def _token(response) -> str:
    return response.context["token"]


def _counts():
    return (Trainee.objects.count(), Application.objects.count())


def test_template_download_parses_back_with_headers_example_and_guide(
    admin, login_as, client, company_call, trainee_call
):
    login_as(admin)
    response = client.get(url(company_call, "template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="call-{company_call.pk}-company-template.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["신청 목록", "작성 안내"]
    sheet = book["신청 목록"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["기업명*", "사업자등록번호*", "대표자*", "기업유형*"]
    assert "산업단지" in headers and "KS X 9001 수준" in headers and "담당자 이메일" in headers
    example = dict(zip(headers, [c.value for c in sheet[2]], strict=True))
    assert (
        example["기업명*"].startswith("(예시)")
        and example["기업유형*"] == "스마트공장 도입 제조기업"
    )
    guide = book["작성 안내"]
    rows = {r[0]: r for r in guide.iter_rows(values_only=True) if r and r[0]}
    assert rows["스마트공장 구축 수준"][1] == "선택"
    assert rows["스마트공장 구축 수준"][2] == "기초, 중간1, 중간2, 고도"
    assert rows["KS X 9001 수준"][2] == "1~5"
    assert "서울특별시(서울)" in rows["시·도"][2]

    trainee = load_workbook(io.BytesIO(client.get(url(trainee_call, "template")).content))
    headers = [c.value for c in trainee["신청 목록"][1]]
    assert headers == [
        "성명*", "생년월일*", "휴대전화*", "이메일*", "거주 시·도*", "주소*", "최종학력*", "전공",
        "자격증", "고용 상태",
    ]  # fmt: skip
    assert not any("주민" in h for h in headers)


def test_upload_previews_then_commit_is_refused_then_imports_without_the_bad_rows(
    seoul_staff, login_as, client, trainee_call, private_uploads
):
    login_as(seoul_staff)
    assert client.get(url(trainee_call, "import")).status_code == 200
    response = upload(client, trainee_call, _file(GOOD_AND_BAD))
    assert response.status_code == 200
    body = response.content.decode()
    assert "없는 날짜입니다: &#x27;2000-02-30&#x27;" in body
    assert "파일 안에서 중복입니다 (2행과 같은 휴대전화)." in body
    assert response.context["counts"]["good"] == 2 and response.context["counts"]["bad"] == 2
    token = _token(response)
    assert sorted(p.name for p in private_uploads.iterdir()) == [f"{token}.json", f"{token}.xlsx"]
    commit = url(trainee_call, f"import/{token}/commit")

    before = _counts()
    refused = client.post(commit, {"exclude": ["4"]})
    assert refused.status_code == 400
    assert (
        "문제가 있는 행 1개가 남아 있어 아무것도 가져오지 않았습니다." in refused.content.decode()
    )
    assert _counts() == before

    done = client.post(commit, {"exclude": ["4", "6"]}, follow=True)
    assert done.redirect_chain[-1][0] == url(trainee_call, "import")
    assert "신청 2건을 가져왔습니다" in done.content.decode()
    assert _counts() == (before[0] + 2, before[1] + 2)
    assert set(
        ApplicationTransition.objects.filter(note="Excel 가져오기").values_list("actor", flat=True)
    ) == {seoul_staff.pk}
    assert list(private_uploads.iterdir()) == []  # the upload is gone after the commit
    assert client.post(commit, {"exclude": ["4", "6"]}).status_code == 404


def test_exclude_all_problem_rows(admin, login_as, client, trainee_call):
    login_as(admin)
    token = _token(upload(client, trainee_call, _file(GOOD_AND_BAD)))
    response = client.post(url(trainee_call, f"import/{token}/commit"), {"exclude_all": "1"})
    assert response.status_code == 302
    assert Application.objects.filter(call=trainee_call).count() == 2


def test_a_token_from_another_session_or_user_is_404(
    regions, seoul_staff, login_as, client, trainee_call
):
    from django.test import Client

    login_as(seoul_staff)
    token = _token(upload(client, trainee_call, _file(GOOD_AND_BAD)))
    colleague = factories.user(username="seoul_staff2", role="group_staff")
    regions["capital_group"].staff.add(colleague)
    other = login_as(colleague, Client())
    commit = url(trainee_call, f"import/{token}/commit")
    assert other.post(commit, {"exclude_all": "1"}).status_code == 404
    assert client.post(url(trainee_call, "import/../../x/commit"), {}).status_code == 404
    assert Application.objects.filter(call=trainee_call).count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("명단.csv", b"name,phone\n", "Excel(.xlsx) 파일만 올릴 수 있습니다."),
        ("명단.xls", b"\xd0\xcf\x11\xe0", "Excel(.xlsx) 파일만 올릴 수 있습니다."),
        ("명단.xlsx", b"not a zip at all", "Excel(.xlsx) 파일이 아닙니다."),
        ("명단.xlsx", b"PK\x03\x04broken", "Excel(.xlsx) 파일이 아닙니다."),
    ],
)
def test_files_that_are_not_xlsx_are_refused_in_korean(
    admin, login_as, client, trainee_call, private_uploads, name, content, message
):
    login_as(admin)
    response = upload(client, trainee_call, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not private_uploads.exists() or not list(private_uploads.iterdir())


def test_a_file_over_the_size_limit_is_refused(admin, login_as, client, trainee_call, monkeypatch):
    from itda.recruitment import excel_views

    monkeypatch.setattr(excel_views, "MAX_UPLOAD_MB", 0)
    login_as(admin)
    response = upload(client, trainee_call, _file(GOOD_AND_BAD))
    assert response.status_code == 400
    assert "파일이 너무 큽니다. 0MB 이하로 나눠 올려 주세요." in response.content.decode()


def test_a_file_with_a_resident_registration_number_column_is_refused_and_not_kept(
    admin, login_as, client, trainee_call, private_uploads
):
    login_as(admin)
    rows = [TRAINEE_HEADER + ["주민등록번호"], _person("김하나", "2001-03-05", "010-1111-2222")]
    rows[1].append("010305-4123456")
    response = upload(client, trainee_call, _file(rows))
    assert response.status_code == 400
    body = response.content.decode()
    assert "주민등록번호 등 고유식별정보 열" in body and "4123456" not in body
    assert not private_uploads.exists() or not list(private_uploads.iterdir())


# --- Who may ---------------------------------------------------------------------------------

PAGES = ["template", "import", "export"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["viewer", "company", "trainee", "evaluator"])
def test_roles_without_lists_get_403(cast, login_as, client, trainee_call, page, who):
    login_as(cast[who])
    assert client.get(url(trainee_call, page)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_another_groups_call_answers_like_a_missing_one(
    busan_staff, login_as, client, trainee_call, page
):
    login_as(busan_staff)
    other = client.get(url(trainee_call, page))
    missing = client.get(f"/recruitment/calls/987654/excel/{page}/")
    assert other.status_code == missing.status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_group_staff_handle_only_their_groups_trainee_calls(
    seoul_staff, login_as, client, trainee_call, company_call, page
):
    login_as(seoul_staff)
    assert client.get(url(trainee_call, page)).status_code == 200
    assert client.get(url(company_call, page)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_the_national_operator_handles_any_call(
    admin, login_as, client, trainee_call, company_call, page
):
    login_as(admin)
    assert client.get(url(trainee_call, page)).status_code == 200
    assert client.get(url(company_call, page)).status_code == 200


def test_busan_staff_cannot_commit_into_a_capital_call(
    seoul_staff, busan_staff, login_as, client, trainee_call
):
    from django.test import Client

    login_as(seoul_staff)
    token = _token(upload(client, trainee_call, _file(GOOD_AND_BAD)))
    other = login_as(busan_staff, Client())
    assert other.post(url(trainee_call, f"import/{token}/commit"), {}).status_code == 404


def test_commit_is_post_only(admin, login_as, client, trainee_call):
    login_as(admin)
    token = _token(upload(client, trainee_call, _file(GOOD_AND_BAD)))
    assert client.get(url(trainee_call, f"import/{token}/commit")).status_code == 405


def test_the_preview_page_has_no_inline_script_or_style(admin, login_as, client, trainee_call):
    login_as(admin)
    body = upload(client, trainee_call, _file(GOOD_AND_BAD)).content.decode()
    assert "<script>" not in body and "style=" not in body and "<style" not in body
    assert 'name="exclude" value="4"' in body and 'name="exclude_all"' in body


def test_dates_in_the_preview_are_read_as_the_operator_wrote_them(
    admin, login_as, client, trainee_call
):
    login_as(admin)
    response = upload(client, trainee_call, _file(GOOD_AND_BAD))
    values = {r.number: r.values for r in response.context["preview"].rows}
    assert values[3]["birth_date"] == datetime.date(1999, 12, 31)
