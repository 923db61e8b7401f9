"""A document's file lives as long as its row: replacing or deleting it removes the file once
the change commits, and the nightly sweep removes files that no row names."""

import datetime
import os
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from itda import factories
from itda.recruitment import services
from itda.recruitment.models import ApplicationDocument, DocumentRequirement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 plan"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(cast, regions):
    call = factories.call(programme=regions["programme"])
    company = factories.CompanyFactory(region=regions["seoul"])
    company.managers.add(cast["company"])
    application = services.application_save(
        call=call, actor=cast["company"], answers={}, consent=True, company=company
    )
    requirement = DocumentRequirement.objects.create(
        call=call, name="사업계획서", allowed_kinds=["pdf"]
    )
    return application, requirement


def _files(root) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _attach(draft, cast, content=PDF):
    application, requirement = draft
    return services.document_attach(
        application=application,
        requirement=requirement,
        upload=SimpleUploadedFile("계획서.pdf", content),
        actor=cast["company"],
    )


def test_uploading_a_document_15_times_leaves_one_file(
    cast, draft, media, login_as, client, django_capture_on_commit_callbacks
):
    application, requirement = draft
    login_as(cast["company"])
    url = f"/applications/{application.pk}/documents/{requirement.pk}/"
    for _ in range(15):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"file": SimpleUploadedFile("계획서.pdf", PDF)})
        assert response.status_code == 302
    document = ApplicationDocument.objects.get(application=application)
    assert _files(media) == [document.file.name]
    assert (media / document.file.name).read_bytes() == PDF


def test_a_replacement_that_rolls_back_keeps_the_old_file(
    cast, draft, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        old = _attach(draft, cast)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _attach(draft, cast, b"%PDF-1.7 second")
        raise RuntimeError("the request failed after the replacement")
    assert ApplicationDocument.objects.get().pk == old.pk
    assert (media / old.file.name).read_bytes() == PDF


def test_deleting_the_application_deletes_its_files(
    cast, draft, media, django_capture_on_commit_callbacks
):
    _attach(draft, cast)
    with django_capture_on_commit_callbacks(execute=True):
        draft[0].delete()
    assert _files(media) == []


def _age(path, days: int) -> None:
    then = (datetime.datetime.now() - datetime.timedelta(days=days)).timestamp()
    os.utime(path, (then, then))


def _sweep() -> str:
    out = StringIO()
    call_command("remove_orphan_files", stdout=out)
    return out.getvalue()


def test_the_nightly_sweep_removes_old_files_no_row_names(cast, draft, media):
    document = _attach(draft, cast)
    _age(media / document.file.name, 30)
    (media / "applications" / "999").mkdir(parents=True)
    for name, days in (("old-orphan", 2), ("upload-in-flight", 0)):
        (media / "applications" / "999" / name).write_bytes(b"x")
        _age(media / "applications" / "999" / name, days)

    first = _sweep()
    assert first.count("\n") == 1
    assert first.startswith("고아 파일 1개 삭제, 2개 유지")
    assert _files(media) == sorted([document.file.name, "applications/999/upload-in-flight"])
    assert _sweep().startswith("고아 파일 0개 삭제, 2개 유지")
