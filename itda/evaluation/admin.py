"""Schemes and the evaluator pool in the Django admin (superusers only); schemes are written in
the call editor (evaluation.call_views)."""

from django.contrib import admin

from itda.evaluation.models import Criterion, Evaluator, EvaluatorRelation, Scheme


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "call", "method", "evaluators_per_application", "total_seats")
    inlines = [CriterionInline]


class RelationInline(admin.TabularInline):
    model = EvaluatorRelation
    extra = 0


@admin.register(Evaluator)
class EvaluatorAdmin(admin.ModelAdmin):
    list_display = ("name", "affiliation", "expertise", "region")
    search_fields = ("name", "affiliation")
    inlines = [RelationInline]
