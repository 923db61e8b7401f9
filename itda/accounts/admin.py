"""Django admin: superusers only, after the second factor (every everyday task of operators and
staff has its own page, so the admin is a repair tool, not a workplace); every look at personal
data there is logged (접속기록) and names are masked in its lists, as on every other page."""

from collections import defaultdict
from functools import wraps

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.html import format_html

from itda.accounts.access import PERSONAL_FIELDS
from itda.accounts.models import AccessAction, PersonalDataAccess, User, subject_type_choices
from itda.accounts.services import personal_data_access_record
from itda.lib import masking

# The admin's sections for the libraries' own models, in Korean like ours (their packages name
# them in English and ship no translation).
LIBRARY_SECTIONS = {
    "axes": "로그인 실패·잠금 기록",
    "otp_totp": "2단계 인증 기기",
    "pghistory": "변경 이력",
    "django_tasks_database": "백그라운드 작업",
}


def restrict_admin_to_superusers(site: admin.AdminSite) -> None:
    """Only a verified superuser may open the admin site (``is_staff`` alone is not enough),
    and what they see of personal data there is logged and, in lists, masked."""

    def has_permission(request) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_authenticated and user.is_superuser and user.is_verified()
        )

    site.has_permission = has_permission
    for label, name in LIBRARY_SECTIONS.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    site.site_header = "잇다 itda 관리"
    site.site_title = "잇다 관리"
    site.login = lambda request, extra_context=None: _to_login(request)
    admin_urls = site.get_urls

    def get_urls():
        view_on_site = path(
            "r/<path:content_type_id>/<path:object_id>/",
            site.admin_view(_view_on_site),
            name="view_on_site",
        )
        urls = admin_urls()
        return [view_on_site if getattr(u, "name", "") == "view_on_site" else u for u in urls]

    site.get_urls = get_urls
    for model, model_admin in site._registry.items():
        if holds_personal_data(model):
            _log_and_mask(model_admin)


def _view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" shortcut, for models that have a page of their own; anything
    else is 404. Django's own shortcut queries whatever model the id names: pghistory's event
    view has no table of that name, so an id of an unknown kind was a 500."""
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except (ValueError, OverflowError, ContentType.DoesNotExist):
        raise Http404 from None
    if model is None or not hasattr(model, "get_absolute_url"):
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)


# Columns of an admin list shown masked, as in every other list of personal data.
MASKED_COLUMNS = {
    "name": masking.mask_name,
    "display_name": masking.mask_name,
    "phone": masking.mask_phone,
    "email": masking.mask_email,
    "birth_date": masking.mask_birth_date,
    "address": masking.mask_address,
    "bank_account": masking.mask_account,
}
EVENTS = "pghistory.Events"  # every tracked row's history: a copy of its personal data


def holds_personal_data(model) -> bool:
    """Rows of people's or companies' data: scoped models, models with a personal field, and
    pghistory's events (which copy every tracked row)."""
    names = {f.name for f in model._meta.concrete_fields}
    return hasattr(model, "scope") or model._meta.label == EVENTS or bool(names & PERSONAL_FIELDS)


def _subject(obj) -> tuple[str, int | None]:
    """Whose data a row shows: the row itself, or for a history event the row it copies."""
    if obj._meta.label == EVENTS:
        obj_id = str(obj.pgh_obj_id)
        return obj.pgh_obj_model.lower(), int(obj_id) if obj_id.isdigit() else None
    return obj._meta.label_lower, obj.pk


def _record(request, objects, action: str) -> None:
    by_type = defaultdict(list)
    for obj in objects:
        subject_type, subject_id = _subject(obj)
        if subject_id is not None:
            by_type[subject_type].append(subject_id)
    for subject_type, ids in by_type.items():
        personal_data_access_record(
            request=request, subject_type=subject_type, subject_ids=ids, action=action
        )


def _masked_column(name: str, mask, model):
    def column(obj):
        value = getattr(obj, name)
        return mask(value) if value else value

    column.__name__ = name  # the list's CSS class (field-<name>), as for the plain column
    column.short_description = model._meta.get_field(name).verbose_name
    column.admin_order_field = name
    return column


def _masked_checkbox(obj):
    """The list's row checkbox, labelled with the masked name (Django labels it with the row's
    str(), a person's full name)."""
    label = format_html("{} 선택", masking.mask_name(str(obj)))
    checkbox = forms.CheckboxInput({"class": "action-select", "aria-label": label}, lambda v: False)
    return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))


def _log_and_mask(model_admin: admin.ModelAdmin) -> None:
    """Log the admin's list (the rows on the page) and its views of one row (change, history,
    delete confirmation) in the 접속기록, and mask personal columns of its list."""
    model_admin.list_display = [
        _masked_column(c, MASKED_COLUMNS[c], model_admin.model) if c in MASKED_COLUMNS else c
        for c in model_admin.list_display
    ]
    model_admin.action_checkbox = _masked_checkbox
    changelist = model_admin.changelist_view

    @wraps(changelist)
    def changelist_view(request, extra_context=None):
        response = changelist(request, extra_context)
        cl = (getattr(response, "context_data", None) or {}).get("cl")
        if cl is not None:
            _record(request, cl.result_list, AccessAction.LIST)
        return response

    model_admin.changelist_view = changelist_view
    for name in ("change_view", "history_view", "delete_view"):
        setattr(model_admin, name, _logged_object_view(model_admin, getattr(model_admin, name)))


def _logged_object_view(model_admin, view):
    @wraps(view)
    def logged(request, object_id, *args, **kwargs):
        response = view(request, object_id, *args, **kwargs)
        if response.status_code == 200:
            obj = model_admin.get_object(request, unquote(object_id))
            if obj is not None:
                _record(request, [obj], AccessAction.VIEW)
        return response

    return logged


def _to_login(request):
    # A signed-in user who is not a superuser is refused, not sent round the login loop.
    if request.user.is_authenticated and not request.user.is_superuser:
        raise PermissionDenied
    return redirect_to_login(request.get_full_path())


@admin.register(User)
class ItdaUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("역할", {"fields": ("role", "display_name")}))


class SubjectKindFilter(admin.SimpleListFilter):
    """The kinds of record by their Korean names, not "training.enrollment"."""

    title = "정보주체 종류"
    parameter_name = "subject_type"

    def lookups(self, request, model_admin):
        return [choice for choice in subject_type_choices() if choice[0]]

    def queryset(self, request, queryset):
        return queryset.filter(subject_type=self.value()) if self.value() else queryset


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_username", "ip_address", "action", "subject_kind", "reason")
    list_filter = ("action", SubjectKindFilter)
    fields = readonly_fields = (
        "at",
        "actor_username",
        "ip_address",
        "action",
        "subject_kind",
        "subject_ids",
        "path",
        "reason",
    )

    @admin.display(description="정보주체 종류", ordering="subject_type")
    def subject_kind(self, obj):
        return obj.subject_label

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
