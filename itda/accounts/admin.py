"""Django admin: the national operator only, after the second factor."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path

from itda.accounts.models import PersonalDataAccess, User
from itda.accounts.roles import Role


def restrict_admin_to_operator(site: admin.AdminSite) -> None:
    """Only a verified national operator may open the admin site."""

    def has_permission(request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and user.role == Role.OPERATOR
            and user.is_verified()
        )

    site.has_permission = has_permission
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


def _to_login(request):
    # A signed-in user who is not the operator is refused, not sent round the login loop.
    if request.user.is_authenticated and request.user.role != Role.OPERATOR:
        raise PermissionDenied
    return redirect_to_login(request.get_full_path())


@admin.register(User)
class ItdaUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("역할", {"fields": ("role", "display_name")}))


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_username", "ip_address", "action", "subject_type", "reason")
    list_filter = ("action", "subject_type")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
