"""Positions: companies write and submit them, staff of the region review and publish them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.internships import selectors, services
from itda.internships.forms import PositionForm, ReviewForm
from itda.internships.models import Position, PositionStatus
from itda.programs.models import Company


def _visible_position(request, pk: int) -> Position:
    return get_object_or_404(
        Position.objects.visible_to(request.user).select_related("company", "track", "region"),
        pk=pk,
    )


@never_cache
def my_positions(request):
    """기업 담당자: their company's positions and their state."""
    require_role(request, Role.COMPANY)
    return render(
        request,
        "internships/my_positions.html",
        {"positions": selectors.company_positions(request.user)},
    )


@never_cache
def position_edit(request, pk: int | None = None):
    """Write a new position or edit one that is a draft or returned for changes."""
    require_role(request, Role.COMPANY)
    company = Company.objects.visible_to(request.user).order_by("pk").first()
    if company is None:
        raise PermissionDenied
    position = _visible_position(request, pk) if pk else None
    form = PositionForm(request.POST or None, instance=position)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_save(
                actor=request.user,
                company=company,
                position=position,
                fields={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
            if "submit" in request.POST:
                services.position_move(
                    actor=request.user, position=position, to=PositionStatus.SUBMITTED
                )
        except services.PositionError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                "검토를 요청했습니다." if "submit" in request.POST else "임시저장했습니다.",
            )
            return redirect("internships:position_detail", pk=position.pk)
    return render(
        request,
        "internships/position_form.html",
        {"form": form, "position": position, "company": company},
    )


@never_cache
def position_detail(request, pk: int):
    """One position as its company or the staff of its region see it, with its trail."""
    position = _visible_position(request, pk)
    return render(
        request,
        "internships/position_detail.html",
        {
            "position": position,
            "transitions": position.transitions.select_related("actor"),
            "review_form": ReviewForm(),
            "is_staff": request.user.role in PROGRAMME_STAFF,
        },
    )


_MOVES = {
    "submit": PositionStatus.SUBMITTED,
    "publish": PositionStatus.PUBLISHED,
    "return": PositionStatus.RETURNED,
    "close": PositionStatus.CLOSED,
}


@require_POST
def position_move(request, pk: int, action: str):
    """Submit, publish, return or close a position; the service checks who may do which."""
    position = _visible_position(request, pk)
    if action not in _MOVES:
        raise PermissionDenied
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.position_move(actor=request.user, position=position, to=_MOVES[action], note=note)
    except services.PositionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"'{_MOVES[action].label}' 처리했습니다.")
    return redirect("internships:position_detail", pk=position.pk)


@never_cache
def review_queue(request):
    """사업단·전담기관: positions of their regions waiting for review (or in another state)."""
    require_role(request, *PROGRAMME_STAFF)
    status = request.GET.get("status", PositionStatus.SUBMITTED)
    if status and status not in PositionStatus.values:
        status = PositionStatus.SUBMITTED
    q = request.GET.get("q", "")[:50]
    rows = selectors.positions_for_review(request.user, status=status, q=q)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "internships/review_queue.html",
        {
            "positions": page.object_list,
            "page_obj": page,
            "q": q,
            "status": status,
            "statuses": PositionStatus.choices,
        },
    )
