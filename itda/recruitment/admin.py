"""Calls are opened by the national operator in the admin (window in KST, documents)."""

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
