"""Writes for programs: loading the reference data transcribed from the seed documents, and
moving a person to another region."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pghistory
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from itda.accounts.roles import Role
from itda.programs.models import (
    ComplexFigure,
    IndustrialComplex,
    KeyTask,
    OperatingGroup,
    PlanSite,
    PlanTarget,
    Programme,
    ProgrammeBudget,
    ProgrammeExecutor,
    ProgrammeWindow,
    Region,
    Room,
    SubProject,
    Track,
    Trainee,
    TraineeRegionChange,
    TransformationPlan,
    Venue,
)

REFERENCE_DIR = Path(__file__).resolve().parent / "reference_data"


def _read(name: str) -> dict[str, Any]:
    with (REFERENCE_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _coerce(field: models.Field, value: Any) -> Any:
    """JSON gives strings and floats; compare and store what the field holds."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return Decimal(str(value))
    if isinstance(field, models.DateField) and isinstance(value, str):
        return date.fromisoformat(value)
    return value


class _Upserter:
    """update_or_create by natural key that saves only rows whose values changed.

    Unchanged rows are not saved, so a second run writes nothing (and pghistory records no
    spurious events)."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.seen: Counter[str] = Counter()
        self.deleted: Counter[str] = Counter()

    def prune(self, queryset: models.QuerySet, keep: list[models.Model]) -> None:
        """Delete rows of ``queryset`` that the files no longer name."""
        stale = queryset.exclude(pk__in=[obj.pk for obj in keep])
        count = stale.count()
        if count:
            stale.delete()
            self.deleted[queryset.model._meta.model_name] += count

    def __call__(self, model: type[models.Model], lookup: dict, values: dict) -> Any:
        label = model._meta.model_name
        self.seen[label] += 1
        obj = model.objects.filter(**lookup).first()
        is_new = obj is None
        if is_new:
            obj = model(**lookup)
        changed: list[str] = []
        for name, raw in values.items():
            field = model._meta.get_field(name)
            value = _coerce(field, raw)
            if field.many_to_one:
                current, wanted = getattr(obj, field.attname), value.pk if value else None
            else:
                current, wanted = getattr(obj, name), value
            if is_new or current != wanted:
                setattr(obj, name, value)
                changed.append(name)
        if is_new:
            obj.full_clean()
            obj.save()
            self.created[label] += 1
        elif changed:
            obj.full_clean()
            obj.save(update_fields=changed)
            self.updated[label] += 1
        return obj


def _set_m2m(manager, objs: list[models.Model]) -> None:
    """Set a many-to-many relation only when it differs (no needless history rows)."""
    if set(manager.values_list("pk", flat=True)) != {o.pk for o in objs}:
        manager.set(objs)


def _load_regions(up: _Upserter) -> dict[str, Region]:
    regions = {}
    for row in _read("regions.json")["regions"]:
        regions[row["code"]] = up(
            Region,
            {"code": row["code"]},
            {"name": row["name"], "short_name": row["short_name"], "zone": row["zone"]},
        )
    return regions


_PROGRAMME_FIELDS = (
    "name",
    "ministry",
    "managing_agency",
    "starts_on",
    "ends_on",
    "purpose",
    "location",
    "target_companies",
    "target_trainees",
    "training_months_max",
    "training_allowance_monthly_krw",
    "internship_months_max",
    "internship_allowance_monthly_krw",
    "source_document",
)


def _load_programmes(up: _Upserter, regions: dict[str, Region]) -> dict[str, Programme]:
    programmes = {}
    for row in _read("programmes.json")["programmes"]:
        programme = up(Programme, {"code": row["code"]}, {f: row[f] for f in _PROGRAMME_FIELDS})
        programmes[programme.code] = programme
        for budget in row["budgets"]:
            up(
                ProgrammeBudget,
                {"programme": programme, "source": budget["source"]},
                {"amount_krw": budget["amount_krw"]},
            )
        for executor in row["executors"]:
            up(
                ProgrammeExecutor,
                {"programme": programme, "name": executor["name"]},
                {"role": executor["role"]},
            )
        for window in row["windows"]:
            up(
                ProgrammeWindow,
                {"programme": programme, "name": window["name"]},
                {k: window[k] for k in ("opens_on", "closes_on", "note")},
            )
        for track in row["tracks"]:
            up(
                Track,
                {"programme": programme, "code": track["code"]},
                {k: track[k] for k in ("name", "description", "quota", "placement_kind")},
            )
        for group_row in row["operating_groups"]:
            group = up(
                OperatingGroup,
                {"programme": programme, "zone": group_row["zone"]},
                {"name": group_row["name"]},
            )
            _set_m2m(group.regions, [regions[code] for code in group_row["regions"]])
    return programmes


def _load_complexes(up: _Upserter, regions: dict[str, Region]) -> dict[str, IndustrialComplex]:
    complexes = {}
    for row in _read("complexes.json")["complexes"]:
        complex_ = up(
            IndustrialComplex,
            {"name": row["name"]},
            {
                "kind": row["kind"],
                "region": regions[row["region"]],
                "smart_green_year": row.get("smart_green_year"),
                "description": row.get("description", ""),
            },
        )
        complexes[complex_.name] = complex_
        figures = []
        for figure in row.get("figures", []):
            figures.append(
                up(
                    ComplexFigure,
                    {"complex": complex_, "metric": figure["metric"]},
                    {
                        "value": figure.get("value"),
                        "unit": figure.get("unit", ""),
                        "share_pct": figure.get("share_pct"),
                        "share_basis": figure.get("share_basis", ""),
                        "source_text": figure["source_text"],
                    },
                )
            )
        up.prune(complex_.figures.all(), figures)
    return complexes


_PLAN_FIELDS = (
    "status",
    "main_industries",
    "vision",
    "summary",
    "regional_context",
    "requested_subproject_count",
    "governance",
    "source_document",
)
_PLAN_DEFAULTS: dict[str, Any] = {"requested_subproject_count": None}


def _load_plans(
    up: _Upserter,
    regions: dict[str, Region],
    complexes: dict[str, IndustrialComplex],
) -> None:
    for row in _read("plans.json")["plans"]:
        plan = up(
            TransformationPlan,
            {"region": regions[row["region"]], "round_year": row["round_year"]},
            {f: row.get(f, _PLAN_DEFAULTS.get(f, "")) for f in _PLAN_FIELDS},
        )
        sites, targets, tasks = [], [], []
        for order, site in enumerate(row.get("sites", []), start=1):
            sites.append(
                up(
                    PlanSite,
                    {"plan": plan, "complex": complexes[site["complex"]]},
                    {
                        "role": site["role"],
                        "industries": site.get("industries", ""),
                        "linkage_function": site.get("linkage_function", ""),
                        "order": order,
                    },
                )
            )
        for target in row.get("targets", []):
            targets.append(
                up(
                    PlanTarget,
                    {"plan": plan, "indicator": target["indicator"], "source": target["source"]},
                    {
                        "value": target.get("value"),
                        "unit": target.get("unit", ""),
                        "source_text": target["source_text"],
                        "order": target["order"],
                    },
                )
            )
        for order, task_row in enumerate(row.get("key_tasks", []), start=1):
            task = up(
                KeyTask,
                {"plan": plan, "order": order},
                {"name": task_row["name"], "details": task_row.get("details", "")},
            )
            tasks.append(task)
            subprojects = [
                up(SubProject, {"key_task": task, "order": sub_order}, {"name": name})
                for sub_order, name in enumerate(task_row.get("subprojects", []), start=1)
            ]
            up.prune(task.subprojects.all(), subprojects)
        up.prune(plan.sites.all(), sites)
        up.prune(plan.targets.all(), targets)
        up.prune(plan.key_tasks.all(), tasks)


def _load_venues(
    up: _Upserter,
    regions: dict[str, Region],
    complexes: dict[str, IndustrialComplex],
    programmes: dict[str, Programme],
) -> None:
    for row in _read("venues.json")["venues"]:
        operator = row.get("operator")
        venue = up(
            Venue,
            {"name": row["name"]},
            {
                "programme": programmes[row["programme"]] if row.get("programme") else None,
                "operator": OperatingGroup.objects.get(
                    programme=programmes[operator["programme"]], zone=operator["zone"]
                )
                if operator
                else None,
                "region": regions[row["region"]],
                "complex": complexes[row["complex"]] if row.get("complex") else None,
                "address": row["address"],
                "floor_area_m2": row.get("floor_area_m2"),
                "opened_on": row.get("opened_on"),
                "description": row.get("description", ""),
            },
        )
        for room in row.get("rooms", []):
            up(
                Room,
                {"venue": venue, "name": room["name"]},
                {"kind": room["kind"], "capacity": room.get("capacity")},
            )


@transaction.atomic
def reference_load(*, actor=None) -> dict[str, int]:
    """Load (or refresh) the reference data from reference_data/*.json; safe to run twice.

    Rows are matched by natural key and only changed values are written. Returns the number of
    records in the files per model, plus how many rows were created and updated."""
    up = _Upserter()
    context = {"source": "reference_load"}
    if actor is not None:
        context["user"] = actor.pk
    with pghistory.context(**context):
        regions = _load_regions(up)
        programmes = _load_programmes(up, regions)
        complexes = _load_complexes(up, regions)
        _load_plans(up, regions, complexes)
        _load_venues(up, regions, complexes, programmes)
    counts = dict(sorted(up.seen.items()))
    counts["created"] = sum(up.created.values())
    counts["updated"] = sum(up.updated.values())
    counts["deleted"] = sum(up.deleted.values())
    return counts


@transaction.atomic
def reference_load_all(*, actor=None) -> dict[str, int]:
    """Every installed app's reference data: each AppConfig that defines
    ``reference_load(self, *, actor=None)`` is called, programs first (later apps' data points
    at programmes), in one transaction; the counts are added up by name."""
    from django.apps import apps

    configs = sorted(
        (c for c in apps.get_app_configs() if hasattr(c, "reference_load")),
        key=lambda c: c.label != "programs",
    )
    counts: dict[str, int] = {}
    for config in configs:
        for name, n in config.reference_load(actor=actor).items():
            counts[name] = counts.get(name, 0) + n
    return counts


def trainee_region_may_change(user, trainee: Trainee) -> bool:
    """Who may move a person to another region: the operator, or staff of a group covering the
    person's current region (a group that only runs their cohort may not take them over)."""
    if user.role == Role.OPERATOR:
        return True
    return (
        user.role == Role.GROUP_STAFF
        and user.operating_groups.filter(regions=trainee.region_id).exists()
    )


@transaction.atomic
def trainee_region_change(
    *, trainee: Trainee, region: Region, reason: str, actor
) -> TraineeRegionChange:
    """Move a person to another region: the groups serving them change with it, so it is a
    staff action with a reason, logged as a TraineeRegionChange row."""
    trainee = Trainee.objects.select_for_update().get(pk=trainee.pk)
    if not trainee_region_may_change(actor, trainee):
        raise PermissionDenied
    change = TraineeRegionChange(
        trainee=trainee,
        old_region_id=trainee.region_id,
        new_region=region,
        reason=reason.strip(),
        actor=actor,
    )
    change.full_clean()
    change.save()
    trainee.region = region
    trainee.full_clean()
    trainee.save(update_fields=["region"])
    return change
