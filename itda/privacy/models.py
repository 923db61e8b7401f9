"""What was destroyed under which retention rule (파기 기록), and the privacy officer's monthly
review of the access log (접속기록 점검)."""

import pgtrigger
from django.conf import settings
from django.db import models

from itda.lib.dates import validate_era
from itda.lib.fields import BoundedTextField


class DestructionMethod(models.TextChoices):
    DELETE = "delete", "삭제"
    ANONYMISE = "anonymise", "익명화"


# PIPA 제21조③: a record of each destruction is itself kept; it names no person.
@pgtrigger.register(
    pgtrigger.Protect(name="destruction_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
)
class DestructionRecord(models.Model):
    """One run of one retention rule: what kind of data, how many rows, how, by which rule."""

    rule = models.CharField("보유기간 규칙", max_length=50)
    what = models.CharField("대상", max_length=100)
    method = models.CharField("방법", max_length=10, choices=DestructionMethod.choices)
    count = models.PositiveIntegerField("건수")
    cutoff = models.DateTimeField(
        "기준 시각", validators=[validate_era]
    )  # rows whose period ended before this
    basis = models.CharField("근거", max_length=300)
    run_at = models.DateTimeField("파기 일시", auto_now_add=True, db_index=True)
    # Empty for the scheduled task.
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "개인정보 파기 기록"
        verbose_name_plural = "개인정보 파기 기록"
        ordering = ["-run_at", "-id"]


class AccessReview(models.Model):
    """The monthly 접속기록 점검 (안전성 확보조치 기준 제8조②), signed off once per month with the
    figures as they stood."""

    month = models.DateField(
        "점검 월", unique=True, validators=[validate_era]
    )  # the first day of the month
    figures = models.JSONField("점검 당시 수치")
    note = BoundedTextField("점검 의견", max_length=2000)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField("확인 일시", auto_now_add=True)

    class Meta:
        verbose_name = "접속기록 점검"
        verbose_name_plural = "접속기록 점검"
        ordering = ["-month"]
