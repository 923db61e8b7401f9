"""Allowance rule versions in the admin (national operator only): a change is a new version, so
versions can be added and read, never edited or deleted (the table refuses it too)."""

from django.contrib import admin

from itda.payments.models import AllowanceRule


@admin.register(AllowanceRule)
class AllowanceRuleAdmin(admin.ModelAdmin):
    list_display = ("programme", "effective_from", "amount_krw", "full_rate", "shortfall")
    list_filter = ("programme",)
    exclude = ("created_by",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
