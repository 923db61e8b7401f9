"""Calls in the Django admin, for superusers repairing data; everyday calls are written in the
call editor (evaluation.call_views)."""

from django.contrib import admin

from itda.recruitment.models import Call, DocumentRequirement


class DocumentRequirementInline(admin.TabularInline):
    model = DocumentRequirement
    extra = 1


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "programme", "opens_at", "closes_at")
    list_filter = ("kind", "programme")
    inlines = [DocumentRequirementInline]
