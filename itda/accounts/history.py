"""The change history (pghistory's events) in Korean, as the admin shows it: the kind of record
by its verbose name, each changed field by its verbose name and each value by its label, so no
page reads "training.enrollment" or "status: draft → submitted". Models are looked up by label
(accounts imports no later app)."""

from __future__ import annotations

import json
import re

from django.apps import apps
from django.contrib import admin
from django.db import models
from pghistory.admin import EventsAdmin
from pghistory.admin.core import EventModelFilter, LabelFilter
from pghistory.models import Events

from itda.accounts.access import PERSONAL_FIELDS
from itda.accounts.models import subject_type_label

EVENT_KINDS = {"insert": "생성", "update": "변경", "delete": "삭제"}
HIDDEN = "(개인정보, 표시하지 않음)"


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, name: str) -> models.Field | None:
    """The field a column of the event's copy names (a foreign key by its column, region_id)."""
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


# Columns most models carry without a Korean name of their own.
COMMON_FIELDS = {
    "id": "번호",
    "created_at": "생성 일시",
    "updated_at": "수정 일시",
    "created_by": "작성자",
}
_HANGUL = re.compile("[\uac00-\ud7a3]")


def field_label(field: models.Field | None, name: str) -> str:
    """A field's Korean name: its verbose name, else for a reference the referred record's."""
    if field is None:
        return COMMON_FIELDS.get(name, name)
    label = str(field.verbose_name)
    if _HANGUL.search(label):
        return label
    if field.is_relation and field.related_model is not None:
        return str(field.related_model._meta.verbose_name)
    return COMMON_FIELDS.get(field.name, label)


def value_label(field: models.Field | None, value) -> str:
    """One stored value as a person reads it: a choice by its label, yes/no, a reference by its
    number; personal data not at all (the history copies it, the list does not show it)."""
    if value is None or value == "":
        return "-"
    if field is None:
        return (
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
        )
    if field.name in PERSONAL_FIELDS or field.name in {"name", "display_name", "bank_holder"}:
        return HIDDEN
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "예" if value else "아니요"
    if field.is_relation:
        return f"{field.related_model._meta.verbose_name} #{value}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def diff_lines(model_label: str, diff: dict | None) -> list[str]:
    """Each changed field of an event: "상태: 작성 중 → 제출"."""
    model = _model(model_label)
    lines = []
    for name, change in (diff or {}).items():
        field = _field(model, name)
        old, new = (
            change if isinstance(change, list | tuple) and len(change) == 2 else (None, change)
        )
        lines.append(
            f"{field_label(field, name)}: {value_label(field, old)} → {value_label(field, new)}"
        )
    return lines


def snapshot_lines(model_label: str, data: dict | None) -> list[str]:
    """The record as the event copied it, field by field, in Korean."""
    model = _model(model_label)
    return [
        f"{field_label(field, name)}: {value_label(field, value)}"
        for name, value in (data or {}).items()
        if not name.startswith("pgh_")
        for field in [_field(model, name)]
    ]


class KoreanLabelFilter(LabelFilter):
    title = "구분"

    def lookups(self, request, model_admin):
        return [(k, EVENT_KINDS.get(k, k)) for k, _ in super().lookups(request, model_admin)]


class KoreanModelFilter(EventModelFilter):
    title = "기록 종류"

    def lookups(self, request, model_admin):
        from pghistory import core

        models_ = {m._meta.label_lower: m for m in core.event_models()}
        return sorted(
            (
                (label, str(models_[label].pgh_tracked_model._meta.verbose_name))
                for label, _ in super().lookups(request, model_admin)
                if label in models_ and models_[label].pgh_tracked_model is not None
            ),
            key=lambda choice: choice[1],
        )


def event_title(event) -> str:
    """One event as a heading: "신청 #12 변경"."""
    kind = subject_type_label(event.pgh_obj_model.lower())
    return f"{kind} #{event.pgh_obj_id} {EVENT_KINDS.get(event.pgh_label, event.pgh_label)}"


# pghistory's aggregate model ships English names ("events", "Events object (…)"), which the
# admin prints in titles and breadcrumbs; it is the library's model, so they are set here.
Events._meta.verbose_name = Events._meta.verbose_name_plural = "변경 이력"
Events.__str__ = event_title


class KoreanEventsAdmin(EventsAdmin):
    """pghistory's list of every change, in Korean (its page of one event too)."""

    list_display = ["event_at", "event_kind", "record_kind", "record_id", "changes"]
    fields = readonly_fields = [*list_display, "snapshot"]

    def get_list_display(self, request):
        return self.list_display

    def get_list_filter(self, request):
        kinds = {LabelFilter: KoreanLabelFilter, EventModelFilter: KoreanModelFilter}
        return [kinds.get(f, f) for f in super().get_list_filter(request)]

    @admin.display(description="기록 당시 내용")
    def snapshot(self, obj):
        return " · ".join(snapshot_lines(obj.pgh_obj_model, obj.pgh_data)) or "-"

    @admin.display(description="일시", ordering="pgh_created_at")
    def event_at(self, obj):
        return obj.pgh_created_at

    @admin.display(description="구분")
    def event_kind(self, obj):
        return EVENT_KINDS.get(obj.pgh_label, obj.pgh_label)

    @admin.display(description="기록 종류")
    def record_kind(self, obj):
        return subject_type_label(obj.pgh_obj_model.lower())

    @admin.display(description="기록 번호")
    def record_id(self, obj):
        return obj.pgh_obj_id

    @admin.display(description="변경 내용")
    def changes(self, obj):
        return " · ".join(diff_lines(obj.pgh_obj_model, obj.pgh_diff)) or "-"
