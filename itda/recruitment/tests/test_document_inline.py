"""Uploaded documents: a real PDF opens in the browser (sandboxed, never sniffed); anything
else, a file named .pdf that is not one included, stays a download typed as bytes."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from itda import factories
from itda.accounts.models import PersonalDataAccess
from itda.recruitment import services
from itda.recruitment.models import ApplicationDocument, DocumentRequirement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def application(cast, regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = factories.call(programme=regions["programme"])
    company = factories.CompanyFactory(region=regions["seoul"])
    company.managers.add(cast["company"])
    return services.application_save(
        call=call, actor=cast["company"], answers={}, consent=True, company=company
    )


def _document(application, name: str, content: bytes, kinds=("pdf",)) -> ApplicationDocument:
    requirement = DocumentRequirement.objects.create(
        call=application.call, name=name, allowed_kinds=list(kinds)
    )
    if content.startswith(b"%PDF-") or kinds != ("pdf",):
        return services.document_attach(
            application=application,
            requirement=requirement,
            upload=SimpleUploadedFile(name, content),
            actor=application.created_by,
        )
    # Not a PDF under a .pdf name: the upload check refuses it, so it is stored as an older
    # import or a changed check would have left it.
    document = ApplicationDocument(
        application=application,
        requirement=requirement,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )
    document.file.save("fake", ContentFile(content), save=False)
    document.save()
    return document


def _get(client, document):
    response = client.get(
        f"/applications/{document.application_id}/files/{document.pk}/", secure=True
    )
    assert response.status_code == 200
    return response


def test_a_real_pdf_opens_inline_sandboxed(cast, application, client, login_as):
    document = _document(application, '사업"계획서\r\n.pdf', PDF)
    login_as(cast["company"])
    response = _get(client, document)
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    # The quote and the line break are gone from the name the header carries.
    assert "%0D" not in disposition and "%0A" not in disposition and "%22" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == PDF
    # Opening it is logged like the download it was.
    assert PersonalDataAccess.objects.filter(
        subject_type="recruitment.application", action="export"
    ).exists()


def test_a_file_named_pdf_that_is_not_one_is_a_download(cast, application, client, login_as):
    html = b"<html><script>alert(document.cookie)</script></html>"
    document = _document(application, "계획서.pdf", html)
    login_as(cast["company"])
    response = _get(client, document)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" not in response.get("Content-Security-Policy", "")


def test_an_image_stays_a_download(cast, application, client, login_as):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    document = _document(application, "사진.png", png, kinds=("image",))
    login_as(cast["company"])
    response = _get(client, document)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_another_regions_staff_get_404(cast, application, client, login_as):
    document = _document(application, "계획서.pdf", PDF)
    login_as(cast["busan_staff"])
    response = client.get(f"/applications/{application.pk}/files/{document.pk}/", secure=True)
    assert response.status_code == 404
