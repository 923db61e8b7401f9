"""Public pages (no login): the reference data drawn from the seed documents, in Korean."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from itda.programs import selectors
from itda.programs.models import target_ceiling


@login_not_required
@require_safe
def landing(request):
    """Introduce itda and link to every public reference page."""
    return render(request, "programs/landing.html", {"counts": selectors.landing_counts()})


@login_not_required
@require_safe
def region_list(request):
    """The 17 시·도 with their 권역 and operating groups."""
    return render(request, "programs/region_list.html", {"regions": selectors.region_list()})


@login_not_required
@require_safe
def complex_list(request):
    """Every industrial complex and linked area the seeds name, with figures."""
    complexes = selectors.with_figure_map(selectors.complex_list())
    return render(request, "programs/complex_list.html", {"complexes": complexes})


@login_not_required
@require_safe
def complex_detail(request, pk: int):
    """One complex: kind, region, figures with their source text, and its plan roles."""
    complex_ = selectors.complex_detail(pk)
    figures = [(f, selectors.figure_display(f)) for f in complex_.figures.all()]
    context = {"complex": complex_, "figures": figures}
    return render(request, "programs/complex_detail.html", context)


@login_not_required
@require_safe
def plan_list(request):
    """The ten 산업단지 대개조 plans and the facts of the scheme itself."""
    context = {"plans": selectors.plan_list(), "overview": selectors.plans_overview()}
    return render(request, "programs/plan_list.html", context)


@login_not_required
@require_safe
def plan_detail(request, pk: int):
    """One plan: targets side by side (body vs annex), a diagram of its sites, key tasks."""
    plan = selectors.plan_detail(pk)
    context = {
        "plan": plan,
        "target_rows": selectors.plan_target_rows(plan),
        "diagram": selectors.plan_diagram(plan),
        "smart_training": selectors.plan_smart_training(plan),
    }
    return render(request, "programs/plan_detail.html", context)


@login_not_required
@require_safe
def programme_list(request):
    """The programmes itda knows, with their tracks, money and schedule at a glance."""
    return render(
        request, "programs/programme_list.html", {"programmes": selectors.programme_list()}
    )


@login_not_required
@require_safe
def programme_detail(request, code: str):
    """One programme: purpose, targets, tracks, allowances, windows, budget, groups, venues."""
    programme = selectors.programme_detail(code)
    budget_rows, budget_total_krw = selectors.programme_budget(programme)
    context = {
        "programme": programme,
        "budget_rows": budget_rows,
        "budget_total_krw": budget_total_krw,
        "budget_total": selectors.format_krw(budget_total_krw) if budget_total_krw else None,
        "allowances": selectors.programme_allowances(programme),
        "track_quota_total": sum(t.quota or 0 for t in programme.tracks.all()),
        "trainee_ceiling": target_ceiling(
            programme.target_trainees, programme.target_tolerance_pct
        ),
        "windows": selectors.programme_windows(programme),
    }
    return render(request, "programs/programme_detail.html", context)
