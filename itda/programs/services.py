"""Writes for programs: loading the reference data transcribed from the seed documents,
moving a person or a company to another region, sharing the national targets among the
groups, and the operator's changes of a programme's settings."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone

from itda.accounts.roles import Role
from itda.lib.korean import josa
from itda.programs.models import (
    Company,
    CompanyRegionChange,
    ComplexFigure,
    DatePrecision,
    IndustrialComplex,
    InternshipPayee,
    KeyTask,
    OperatingGroup,
    OriginKind,
    PlanSite,
    PlanTarget,
    Programme,
    ProgrammeBudget,
    ProgrammeExecutor,
    ProgrammeSetting,
    ProgrammeSettingChange,
    ProgrammeWindow,
    Region,
    Room,
    RuleOrigin,
    SubProject,
    Track,
    TrackAllocation,
    TrackAllocationChange,
    Trainee,
    TraineeRegionChange,
    TransformationPlan,
    Venue,
    target_ceiling,
)
from itda.programs.plans import transition_record_initial

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
            {
                "name": row["name"],
                "short_name": row["short_name"],
                "zone": row["zone"],
                "former_name": row.get("former_name", ""),
                "renamed_on": row.get("renamed_on"),
            },
        )
    return regions


_ORIGIN_FIELDS = ("label", "kind", "quote", "place", "reading", "precedent", "disagreement")


def _load_origins(up: _Upserter) -> dict[str, RuleOrigin]:
    """The origin of every rule and date the pages show. A row the operator has replaced with
    the official value (운영지침) is left as the operator set it."""
    data = _read("rule_origins.json")
    origins = {}
    for row in data["origins"]:
        existing = RuleOrigin.objects.filter(key=row["key"], kind=OriginKind.OFFICIAL).first()
        if existing is not None:
            up.seen["ruleorigin"] += 1
            origins[row["key"]] = existing
            continue
        values = {f: row.get(f, "") for f in _ORIGIN_FIELDS}
        values["document"] = data["documents"][row["document"]] if row.get("document") else ""
        origins[row["key"]] = up(RuleOrigin, {"key": row["key"]}, values)
    return origins


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
_PROGRAMME_DEFAULTS = {"starts_precision": DatePrecision.DAY, "ends_precision": DatePrecision.DAY}


def _load_programmes(
    up: _Upserter, regions: dict[str, Region], origins: dict[str, RuleOrigin]
) -> dict[str, Programme]:
    programmes = {}
    for row in _read("programmes.json")["programmes"]:
        values = {f: row[f] for f in _PROGRAMME_FIELDS}
        values |= {f: row.get(f, default) for f, default in _PROGRAMME_DEFAULTS.items()}
        programme = up(Programme, {"code": row["code"]}, values)
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
                {k: window[k] for k in ("opens_on", "closes_on", "note")}
                | {
                    "precision": window.get("precision", DatePrecision.DAY),
                    "origin": origins[window["origin"]] if window.get("origin") else None,
                },
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
        key = {"region": regions[row["region"]], "round_year": row["round_year"]}
        values = {f: row.get(f, _PLAN_DEFAULTS.get(f, "")) for f in _PLAN_FIELDS}
        # The file gives the stage the seed states; once loaded, the stage is the process's
        # (programs.plans), and a reload must not move a plan back.
        if not TransformationPlan.objects.filter(**key).exists():
            values["status"] = row["status"]
        plan = up(TransformationPlan, key, values)
        transition_record_initial(plan, note=f"참고자료 적재: {plan.source_document}"[:300])
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
        origins = _load_origins(up)
        programmes = _load_programmes(up, regions, origins)
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


def region_may_change(user, subject: Trainee | Company) -> bool:
    """Who may move a person or a company to another region: the operator, or staff of a group
    covering its current region (a group that only runs its call or cohort may not take it
    over)."""
    if user.role == Role.OPERATOR:
        return True
    return (
        user.role == Role.GROUP_STAFF
        and user.operating_groups.filter(regions=subject.region_id).exists()
    )


@transaction.atomic
def region_change(
    *, subject: Trainee | Company, region: Region, reason: str, actor
) -> TraineeRegionChange | CompanyRegionChange:
    """Move a person or a company to another region: the groups serving it change with it, so
    it is a staff action with a reason, logged as a row of the subject's region-change trail."""
    subject = type(subject).objects.select_for_update().get(pk=subject.pk)
    if not region_may_change(actor, subject):
        raise PermissionDenied
    trail = subject.region_changes
    change = trail.model(
        **{trail.field.name: subject},
        old_region_id=subject.region_id,
        new_region=region,
        reason=reason.strip(),
        actor=actor,
    )
    change.full_clean()
    change.save()
    subject.region = region
    subject.full_clean()
    subject.save(update_fields=["region"])
    return change


