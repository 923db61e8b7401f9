"""Hostile xlsx uploads (zip and XML bombs, entities, NUL, broken markup) get the Korean
"cannot read" answer in seconds, through the real upload page, and leave nothing behind."""

# ruff: noqa: F811 (the upload page's fixtures are imported from its own test module)
import io
import time
import zipfile

import pytest

from itda.lib import excel
from itda.recruitment.models import Application
from itda.recruitment.tests.test_import_views import (  # noqa: F401 (fixtures)
    GOOD_AND_BAD,
    _file,
    private_uploads,
    trainee_call,
    upload,
)

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024


def _rewrite(sheet=lambda xml: xml, extra: dict[str, bytes] | None = None) -> bytes:
    """The good-and-bad trainee list with its sheet XML changed and extra parts added."""
    source = zipfile.ZipFile(io.BytesIO(_file(GOOD_AND_BAD)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            archive.writestr(info.filename, sheet(data) if info.filename == SHEET else data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def _inside_worksheet(markup: bytes):
    """Put ``markup`` right after the worksheet's start tag."""

    def change(xml: bytes) -> bytes:
        end = xml.index(b">", xml.index(b"<worksheet")) + 1
        return xml[:end] + markup + xml[end:]

    return change


NAME = "김하나".encode()  # row 2's name, a cell of the sheet


def _entity(doctype: bytes, reference: bytes):
    """Declare entities before the root element and use one in row 2's name cell."""

    def change(xml: bytes) -> bytes:
        assert NAME in xml
        return doctype + xml.replace(NAME, reference)

    return change


def _refused(client, call, content: bytes, message: str, private_uploads):
    started = time.monotonic()
    response = upload(client, call, content)
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not private_uploads.exists() or not list(private_uploads.iterdir())
    assert not Application.objects.exists()
    return elapsed


def test_a_sound_list_still_previews(admin, login_as, client, trainee_call):
    login_as(admin)
    # Printer settings are binary (UTF-16 names, NUL bytes): not XML, so not refused as XML.
    content = _rewrite(
        extra={"xl/printerSettings/printerSettings1.bin": "HP LaserJet".encode("utf-16-le")}
    )
    response = upload(client, trainee_call, content)
    assert response.status_code == 200
    assert response.context["preview"].counts["rows"] == 4


def test_a_16_mb_comment_in_the_sheet_is_refused_in_seconds(
    admin,
    login_as,
    client,
    trainee_call,
    private_uploads,
):
    # Unchecked, expat spends 28 s on this comment (quadratic in its length; 190 MB: 11 min).
    login_as(admin)
    content = _rewrite(_inside_worksheet(b"<!--" + b"a" * (16 * MB) + b"-->"))
    assert len(content) < MB
    elapsed = _refused(client, trainee_call, content, excel.UNREADABLE, private_uploads)
    assert elapsed < 5


def test_a_long_attribute_value_is_refused(
    admin,
    login_as,
    client,
    trainee_call,
    private_uploads,
):
    # Any single token is parsed in quadratic time, not only a comment.
    login_as(admin)
    content = _rewrite(_inside_worksheet(b'<x a="' + b"a" * (2 * MB) + b'"/>'))
    elapsed = _refused(client, trainee_call, content, excel.UNREADABLE, private_uploads)
    assert elapsed < 5


@pytest.mark.parametrize(
    "extra",
    [
        {"xl/media/big.bin": b"\0" * (25 * MB)},  # one part past its limit
        {f"xl/media/big{i}.bin": b"\0" * (17 * MB) for i in range(3)},  # the whole past its
    ],
    ids=["part", "archive"],
)
def test_a_file_that_unpacks_past_the_limits_is_refused(
    admin,
    login_as,
    client,
    trainee_call,
    private_uploads,
    extra,
):
    login_as(admin)
    _refused(client, trainee_call, _rewrite(extra=extra), excel.TOO_BIG, private_uploads)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY %s "%s">' % (chr(98 + i).encode(), (b"&" + chr(97 + i).encode() + b";") * 10)
        for i in range(9)
    )
    + b"]>"
)


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml.replace(NAME, "김\x00하나".encode()),
        _entity(b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>', b"&e;"),
        _entity(BILLION_LAUGHS, b"&j;"),
        lambda xml: xml.replace(b"</row>", b"</c>", 1),
    ],
    ids=["nul", "external-entity", "entity-expansion", "broken-markup"],
)
def test_malformed_sheet_xml_is_the_same_korean_400(
    admin,
    login_as,
    client,
    trainee_call,
    private_uploads,
    change,
):
    login_as(admin)
    _refused(client, trainee_call, _rewrite(change), excel.UNREADABLE, private_uploads)


def test_a_read_past_the_time_budget_stops_in_korean(
    admin,
    login_as,
    client,
    trainee_call,
    private_uploads,
    monkeypatch,
):
    monkeypatch.setattr(excel, "READ_SECONDS", -1)
    login_as(admin)
    _refused(client, trainee_call, _file(GOOD_AND_BAD), excel.TOO_SLOW, private_uploads)
