"""Excel import: a messy list previews with every problem by row and column, and commits all
or nothing."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from itda import factories
from itda.lib.brn import brn_format, brn_sequence
from itda.programs.models import Company, ComplexKind, IndustrialComplex, Trainee
from itda.recruitment import imports
from itda.recruitment.imports import (
    ImportFileError,
    ImportRefused,
    Problem,
    import_commit,
    import_preview,
    import_template_bytes,
)
from itda.recruitment.models import Application, ApplicationTransition

BRN = list(brn_sequence(10, offices=["220"]))


def xlsx(rows) -> io.BytesIO:
    """An in-memory xlsx whose first sheet holds ``rows`` from A1 (None: an empty cell)."""
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _bad_check_digit(number: str) -> str:
    return number[:9] + str((int(number[9]) + 1) % 10)


def counts() -> dict:
    return {
        "companies": Company.objects.count(),
        "trainees": Trainee.objects.count(),
        "applications": Application.objects.count(),
        "transitions": ApplicationTransition.objects.count(),
    }


# --- Company calls ----------------------------------------------------------------------------

COMPANY_HEADER = [
    "사업자 등록번호*",  # spacing and the star differ from the template: still recognised
    "기업명*",
    "대표자",
    "기업유형",
    "규모",
    "업종",
    "시·도",
    "산업단지",
    "주소",
    "상시근로자 수",
    "대표전화",
    "KS X 9001 수준",
    "스마트공장 구축 수준",
    "비고",  # not a column of ours
]


def _company(brn, name, **over):
    row = {
        "brn": brn,
        "name": name,
        "rep": "김대표",
        "kind": "스마트공장 도입 제조기업",
        "size": "소기업",
        "industry": "자동차 부품",
        "region": "서울",
        "complex": None,
        "address": "서울특별시 구로구 디지털로 1",
        "employees": 40,
        "phone": "02-123-4567",
        "ksx": None,
        "level": None,
        "note": "메모",
    }
    row.update(over)
    return list(row.values())


@pytest.fixture
def company_call(regions):
    return factories.call(programme=regions["programme"])


@pytest.fixture
def namdong(regions):
    return IndustrialComplex.objects.create(
        name="남동국가산업단지", kind=ComplexKind.NATIONAL, region=regions["seoul"]
    )


@pytest.fixture
def company_file(company_call, regions, namdong):
    """Rows 3–15 of a messy company list under a title row; expected problems below."""
    already = factories.CompanyFactory(business_number=BRN[6], region=regions["seoul"])
    factories.application(call=company_call, company=already)
    factories.CompanyFactory(business_number=BRN[7], region=regions["busan"], employees=10)
    full_width = brn_format(BRN[0]).translate(
        str.maketrans("0123456789-", "０１２３４５６７８９－")
    )
    return xlsx(
        [
            ["2026 참여기업 신청 명단 (사업단 취합본)"],  # 1: a title above the header
            COMPANY_HEADER,  # 2
            _company(full_width, "가나정밀", employees="1,234명", complex="남동산단"),  # 3
            _company(
                f"{BRN[1][:3]} {BRN[1][3:5]} {BRN[1][5:]}",
                "다라기계",
                region="경기도",
                ksx=3.0,
                level="중간1",
                kind="제조AI 솔루션 공급기업",
            ),  # 4
            _company(_bad_check_digit(BRN[2]), "마바전자"),  # 5: check digit
            _company(BRN[3], "사아산업", region="서울시티"),  # 6: unknown region
            [None] * len(COMPANY_HEADER),  # 7: blank
            _company(BRN[0], "가나정밀 중복"),  # 8: same BRN as row 3
            _company(brn_format(BRN[6]), "이미신청"),  # 9: applied already
            _company(BRN[4], "자차공업", rep=None),  # 10: missing required
            _company(BRN[7], "기존기업", region="부산광역시", employees=12),  # 11: update
            [],  # 12: blank
            _company(  # 13: five problems in one row
                BRN[5],
                "카타테크",
                employees=0,
                ksx=7,
                size="초대형",
                complex="없는산단",
                phone="12-34",
            ),
            ["   ", None, ""],  # 14: blank (spaces only)
            _company(BRN[8], "파하정밀", phone=212345678, region="서울특별시"),  # 15: good
        ]
    )


def test_company_preview_lists_exactly_the_problems(company_call, company_file):
    preview = import_preview(call=company_call, file=company_file)
    assert preview.problems == [
        Problem(5, "사업자등록번호", "사업자등록번호 검증번호가 맞지 않습니다."),
        Problem(6, "시·도", "알 수 없는 시·도입니다: '서울시티' (예: 서울특별시 또는 서울)."),
        Problem(8, "사업자등록번호", "파일 안에서 중복입니다 (3행과 같은 사업자등록번호)."),
        Problem(
            9,
            "사업자등록번호",
            "이 공모에 이미 신청이 있습니다 (접수번호 " + _receipt(company_call) + ").",
        ),
        Problem(10, "대표자", "필수 항목이 비어 있습니다."),
        Problem(
            13,
            "규모",
            "허용되지 않는 값입니다: '초대형' (가능한 값: 소기업, 중기업, 중견기업, 대기업).",
        ),
        Problem(13, "산업단지", "등록되지 않은 산업단지입니다: '없는산단'."),
        Problem(13, "상시근로자 수", "1 이상 100,000 이하여야 합니다 (현재 0)."),
        Problem(13, "대표전화", "전화번호 형식이 아닙니다 (예: 02-1234-5678)."),
        Problem(13, "KS X 9001 수준", "1 이상 5 이하여야 합니다 (현재 7)."),
    ]
    assert preview.warnings == ["가져오지 않는 열(무시): 비고"]
    assert preview.counts == {
        "rows": 10,
        "good": 4,
        "bad": 6,
        "problems": 10,
        "new": 3,
        "existing": 1,
        "blank": 3,
    }
    values = {r.number: r.values for r in preview.rows}
    assert values[3]["business_number"] == BRN[0] and values[3]["employees"] == 1234
    assert (
        values[3]["complex"].name == "남동국가산업단지" and values[3]["region"].short_name == "서울"
    )
    assert values[4]["business_number"] == BRN[1] and values[4]["ksx9001_level"] == 3
    assert (
        values[4]["kind"] == "ai_supplier" and values[4]["smart_factory_level"] == "intermediate1"
    )
    assert values[4]["region"].name == "경기도"
    assert values[15]["phone"] == "02-1234-5678"  # a number cell lost its leading 0


def _receipt(call) -> str:
    return Application.objects.get(call=call).receipt_number


def test_commit_is_refused_while_a_bad_row_is_included_and_writes_nothing(
    company_call, company_file, admin
):
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        import_commit(call=company_call, file=company_file, actor=admin, exclude_rows={5, 6, 8})
    assert {p.row for p in refused.value.problems} == {9, 10, 13}
    assert (
        "문제가 있는 행 3개가 남아 있어 아무것도 가져오지 않았습니다." in refused.value.messages[0]
    )
    assert counts() == before
    assert Company.objects.get(business_number=BRN[7]).employees == 10


def test_commit_with_the_bad_rows_excluded_imports_exactly_the_good_rows(
    company_call, company_file, admin
):
    before = counts()
    created = import_commit(
        call=company_call, file=company_file, actor=admin, exclude_rows={5, 6, 8, 9, 10, 13}
    )
    assert created == 4
    after = counts()
    assert after["companies"] == before["companies"] + 3  # rows 3, 4, 15 new; row 11 updated
    assert after["applications"] == before["applications"] + 4
    assert after["transitions"] == before["transitions"] + 4
    imported = Application.objects.filter(call=company_call, answers__source="excel")
    assert sorted(a.company.business_number for a in imported) == sorted(
        [BRN[0], BRN[1], BRN[7], BRN[8]]
    )
    for application in imported:
        assert application.status == "submitted" and application.submitted_at
        assert application.applicant_key == f"brn:{application.company.business_number}"
        assert application.region_id == application.company.region_id
        assert application.created_by == admin
        assert application.receipt_number.startswith(f"{company_call.pk:03d}-")
        assert application.receipt_number.endswith(f"-{application.pk:06d}")
        transition = application.transitions.get()
        assert (transition.old, transition.new, transition.note, transition.actor) == (
            "",
            "submitted",
            "Excel 가져오기",
            admin,
        )
    updated = Company.objects.get(business_number=BRN[7])
    assert updated.employees == 12 and updated.name == "기존기업"
    new = Company.objects.get(business_number=BRN[0])
    assert new.complex.name == "남동국가산업단지" and new.name == "가나정밀"


def test_reimporting_the_same_file_reports_every_row_as_a_duplicate(
    company_call, company_file, admin
):
    excluded = {5, 6, 8, 9, 10, 13}
    import_commit(call=company_call, file=company_file, actor=admin, exclude_rows=excluded)
    company_file.seek(0)
    again = import_preview(call=company_call, file=company_file)
    duplicates = {p.row for p in again.problems if p.message.startswith("이 공모에 이미 신청이")}
    assert duplicates == {3, 4, 8, 9, 11, 15}
    assert again.counts["good"] == 0


def test_a_failure_half_way_leaves_nothing_behind(company_call, company_file, admin, monkeypatch):
    before = counts()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports.ApplicationTransition.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        import_commit(
            call=company_call, file=company_file, actor=admin, exclude_rows={5, 6, 8, 9, 10, 13}
        )
    assert counts() == before


def test_an_application_that_arrives_during_the_commit_rolls_everything_back(
    company_call, company_file, admin, regions, monkeypatch
):
    # The web form submits row 15's company after the preview looked: the unique constraint
    # stops the insert, and the import leaves nothing behind.
    monkeypatch.setattr(imports, "_check_against_database", lambda *args: None)
    Application.objects.create(
        call=company_call,
        applicant_key=f"brn:{BRN[8]}",
        company=factories.CompanyFactory(region=regions["seoul"]),
        region=regions["seoul"],
        created_by=admin,
    )
    before = counts()
    with pytest.raises(ImportRefused, match="같은 신청자의 신청이 새로 들어와"):
        import_commit(
            call=company_call, file=company_file, actor=admin, exclude_rows={5, 6, 8, 9, 10, 13}
        )
    assert counts() == before


def test_a_list_longer_than_the_limit_is_refused(company_call, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    rows = [COMPANY_HEADER] + [
        _company(n, f"기업{i}") for i, n in enumerate(brn_sequence(3, offices=["310"]))
    ]
    with pytest.raises(ImportFileError, match="한 번에 2행까지 가져올 수 있습니다"):
        import_preview(call=company_call, file=xlsx(rows))


def test_nothing_left_to_import_is_refused(company_call, company_file, admin):
    with pytest.raises(ImportRefused, match="가져올 행이 없습니다"):
        import_commit(call=company_call, file=company_file, actor=admin, exclude_rows=range(100))


def test_nothing_is_imported_once_the_results_are_out(company_call, company_file, admin):
    Application.objects.filter(call=company_call).update(result="not_selected")
    before = counts()
    with pytest.raises(ImportRefused, match="선정 결과가 나온 공모"):
        import_commit(call=company_call, file=company_file, actor=admin, exclude_rows={5, 6, 8})
    assert counts() == before


def test_preview_runs_the_same_number_of_queries_for_5_or_200_rows(company_call, regions):
    def run(n):
        rows = [COMPANY_HEADER] + [
            _company(number, f"기업{i}")
            for i, number in enumerate(brn_sequence(n, offices=["310"]))
        ]
        with CaptureQueriesContext(connection) as ctx:
            preview = import_preview(call=company_call, file=xlsx(rows))
        assert not preview.problems, preview.problems[:3]
        return len(ctx.captured_queries)

    assert run(5) == run(200)


# --- Trainee calls ----------------------------------------------------------------------------

TRAINEE_HEADER = [
    "성명",
    "생년월일*",
    "휴대폰",
    "이메일",
    "거주지",
    "주소",
    "최종학력",
    "전공",
    "자격증",
]


def _person(
    name,
    born,
    phone,
    *,
    email=None,
    region="서울",
    address="서울특별시 강남구 1",
    education="대졸",
    major="기계공학",
    certs=None,
):
    return [
        name,
        born,
        phone,
        email or f"{name.encode().hex()[:12]}@example.kr",
        region,
        address,
        education,
        major,
        certs,
    ]


@pytest.fixture
def trainee_call(regions):
    return factories.call(
        programme=regions["programme"],
        kind="trainee",
        track=regions["track"],
        operating_group=regions["capital_group"],
    )


@pytest.fixture
def trainee_file(trainee_call, regions):
    applied = factories.TraineeFactory(
        region=regions["seoul"], phone="010-9000-0001", birth_date=datetime.date(1997, 1, 2)
    )
    factories.application(call=trainee_call, trainee=applied)
    factories.TraineeFactory(
        region=regions["seoul"],
        phone="01090000002",
        birth_date=datetime.date(1996, 6, 7),
        name="강열",
        major="",
    )
    factories.TraineeFactory(
        region=regions["seoul"], phone="010-9000-0003", birth_date=datetime.date(1995, 1, 1)
    )
    return xlsx(
        [
            TRAINEE_HEADER,  # 1
            _person("김하나", "2001.3.5", "010-1111-2222", certs="생산자동화산업기사"),  # 2
            _person(
                "이두리",
                datetime.datetime(1999, 12, 31),
                "０１０ ２２２２ ３３３３",
                region="경기도",
                education="고등학교 졸업",
            ),  # 3
            _person(
                "박세나", "1998년 7월 1일", 1033334444, region="서울특별시", education="전문대졸"
            ),  # 4
            _person("최넷", "2000-02-30", "010-4444-5555"),  # 5: impossible date
            _person("정다섯", 36955, "010 1111 2222"),  # 6: same phone as row 2
            [None] * 9,  # 7
            _person("한여섯", "20000101", "010-5555-6666", email="hanx@"),  # 8: e-mail
            _person("오일곱", "01.03.05", "010-6666-7777", region="부산"),  # 9: yy, other group
            _person("유여덟", "2002. 4. 5.", "010-7777-8888", address=None),  # 10: missing
            _person("윤아홉", "1997/1/2", "+82 10-9000-0001"),  # 11: applied already
            _person("강열", "19960607", "010-9000-0002", major="전자공학"),  # 12: update
            _person("서열하나", "1995-01-02", "010-9000-0003"),  # 13: other birth date
            _person(
                "문열둘", "2003-01-01", "010-8888-9999", region="서울시티", education="초졸"
            ),  # 14
        ]
    )


def test_trainee_preview_reads_every_usual_format_and_lists_the_problems(
    trainee_call, trainee_file
):
    preview = import_preview(call=trainee_call, file=trainee_file)
    assert preview.problems == [
        Problem(5, "생년월일", "없는 날짜입니다: '2000-02-30' (2000년 2월 30일)"),
        Problem(6, "휴대전화", "파일 안에서 중복입니다 (2행과 같은 휴대전화)."),
        Problem(8, "이메일", "이메일 형식이 아닙니다 (예: hong@example.kr)."),
        Problem(
            9,
            "생년월일",
            "연도를 네 자리로 입력하세요: '01.03.05' (예: 2001-03-05, 2001.3.5, 2001년 3월 5일)",
        ),
        Problem(9, "거주 시·도", "이 공모를 맡은 사업단의 시·도가 아닙니다 (담당: 서울, 경기)."),
        Problem(10, "주소", "필수 항목이 비어 있습니다."),
        Problem(
            11,
            "휴대전화",
            "이 공모에 이미 신청이 있습니다 (접수번호 " + _receipt(trainee_call) + ").",
        ),
        Problem(
            13, "휴대전화", "같은 휴대전화 번호로 생년월일이 다른 교육생이 이미 등록되어 있습니다."
        ),
        Problem(14, "거주 시·도", "알 수 없는 시·도입니다: '서울시티' (예: 서울특별시 또는 서울)."),
        Problem(
            14,
            "최종학력",
            "허용되지 않는 값입니다: '초졸' (가능한 값: 고등학교 졸업, 전문대학 졸업, "
            "대학교 졸업, 대학원 졸업).",
        ),
    ]
    values = {r.number: r.values for r in preview.rows}
    assert values[2]["birth_date"] == datetime.date(2001, 3, 5)
    assert values[3]["birth_date"] == datetime.date(1999, 12, 31)
    assert values[3]["phone"] == "010-2222-3333" and values[3]["education"] == "high_school"
    assert values[4]["birth_date"] == datetime.date(1998, 7, 1)
    assert values[4]["phone"] == "010-3333-4444" and values[4]["education"] == "college"
    assert values[6]["birth_date"] == datetime.date(2001, 3, 5)  # an Excel serial
    assert values[12]["birth_date"] == datetime.date(1996, 6, 7)
    assert preview.counts["good"] == 4 and preview.counts["existing"] == 1


def test_trainee_commit_creates_trainees_and_updates_the_known_one(
    trainee_call, trainee_file, seoul_staff
):
    before = counts()
    created = import_commit(
        call=trainee_call,
        file=trainee_file,
        actor=seoul_staff,
        exclude_rows={5, 6, 8, 9, 10, 11, 13, 14},
    )
    assert created == 4
    after = counts()
    assert after["trainees"] == before["trainees"] + 3
    assert after["applications"] == before["applications"] + 4
    kim = Trainee.objects.get(name="김하나")
    assert kim.phone == "010-1111-2222" and kim.birth_date == datetime.date(2001, 3, 5)
    assert kim.preferred_track == trainee_call.track and kim.education == "university"
    application = kim.applications.get()
    assert application.answers == {"source": "excel", "certificates": "생산자동화산업기사"}
    assert application.applicant_key == "person:01011112222"
    known = Trainee.objects.get(name="강열")
    assert known.major == "전자공학" and known.phone == "01090000002"  # the key is not rewritten
    assert known.applications.filter(call=trainee_call).exists()


def test_the_employment_status_column_is_recorded_on_the_application(trainee_call, seoul_staff):
    rows = [
        [*TRAINEE_HEADER, "재직 여부"],
        [*_person("구하나", "2001-03-05", "010-3131-0001"), "구직자"],
        [*_person("재두리", "2000-03-05", "010-3131-0002"), "재직중"],
        _person("무셋", "1999-03-05", "010-3131-0003"),
    ]
    assert import_commit(call=trainee_call, file=xlsx(rows), actor=seoul_staff) == 3
    statuses = dict(
        Application.objects.filter(call=trainee_call).values_list(
            "trainee__name", "employment_status"
        )
    )
    assert statuses == {"구하나": "job_seeker", "재두리": "employee", "무셋": ""}


# --- Files that are not lists -----------------------------------------------------------------


def test_a_resident_registration_number_column_rejects_the_file(trainee_call):
    file = xlsx(
        [["성명", "주민등록번호", "휴대전화"], ["김하나", "010305-4123456", "010-1111-2222"]]
    )
    with pytest.raises(ImportFileError) as error:
        import_preview(call=trainee_call, file=file)
    message = error.value.messages[0]
    assert "주민등록번호 등 고유식별정보 열('주민등록번호')" in message
    assert "010305" not in message


@pytest.mark.parametrize("header", ["주민번호", "주민 등록 번호(앞 7자리)", "외국인등록번호"])
def test_other_spellings_of_unique_identifiers_are_rejected_too(trainee_call, header):
    with pytest.raises(ImportFileError, match="고유식별정보"):
        import_preview(call=trainee_call, file=xlsx([["성명", header, "휴대전화"]]))


def test_a_resident_registration_number_in_another_column_rejects_the_file(trainee_call):
    rows = [TRAINEE_HEADER, _person("김하나", "０１０３０５－４１２３４５６", "010-1111-2222")]
    with pytest.raises(ImportFileError, match="2행 '생년월일' 열에 주민등록번호로 보이는 값"):
        import_preview(call=trainee_call, file=xlsx(rows))


def test_a_file_that_is_not_xlsx_is_refused_in_korean(trainee_call):
    with pytest.raises(ImportFileError, match=r"Excel\(\.xlsx\) 파일이 아닙니다"):
        import_preview(call=trainee_call, file=io.BytesIO(b"name,phone\n"))


def test_missing_required_columns_are_named(trainee_call):
    with pytest.raises(ImportFileError, match="필수 열이 없습니다: 생년월일, 이메일"):
        import_preview(
            call=trainee_call,
            file=xlsx(
                [
                    ["성명", "휴대전화", "거주 시·도", "주소", "최종학력"],
                    ["김", "010", "서울", "x", "대졸"],
                ]
            ),
        )


def test_a_file_without_our_header_is_refused(trainee_call):
    with pytest.raises(ImportFileError, match="머리글 행을 찾지 못했습니다"):
        import_preview(call=trainee_call, file=xlsx([["이름표"], ["홍길동"]]))


def test_the_example_row_of_the_template_is_skipped(trainee_call):
    template = load_workbook(io.BytesIO(import_template_bytes(call=trainee_call)))
    sheet = template.worksheets[0]
    for column, value in enumerate(_person("김하나", "2001-03-05", "010-1111-2222"), start=1):
        sheet.cell(row=3, column=column, value=value)
    out = io.BytesIO()
    template.save(out)
    out.seek(0)
    preview = import_preview(call=trainee_call, file=out)
    assert [r.number for r in preview.rows] == [3]
    assert preview.warnings == ["2행은 예시 행이라 가져오지 않습니다."]
    assert not preview.problems