@transaction.atomic
def rule_origin_confirm(
    *, key: str, document: str, quote: str = "", place: str = "", actor
) -> RuleOrigin:
    """The national operator replaces a rule's origin with the official one (운영지침): the
    document by name, where in it and its words; who and when are kept on the row and, with
    every earlier state, in its history. The value itself changes where the rule lives (a new
    rule version, the call's scheme)."""
    if actor.role != Role.OPERATOR:
        raise PermissionDenied("규칙의 출처는 전담기관 담당자만 확정할 수 있습니다.")
    origin = RuleOrigin.objects.select_for_update().get(key=key)
    origin.kind = OriginKind.OFFICIAL
    origin.document = document.strip()
    origin.quote = quote.strip()
    origin.place = place.strip()
    # The reading or precedent explained the value before the official word; it no longer does.
    origin.reading = origin.precedent = ""
    origin.confirmed_by = actor
    origin.confirmed_at = timezone.now()
    origin.full_clean()
    with pghistory.context(user=actor.pk, source="rule_origin_confirm"):
        origin.save()
    return origin


class AllocationError(ValidationError):
    """An allocation the national targets refuse; the message is Korean."""


def _over_target(label: str, total: int, target: int | None, tolerance_pct: int) -> str | None:
    """Why ``total`` passes a "여" target beyond its tolerance, or None."""
    ceiling = target_ceiling(target, tolerance_pct)
    if ceiling is None or total <= ceiling:
        return None
    return (
        f"{label} 전국 배정 합계가 {total}명이 되어 목표 {target}명"
        f"(허용 범위 {tolerance_pct}%, {ceiling}명까지)을 {total - ceiling}명 넘습니다."
    )


@transaction.atomic
def track_allocation_set(
    *, track: Track, operating_group: OperatingGroup, seats: int, actor, override_reason: str = ""
) -> TrackAllocation:
    """Set a group's share of a track's national target. The groups' shares may reach the
    track's target and the programme's trainee target within their tolerance; past it only
    with a stated reason, kept as an override event (every change leaves an event). Programs
    cannot read selections, so this does not keep a share above what the group has selected:
    the operator's door is evaluation.services.allocation_change, which does and then calls
    this."""
    if actor.role != Role.OPERATOR:
        raise PermissionDenied
    if operating_group.programme_id != track.programme_id:
        raise AllocationError("사업단과 트랙이 같은 사업에 속해야 합니다.")
    # One programme's allocations change one at a time: the national sums are read and
    # written under the programme's row lock.
    programme = Programme.objects.select_for_update().get(pk=track.programme_id)
    allocation = (
        TrackAllocation.objects.select_for_update()
        .filter(track=track, operating_group=operating_group)
        .first()
    ) or TrackAllocation(track=track, operating_group=operating_group)
    old = allocation.seats if allocation.pk else None
    others = TrackAllocation.objects.filter(track__programme=programme).exclude(pk=allocation.pk)
    track_total = seats + (others.filter(track=track).aggregate(n=Sum("seats"))["n"] or 0)
    programme_total = seats + (others.aggregate(n=Sum("seats"))["n"] or 0)
    problems = [
        p
        for p in (
            _over_target(track.name, track_total, track.quota, track.tolerance_pct),
            _over_target(
                "사업 전체",
                programme_total,
                programme.target_trainees,
                programme.target_tolerance_pct,
            ),
        )
        if p
    ]
    reason = override_reason.strip()
    # Only a change that raises a share needs the override: lowering one never makes it worse.
    override = bool(problems) and (old is None or seats > old)
    if override and not reason:
        raise AllocationError(
            " ".join(problems) + " 목표를 넘겨 배정하려면 예외 승인 사유를 적으세요."
        )
    allocation.seats = seats
    allocation.full_clean()
    allocation.save()
    event = TrackAllocationChange(
        allocation=allocation,
        old_seats=old,
        new_seats=seats,
        track_total=track_total,
        programme_total=programme_total,
        override=override,
        reason=reason,
        actor=actor,
    )
    event.full_clean()
    event.save()
    return allocation


