"""Certificates (수료증): serials, the PDF in Pretendard GOV with the holder's Hangul name, the
public verification page, revocation, the idempotent batch, and who may download what."""

import datetime
import hashlib
import io
import threading

import pypdf
import pytest
from django.db import connection
from django.test import Client

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.programs.models import Trainee
from itda.training import completion
from itda.training.models import Certificate, Enrollment
from itda.training.tasks import cohort_certificates_issue_task

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2026, 7, d) for d in (1, 2, 3, 6, 7)]
ISSUED = datetime.datetime(2026, 8, 3, 10, tzinfo=factories.KST)
# 뚫 and 례 are in the web subset; 쀍 and 챱 are not (a real name may use any syllable).
NAMES = ["남궁뚫례", "김쀍챱"]


def completed_cohort(regions, *, trainees, code="T1-BASIC", group=None):
    """A July cohort whose trainees attended every session and were judged completed."""
    cohort = factories.cohort(
        group=group or regions["capital_group"], track=regions["track"], code=code
    )
    sessions = factories.sessions(cohort=cohort, days=DAYS)
    for trainee in trainees:
        enrollment = factories.enrollment(cohort=cohort, trainee=trainee)
        for session in sessions:
            factories.attendance(enrollment=enrollment, session=session, status="present")
    completion.completion_confirm(cohort=cohort, actor=None, now=ISSUED)
    return cohort


@pytest.fixture
def cohort(regions, trainee):
    others = [factories.TraineeFactory(region=regions["seoul"], name=name) for name in NAMES]
    return completed_cohort(regions, trainees=[Trainee.objects.get(user=trainee), *others])


def _pdf(certificate) -> pypdf.PdfReader:
    with certificate.pdf.open("rb") as f:
        return pypdf.PdfReader(io.BytesIO(f.read()))


