"""Stored files live exactly as long as the rows that name them."""

from __future__ import annotations

import datetime
import functools
import os
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.http import FileResponse
from django.utils import timezone

# A file is written to disk before its row commits (``FieldFile.save`` then ``Model.save``):
# a sweep must not take the file of an upload still in flight, so it leaves young files alone.
ORPHAN_GRACE = datetime.timedelta(hours=24)


def delete_files_on_commit(sender, instance: models.Model, **kwargs) -> None:
    """``post_delete`` receiver: remove the row's stored files once the deletion commits (a
    rollback keeps the row, so it keeps its files)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.FileField):
            file = getattr(instance, field.attname)
            if file:
                transaction.on_commit(functools.partial(file.storage.delete, file.name))


PDF_MAGIC = b"%PDF-"
# Characters a filename in a Content-Disposition header must not carry: controls (a header
# cannot hold a newline), path separators and quotes.
_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/]+')


def safe_filename(name: str, *, fallback: str = "file") -> str:
    """``name`` as a header may carry it: no controls, separators or quotes, at most 150
    characters, never empty."""
    cleaned = _UNSAFE_FILENAME.sub("_", name).strip(" .")[-150:]
    return cleaned or fallback


def is_pdf(file) -> bool:
    """Whether the stored file is a PDF by its first bytes (its name and the type the browser
    sent can be anything)."""
    with file.open("rb") as handle:
        return handle.read(len(PDF_MAGIC)) == PDF_MAGIC


def private_download(file, filename: str, *, inline_pdf: bool = False) -> FileResponse:
    """An uploaded file handed to a scoped, logged view's caller, never sniffed. With
    ``inline_pdf`` a real PDF (by its magic bytes) opens in the browser, typed as a PDF and in a
    CSP sandbox (an opaque origin: nothing in it can reach itda's pages or cookies); anything
    else, a PDF in name only included, is a download typed as bytes."""
    name = safe_filename(filename)
    if inline_pdf and is_pdf(file):
        response = FileResponse(
            file.open("rb"), as_attachment=False, filename=name, content_type="application/pdf"
        )
        # "allow-scripts" only because Safari's viewer will not draw some PDFs without it; the
        # sandbox still gives the document an opaque origin.
        response["Content-Security-Policy"] = "sandbox allow-scripts"
    else:
        response = FileResponse(
            file.open("rb"),
            as_attachment=True,
            filename=name,
            content_type="application/octet-stream",
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _referenced_names() -> set[str]:
    """Every file name a live row holds; history (pghistory events) records names, owns none."""
    from pghistory.models import Event

    names: set[str] = set()
    for model in apps.get_models():
        if issubclass(model, Event):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._base_manager.exclude(**{field.attname: ""})
                names.update(rows.values_list(field.attname, flat=True))
    return names


def orphan_files_remove(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete the files under ``MEDIA_ROOT`` that no row names and that are older than
    ``ORPHAN_GRACE``; (files removed, files kept). Safe to run twice."""
    root = Path(settings.MEDIA_ROOT)
    cutoff = ((now or timezone.now()) - ORPHAN_GRACE).timestamp()
    referenced = _referenced_names()
    removed = kept = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            if path.relative_to(root).as_posix() in referenced or path.stat().st_mtime > cutoff:
                kept += 1
                continue
            path.unlink(missing_ok=True)
            removed += 1
    return removed, kept
