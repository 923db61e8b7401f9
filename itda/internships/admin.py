"""A programme's OJT evaluation criteria in the admin (national operator only): add, rename,
reorder or retire them; never delete one (a used criterion keeps the ratings given on it)."""

from django.contrib import admin

from itda.internships.models import OjtCriterion


@admin.register(OjtCriterion)
class OjtCriterionAdmin(admin.ModelAdmin):
    list_display = ("programme", "order", "name", "description", "is_active")
    list_filter = ("programme", "is_active")
    list_editable = ("order", "is_active")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
