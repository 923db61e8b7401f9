"""Money in the admin (national operator only). Allowance rule versions can be added and read,
never edited or deleted (the table refuses it too). Everything else is read-only here: lines and
statements are computed, approved and paid by the services (with their trail), the ledger is
append-only (a trigger refuses UPDATE and DELETE), and budgets change through the programme's
own pages."""

from django.contrib import admin

from itda.payments.models import (
    AllowanceLine,
    AllowanceRule,
    AllowanceRun,
    Budget,
    LedgerEntry,
    Statement,
    StatementTransition,
)


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows to look at: no add, change or delete."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AllowanceRun)
class AllowanceRunAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "as_of", "inserted", "updated", "unchanged", "removed")


@admin.register(AllowanceLine)
class AllowanceLineAdmin(ReadOnlyAdmin):
    list_display = ("enrollment", "period_start", "credited", "planned", "amount_krw")
    list_select_related = ("enrollment__trainee", "enrollment__cohort")
    raw_id_fields = ("enrollment", "rule", "run")


class StatementTransitionInline(admin.TabularInline):
    model = StatementTransition
    extra = 0
    can_delete = False
    fields = ("created_at", "from_state", "to_state", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = (
        "period_start",
        "kind",
        "trainee",
        "company",
        "operating_group",
        "gross_krw",
        "amount_krw",
        "state",
    )
    list_filter = ("programme", "kind", "state", "operating_group")
    list_select_related = ("trainee", "company", "operating_group")
    raw_id_fields = ("trainee", "company", "corrects")
    inlines = [StatementTransitionInline]


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("programme", "source", "kind", "amount_krw")
    list_filter = ("programme",)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "programme", "source", "kind", "entry_type", "amount_krw", "memo")
    list_filter = ("programme", "source", "kind", "entry_type")
    raw_id_fields = ("statement", "reverses")
