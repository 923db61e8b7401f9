"""The receipt (접수증): the applicant and scoped staff open it (another region's is a 404),
staff see the applicant masked and are logged, the PDF carries it, and its QR's public check
confirms it by a signed token only."""

from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.programs.models import Trainee
from itda.recruitment import receipts, services
from itda.recruitment.models import ApplicationStatus, CallKind, DocumentRequirement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def submitted(cast, regions, settings, tmp_path):
    """Trainee 홍길동's submitted application, with one document."""
    settings.MEDIA_ROOT = tmp_path
    call = factories.call(
        programme=regions["programme"],
        kind=CallKind.TRAINEE,
        track=regions["track"],
        title="교육생 모집",
    )
    trainee = Trainee.objects.get(user=cast["trainee"])
    Trainee.objects.filter(pk=trainee.pk).update(name="홍길동")
    trainee.refresh_from_db()
    application = factories.application(call=call, trainee=trainee)
    receipt, submitted_at = application.receipt_number, application.submitted_at
    snapshot = application.profile_snapshot
    requirement = DocumentRequirement.objects.create(
        call=call, name="자격증 사본", allowed_kinds=["pdf"]
    )
    services.document_attach(
        application=application,
        requirement=requirement,
        upload=SimpleUploadedFile("자격증.pdf", PDF),
        actor=cast["trainee"],
    )
    # Attaching sends a submitted application back to 작성 중; it was submitted again.
    type(application).objects.filter(pk=application.pk).update(
        status=ApplicationStatus.SUBMITTED,
        receipt_number=receipt,
        submitted_at=submitted_at,
        profile_snapshot=snapshot,
    )
    application.refresh_from_db()
    return application


def _page(client, application) -> str:
    response = client.get(f"/applications/{application.pk}/receipt/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_applicant_prints_their_receipt(cast, submitted, client, login_as):
    login_as(cast["trainee"])
    body = _page(client, submitted)
    document = submitted.documents.get()
    for shown in (
        submitted.receipt_number,
        "교육생 모집",
        "홍길동",
        "자격증 사본",
        "자격증.pdf",
        document.sha256[:12],
        receipts.verification_url(submitted),
        'src="data:image/png;base64,',
    ):
        assert shown in body, shown
    assert document.sha256 not in body  # the prefix, not the whole digest
    detail = client.get(f"/applications/{submitted.pk}/").content.decode()
    assert f"/applications/{submitted.pk}/receipt/" in detail


def test_staff_see_it_masked_and_logged(cast, submitted, client, login_as):
    login_as(cast["seoul_staff"])
    body = _page(client, submitted)
    assert "홍*동" in body and "홍길동" not in body
    assert (
        f"/applications/{submitted.pk}/receipt/"
        in client.get(f"/applications/{submitted.pk}/").content.decode()
    )
    logged = PersonalDataAccess.objects.filter(
        actor_username="seoul_staff", reason="접수증 열람", subject_ids=[submitted.pk]
    )
    assert logged.count() == 1


@pytest.mark.parametrize("who", ["busan_staff", "company", "evaluator"])
def test_anyone_else_gets_404(cast, submitted, client, login_as, who):
    login_as(cast[who])
    assert client.get(f"/applications/{submitted.pk}/receipt/").status_code == 404
    assert client.get(f"/applications/{submitted.pk}/receipt.pdf").status_code == 404


def test_a_draft_has_no_receipt(cast, regions, client, login_as):
    call = factories.call(
        programme=regions["programme"], kind=CallKind.TRAINEE, track=regions["track"]
    )
    trainee = Trainee.objects.get(user=cast["trainee"])
    draft = factories.application(call=call, trainee=trainee, submitted=False)
    login_as(cast["trainee"])
    assert client.get(f"/applications/{draft.pk}/receipt/").status_code == 404


def test_the_pdf(cast, submitted, client, login_as, pdf_engine):
    login_as(cast["seoul_staff"])
    response = client.get(f"/applications/{submitted.pk}/receipt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert submitted.receipt_number in response["Content-Disposition"]


def test_the_public_check_confirms_a_signed_receipt_only(submitted, client):
    url = urlsplit(receipts.verification_url(submitted)).path
    body = client.get(url).content.decode()
    assert submitted.receipt_number in body and "홍*동" in body and "홍길동" not in body
    # A token for a receipt number the signer never issued, or a bare number, is refused.
    token = receipts.receipt_token(submitted)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert client.get(f"/receipts/verify/{forged}/").status_code == 404
    assert client.get(f"/receipts/verify/{submitted.receipt_number}/").status_code == 404
    # A withdrawn application no longer confirms.
    type(submitted).objects.filter(pk=submitted.pk).update(status=ApplicationStatus.WITHDRAWN)
    assert client.get(url).status_code == 404
