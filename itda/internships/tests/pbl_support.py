"""A PBL internship in force for the tests: the agreement fixture's placement moved to a Track 2
(PBL) position, proposed 2026-08-03~10-31 and accepted by company, intern and group; files of
each kind as an intern would upload them."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from itda.internships import agreements
from itda.internships.models import Internship, Position
from itda.internships.tests.conftest import propose
from itda.programs.models import OriginKind, PlacementKind, RuleOrigin, Track

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120  # a Windows program's first bytes


def pbl_track(programme) -> Track:
    return Track.objects.get_or_create(
        programme=programme,
        code="track2",
        defaults={"name": "Track2 테스트", "quota": 80, "placement_kind": PlacementKind.PBL},
    )[0]


def pbl_internship(setup, staff, company, trainee, *, active: bool = True) -> Internship:
    """The fixture's placement, on a PBL position, its agreement proposed (and accepted)."""
    position = setup["position"]
    Position.objects.filter(pk=position.pk).update(track=pbl_track(position.track.programme))
    internship = propose(setup, staff)
    if active:
        for person in (company, trainee, staff):
            agreements.internship_accept(internship=internship, version=1, actor=person)
    internship.refresh_from_db()
    return internship


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def zipped(entries: dict[str, bytes], *, encrypted_flag: bool = False) -> bytes:
    """A ZIP archive of ``entries``; ``encrypted_flag`` marks its entries password-protected."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    data = buffer.getvalue()
    if encrypted_flag:  # zipfile writes no encrypted entries: set bit 0 of the flags by hand
        data = data.replace(b"PK\x03\x04\x14\x00\x00", b"PK\x03\x04\x14\x00\x01")
        data = data.replace(b"PK\x01\x02\x14\x03\x14\x00\x00", b"PK\x01\x02\x14\x03\x14\x00\x01")
    return data


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def pbl_origins(programme) -> None:
    """The PBL rule origins under the test programme's prefix, as the registry holds them for
    the real programme."""
    for name in ("pbl_process", "pbl_criteria", "pbl_due_window"):
        RuleOrigin.objects.create(
            key=f"{programme.code}.internship.{name}",
            label=name,
            kind=OriginKind.DEFAULT,
            precedent="시험용",
        )
