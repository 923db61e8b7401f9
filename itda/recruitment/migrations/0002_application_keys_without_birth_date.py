"""A person's applicant key becomes their mobile number alone (the birth date, which the
applicant types, made a second application possible), and where one applicant already has more
than one live application in a call, the first submitted stays and the others are withdrawn
with a note in their trail, so the constraints of 0003 can hold."""

from django.db import migrations
from django.utils import timezone

from itda.lib.normalize import phone_key

NOTE = "중복 신청 정리: 같은 신청자의 신청 {kept}을(를) 남기고 철회 (이슈 10, 데이터 이전)"


def _rekey(apps):
    Application = apps.get_model("recruitment", "Application")
    changed = []
    rows = Application.objects.filter(
        call__kind="trainee", trainee__isnull=False, applicant_key__startswith="person:"
    ).select_related("trainee")
    for application in rows.iterator(chunk_size=2000):
        key = "person:" + phone_key(application.trainee.phone)
        if application.applicant_key != key:
            application.applicant_key = key
            changed.append(application)
    Application.objects.bulk_update(changed, ["applicant_key"], batch_size=2000)


def _owners(application) -> list[tuple]:
    """Every key under which two live applications of one call would be the same applicant."""
    keys = [("key", application.applicant_key)]
    if application.company_id:
        keys.append(("company", application.company_id))
    if application.trainee_id:
        keys.append(("trainee", application.trainee_id))
    if not (application.company_id or application.trainee_id or application.plan_id):
        keys.append(("account", application.created_by_id))
    return [(application.call_id, *key) for key in keys]


def _withdraw_duplicates(apps):
    Application = apps.get_model("recruitment", "Application")
    Transition = apps.get_model("recruitment", "ApplicationTransition")
    now = timezone.now()
    kept: dict[tuple, object] = {}
    duplicates = []
    live = Application.objects.exclude(status="withdrawn").order_by(
        "call_id",
        "submitted_at",
        "pk",  # PostgreSQL sorts NULLs (drafts) last
    )
    for application in live.iterator(chunk_size=2000):
        owners = _owners(application)
        first = next((kept[o] for o in owners if o in kept), None)
        if first is None:
            kept.update((o, application) for o in owners)
        else:
            duplicates.append((application, first))
    for application, first in duplicates:
        Transition.objects.create(
            application=application,
            actor=None,
            field="status",
            old=application.status,
            new="withdrawn",
            note=NOTE.format(kept=first.receipt_number or f"#{first.pk}"),
        )
        application.status = "withdrawn"
        application.withdrawn_at = now
        application.save(update_fields=["status", "withdrawn_at"])


def forwards(apps, schema_editor):
    _rekey(apps)
    _withdraw_duplicates(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="application",
            name="one_application_per_applicant",
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