def test_the_pdf_carries_the_hangul_name_serial_and_only_pretendard_gov(certificate_pdfs, cohort):
    completion.cohort_certificates_issue(cohort_id=cohort.pk)
    for name in NAMES:
        certificate = Certificate.objects.get(enrollment__trainee__name=name)
        page = _pdf(certificate).pages[0]
        text = page.extract_text()
        assert name in text
        assert certificate.serial in text and "수료증" in "".join(text.split())
        assert "2000년 3월 1일" in text  # the birth date; itda holds no resident number
        assert "100.00%" in text and "2026. 7. 1. ~ 2026. 7. 31." in text
        fonts = {
            font["/BaseFont"].split("+", 1)[-1] for font in page["/Resources"]["/Font"].values()
        }
        # Every glyph, 쀍 and 챱 included, comes from Pretendard GOV: no fallback font.
        assert fonts and all(font.startswith("Pretendard-GOV") for font in fonts), fonts
        with certificate.pdf.open("rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == certificate.pdf_sha256


def test_the_qr_and_the_printed_address_open_the_verification_page(
    certificate_pdfs, cohort, settings
):
    settings.ITDA_PUBLIC_URL = "https://itda.example.kr"
    completion.cohort_certificates_issue(cohort_id=cohort.pk)
    certificate = Certificate.objects.get(enrollment__trainee__name=NAMES[0])
    url = f"https://itda.example.kr/certificates/verify/{certificate.verification_code}/"
    assert url in _pdf(certificate).pages[0].extract_text().replace("\n", "")
    body = Client().get(url.removeprefix("https://itda.example.kr")).content.decode()
    assert certificate.serial in body


def test_serials_run_per_year_without_gaps(regions, cohort):
    assert completion.certificates_allocate(cohort=cohort, now=ISSUED) == 3
    serials = list(Certificate.objects.order_by("serial").values_list("serial", flat=True))
    assert serials == ["ITDA-2026-000001", "ITDA-2026-000002", "ITDA-2026-000003"]
    later = completed_cohort(
        regions, trainees=[factories.TraineeFactory(region=regions["seoul"])], code="T1-B"
    )
    next_year = datetime.datetime(2027, 1, 2, tzinfo=factories.KST)
    completion.certificates_allocate(cohort=later, now=next_year)
    assert Certificate.objects.get(enrollment__cohort=later).serial == "ITDA-2027-000001"
    # Allocating again gives nobody a second certificate.
    assert completion.certificates_allocate(cohort=cohort, now=ISSUED) == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_take_turns_for_serials(regions):
    cohorts = [
        completed_cohort(
            regions,
            trainees=[factories.TraineeFactory(region=regions["seoul"]) for _ in range(4)],
            code=f"C{i}",
        )
        for i in range(2)
    ]
    barrier = threading.Barrier(4)
    errors = []

    def allocate(c):
        try:
            barrier.wait()
            completion.certificates_allocate(cohort=c, now=ISSUED)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    # Two runs per cohort, all at once: one certificate per trainee, serials 1..8.
    threads = [threading.Thread(target=allocate, args=(c,)) for c in cohorts * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == [f"ITDA-2026-{n:06d}" for n in range(1, 9)]


def test_the_batch_task_is_idempotent(certificate_pdfs, cohort):
    assert cohort_certificates_issue_task.enqueue(cohort_id=cohort.pk).return_value == 3
    first = dict(Certificate.objects.values_list("serial", "pdf_sha256"))
    assert cohort_certificates_issue_task.enqueue(cohort_id=cohort.pk).return_value == 0
    assert dict(Certificate.objects.values_list("serial", "pdf_sha256")) == first
    assert completion.certificate_progress(cohort) == {"completed": 3, "allocated": 3, "issued": 3}


def test_only_completed_trainees_get_a_certificate(regions, cohort):
    dropped = Enrollment.objects.filter(cohort=cohort).first()
    Enrollment.objects.filter(pk=dropped.pk).update(status="not_completed")
    completion.certificates_allocate(cohort=cohort, now=ISSUED)
    holders = set(Certificate.objects.values_list("enrollment", flat=True))
    assert dropped.pk not in holders and len(holders) == 2


def test_staff_issue_from_the_page_and_see_the_progress(
    certificate_pdfs, cohort, client, login_as, seoul_staff, django_capture_on_commit_callbacks
):
    login_as(seoul_staff)
    url = f"/training/cohorts/{cohort.pk}/completion/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "certificates/")
    assert response.status_code == 302 and response["Location"].endswith("?batch=1")
    assert Certificate.objects.exclude(pdf="").count() == 3
    html = client.get(url).content.decode()
    assert "발급 3건 / 수료 3명" in html and "ITDA-2026-000001" in html
    progress = client.get(url + "certificates/progress/").content.decode()
    assert "발급 3건 / 수료 3명" in progress and "hx-trigger" not in progress  # done: no polling


def test_a_batch_waits_for_the_confirmed_judgement(regions, client, login_as, seoul_staff):
    cohort = factories.cohort(group=regions["capital_group"], track=regions["track"])
    login_as(seoul_staff)
    client.post(f"/training/cohorts/{cohort.pk}/completion/certificates/")
    assert not Certificate.objects.exists()


def test_the_verification_page_shows_a_valid_certificate_with_the_name_masked(cohort):
    completion.certificates_allocate(cohort=cohort, now=ISSUED)
    certificate = Certificate.objects.get(enrollment__trainee__name="남궁뚫례")
    response = Client().get(f"/certificates/verify/{certificate.verification_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "정상 발급된 수료증" in html and "남**례" in html and "남궁뚫례" not in html
    assert certificate.serial in html and cohort.course.title in html and "2026. 8. 3." in html
    assert "수도권 사업단" in html


def test_a_revoked_certificate_says_so_and_its_holder_cannot_download_it(
    certificate_pdfs, cohort, client, login_as, seoul_staff, trainee
):
    completion.cohort_certificates_issue(cohort_id=cohort.pk)
    mine = Certificate.objects.get(enrollment__trainee__user=trainee)
    login_as(seoul_staff)
    client.post(f"/certificates/{mine.pk}/revoke/", {"reason": "짧음"})
    mine.refresh_from_db()
    assert mine.revoked_at is None  # too short a reason: nothing changes
    client.post(
        f"/certificates/{mine.pk}/revoke/", {"reason": "출석 기록 정정으로 수료 요건 미충족"}
    )
    mine.refresh_from_db()
    assert mine.revoked_at and mine.revoked_reason.startswith("출석 기록 정정")
    html = Client().get(f"/certificates/verify/{mine.verification_code}/").content.decode()
    assert "취소된 수료증" in html and "정상 발급된" not in html
    login_as(trainee)
    assert client.get(f"/certificates/{mine.pk}/pdf/").status_code == 404


def test_an_unknown_code_gets_a_korean_404():
    response = Client().get("/certificates/verify/no-such-code/")
    assert response.status_code == 404
    assert "확인할 수 없는 수료증입니다" in response.content.decode()


def test_trainees_download_their_own_certificate_only(
    certificate_pdfs, cohort, client, login_as, trainee
):
    completion.cohort_certificates_issue(cohort_id=cohort.pk)
    mine = Certificate.objects.get(enrollment__trainee__user=trainee)
    other = Certificate.objects.get(enrollment__trainee__name=NAMES[0])
    login_as(trainee)
    page = client.get("/trainee/training/").content.decode()
    assert f"/certificates/{mine.pk}/pdf/" in page and f"/certificates/{other.pk}/" not in page
    response = client.get(f"/certificates/{mine.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == mine.pdf_sha256
    assert client.get(f"/certificates/{other.pk}/pdf/").status_code == 404


def test_staff_downloads_are_logged_and_other_groups_see_nothing(
    certificate_pdfs, cohort, client, login_as, seoul_staff, busan_staff
):
    completion.cohort_certificates_issue(cohort_id=cohort.pk)
    certificate = Certificate.objects.get(enrollment__trainee__name=NAMES[0])
    login_as(seoul_staff)
    assert client.get(f"/certificates/{certificate.pk}/pdf/").status_code == 200
    assert PersonalDataAccess.objects.filter(
        actor=seoul_staff,
        action="export",
        subject_type="training.certificate",
        subject_ids=[certificate.pk],
    ).exists()
    other = login_as(busan_staff, Client())
    assert other.get(f"/certificates/{certificate.pk}/pdf/").status_code == 404
    assert other.get(f"/certificates/{certificate.pk}/").status_code == 404
    assert (
        other.post(
            f"/certificates/{certificate.pk}/revoke/", {"reason": "다른 지역 취소 시도"}
        ).status_code
        == 404
    )
    assert other.get(f"/training/cohorts/{cohort.pk}/completion/").status_code == 404
    assert other.post(f"/training/cohorts/{cohort.pk}/completion/certificates/").status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_a_batch_rerun_after_an_interrupted_one_keeps_one_file_per_certificate(
    certificate_pdfs, cohort
):
    """A worker killed mid-chunk leaves PDFs on disk whose rows never committed; the rerun
    writes each certificate's file under its own name, and no file of no certificate stays."""
    completion.certificates_allocate(cohort=cohort, now=ISSUED)
    certificate = Certificate.objects.order_by("serial").first()
    name = certificate.pdf.field.generate_filename(certificate, f"{certificate.serial}.pdf")
    certificate.pdf.storage.save(name, io.BytesIO(b"%PDF- an interrupted run's"))
    assert cohort_certificates_issue_task.enqueue(cohort_id=cohort.pk).return_value == 3
    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    with certificate.pdf.open("rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == certificate.pdf_sha256
    files = {str(p.relative_to(certificate_pdfs)) for p in certificate_pdfs.rglob("*.pdf")}
    assert files == set(Certificate.objects.values_list("pdf", flat=True))
