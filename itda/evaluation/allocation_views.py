"""The operator shares the programme's national targets among the operating groups. The page
lives with selection: a share is never set below what its group has already selected."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from itda.accounts.access import require_role
from itda.accounts.roles import Role
from itda.evaluation import selectors as evaluation_selectors
from itda.evaluation import services as evaluation
from itda.programs import selectors, services
from itda.programs.forms import AllocationForm, TolerancesForm
from itda.programs.models import Programme


@never_cache
def allocations(request, code: str):
    """사업단별 배정: the table of shares against each target, a form to set one share, and
    one to set the targets' tolerances."""
    require_role(request, Role.OPERATOR)
    programme = get_object_or_404(Programme, code=code)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    form = AllocationForm(posted if which == "allocation" else None, programme=programme)
    tolerances = TolerancesForm(posted if which == "tolerances" else None, programme=programme)
    if which == "allocation" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation.allocation_change(
                track=data["track"],
                operating_group=data["operating_group"],
                seats=data["seats"],
                override_reason=data["override_reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"{data['operating_group'].name}의 {data['track'].name} 배정을 "
                f"{data['seats']}명으로 정했습니다.",
            )
            return redirect("rounds:allocations", code=programme.code)
    if which == "tolerances" and tolerances.is_valid():
        services.target_tolerances_set(
            programme=programme,
            programme_pct=tolerances.cleaned_data["programme_pct"],
            track_pcts=tolerances.track_pcts(),
            actor=request.user,
        )
        messages.success(request, "목표 허용 범위를 저장했습니다.")
        return redirect("rounds:allocations", code=programme.code)
    table = selectors.allocation_table(programme)
    return render(
        request,
        "evaluation/allocations.html",
        {
            "programme": programme,
            "form": form,
            "tolerances": tolerances,
            **table,
            "rows": evaluation_selectors.allocation_rows_selected(programme, table),
        },
        status=400 if form.errors or tolerances.errors else 200,
    )