@transaction.atomic
def target_tolerances_set(
    *, programme: Programme, programme_pct: int, track_pcts: dict[int, int], actor
) -> Programme:
    """The operator sets how far the "여" targets may be passed (the programme's trainee target
    and each track's, by track pk); pghistory keeps who changed them and when."""
    if actor.role != Role.OPERATOR:
        raise PermissionDenied
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    programme.target_tolerance_pct = programme_pct
    programme.full_clean()
    programme.save(update_fields=["target_tolerance_pct"])
    for track in programme.tracks.filter(pk__in=track_pcts).order_by("pk"):
        track.tolerance_pct = track_pcts[track.pk]
        track.full_clean()
        track.save(update_fields=["tolerance_pct"])
    return programme


def period_label(starts_on: date, ends_on: date) -> str:
    """A period as the pages and the settings trail write it."""
    return f"{starts_on:%Y-%m-%d}~{ends_on:%Y-%m-%d}"


def _setting_change_record(
    *, programme: Programme, setting: str, old_value: str, new_value: str, reason: str, actor
) -> ProgrammeSettingChange:
    """The trail row of one setting change; a change to the same value is refused so the trail
    holds only real changes."""
    if old_value == new_value:
        raise ValidationError(f"{josa(ProgrammeSetting(setting).label, '이/가')} 지금과 같습니다.")
    change = ProgrammeSettingChange(
        programme=programme,
        setting=setting,
        old_value=old_value,
        new_value=new_value,
        reason=reason.strip(),
        actor=actor,
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def programme_period_set(
    *, programme: Programme, starts_on: date, ends_on: date, reason: str, actor
) -> Programme:
    """Give a programme a new period and record the change. Programs cannot read the later
    stages' dates, so this does not look for calls, cohorts, rounds or internships the new
    period would leave outside: the operator's door is outcomes.services.programme_period_change,
    which does and then calls this."""
    if actor.role != Role.OPERATOR:
        raise PermissionDenied
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    old = period_label(programme.starts_on, programme.ends_on)
    # A bound the operator sets is an exact day, even where the release gave only a month.
    if starts_on != programme.starts_on:
        programme.starts_on, programme.starts_precision = starts_on, DatePrecision.DAY
    if ends_on != programme.ends_on:
        programme.ends_on, programme.ends_precision = ends_on, DatePrecision.DAY
    programme.full_clean()
    _setting_change_record(
        programme=programme,
        setting=ProgrammeSetting.PERIOD,
        old_value=old,
        new_value=period_label(starts_on, ends_on),
        reason=reason,
        actor=actor,
    )
    programme.save(update_fields=["starts_on", "ends_on", "starts_precision", "ends_precision"])
    return programme


_NO_WITHHOLDING = "원천징수 없음"


@transaction.atomic
def programme_payee_change(*, programme: Programme, payee: str, reason: str, actor) -> Programme:
    """Choose who receives the monthly internship money (the release reads both ways) and
    record the change. Agreements already proposed keep the payee they were made with."""
    if actor.role != Role.OPERATOR:
        raise PermissionDenied
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    old = programme.get_internship_allowance_payee_display()
    programme.internship_allowance_payee = payee
    programme.full_clean()
    _setting_change_record(
        programme=programme,
        setting=ProgrammeSetting.PAYEE,
        old_value=old,
        new_value=InternshipPayee(payee).label,
        reason=reason,
        actor=actor,
    )
    programme.save(update_fields=["internship_allowance_payee"])
    return programme


@transaction.atomic
def programme_income_class_change(
    *, programme: Programme, income_class: str | None, reason: str, actor
) -> Programme:
    """Set (or clear) the income class withheld from the programme's payments, and record the
    change. Statements computed from now on withhold by it; approved ones keep their amounts."""
    if actor.role != Role.OPERATOR:
        raise PermissionDenied
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    old = programme.get_income_class_display() or _NO_WITHHOLDING
    programme.income_class = income_class or None
    programme.full_clean()
    _setting_change_record(
        programme=programme,
        setting=ProgrammeSetting.INCOME_CLASS,
        old_value=old,
        new_value=programme.get_income_class_display() or _NO_WITHHOLDING,
        reason=reason,
        actor=actor,
    )
    programme.save(update_fields=["income_class"])
    return programme
