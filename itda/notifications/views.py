"""알림함: what itda sent the signed-in person, each opened (and so marked read) on its own page
with the link to act on it. Another person's notification is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from itda.notifications import selectors, services

PER_PAGE = 20


@never_cache
@require_safe
def inbox(request):
    """The user's notifications, newest first, unread ones marked."""
    page = Paginator(selectors.inbox(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@never_cache
@require_safe
def notification_detail(request, pk: int):
    """One notification, marked read as its recipient opens it."""
    notification = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.notification_read(notification=notification)
    return render(request, "notifications/detail.html", {"notification": notification})


@require_POST
def read_all(request):
    """Mark all of the user's notifications read."""
    n = services.notifications_read_all(user=request.user)
    messages.success(request, f"알림 {n}건을 읽음으로 표시했습니다.")
    return redirect("notifications:inbox")
