"""The evaluator pool (criteria, panels and score sheets come with the recruitment issue)."""

import pghistory
from django.conf import settings
from django.db import models

from itda.accounts.access import ScopedQuerySet, ScopePaths


@pghistory.track()
class Evaluator(models.Model):
    """평가위원: a person in the evaluator pool, with affiliation and expertise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluator",
    )
    name = models.CharField("성명", max_length=50)
    affiliation = models.CharField("소속", max_length=100)
    position = models.CharField("직위", max_length=50, blank=True)
    expertise = models.CharField("전문분야", max_length=200)
    phone = models.CharField("연락처", max_length=13)
    email = models.EmailField("이메일")
    region = models.ForeignKey(
        "programs.Region",
        on_delete=models.PROTECT,
        related_name="evaluators",
        verbose_name="소재지",
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(region="region", person="user")

    class Meta:
        verbose_name = "평가위원"
        verbose_name_plural = "평가위원"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
