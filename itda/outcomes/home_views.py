"""The homes of operating-group staff, company managers and the ministry viewer, each a work
queue read across stages (outcomes.homes), and a trainee's whole story for staff: they read
every stage, so they live here at the end of the pipeline. The operator's and the trainee's
homes are in ``views``."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from itda.accounts.access import personal_detail, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.accounts.services import personal_data_access_record
from itda.lib.charts import bar_chart, bar_series
from itda.lib.suppression import RULE_TEXT, shown_value, suppressed_cells
from itda.outcomes import homes
from itda.outcomes.story import trainee_story as trainee_story_of
from itda.programs.models import Company, Trainee
from itda.programs.selectors import region_registration_counts


@never_cache
def group_home(request):
    """사업단: today's sessions and what waits on its staff, in the group's scope."""
    require_role(request, Role.GROUP_STAFF)
    groups = request.user.operating_groups.prefetch_related("regions")
    return render(
        request,
        "outcomes/group_home.html",
        {
            "groups": groups,
            "queue": homes.group_queue(request.user, timezone.now()),
            "n_companies": Company.objects.visible_to(request.user).count(),
            "n_trainees": Trainee.objects.visible_to(request.user).count(),
        },
    )


@never_cache
def company_home(request):
    """기업 담당자: its applications, positions, rounds, interviews, interns and bookings."""
    require_role(request, Role.COMPANY)
    companies = list(Company.objects.visible_to(request.user).select_related("region", "complex"))
    if companies:
        personal_data_access_record(
            request=request, subject_type="programs.company", subject_ids=[c.pk for c in companies]
        )
    return render(
        request,
        "outcomes/company_home.html",
        {"companies": companies, "queue": homes.company_queue(request.user, timezone.now())},
    )


@never_cache
def viewer_home(request):
    """부처·지자체 열람자: the funnel against the targets and registrations by 시·도, aggregates
    only, counts of 1–4 shown as "<5" (itda.lib.suppression)."""
    require_role(request, Role.VIEWER, Role.OPERATOR)
    counted = list(region_registration_counts())
    # The totals are the sums of the 시·도: a second cell is withheld wherever one hidden
    # count could be worked out from them (itda.lib.suppression.suppressed_cells).
    values = {}
    for r in counted:
        values[("n_companies", r.pk)], values[("n_trainees", r.pk)] = r.n_companies, r.n_trainees
    for column in ("n_companies", "n_trainees"):
        values[(column, None)] = sum(getattr(r, column) for r in counted)
    hidden = suppressed_cells(
        values,
        [((c, None), [(c, r.pk) for r in counted]) for c in ("n_companies", "n_trainees")],
    )

    def shown(column, pk=None):
        return shown_value((column, pk), values, hidden)

    regions = [
        {
            "name": r.name,
            "n_companies": shown("n_companies", r.pk),
            "n_trainees": shown("n_trainees", r.pk),
        }
        for r in counted
    ]

    def bars(column):
        # A withheld count is left out of the chart; the table says "<5" or "비공개".
        return [None if (column, r.pk) in hidden else values[(column, r.pk)] for r in counted]

    chart = bar_chart(
        [r.short_name for r in counted],
        [
            bar_series("등록 기업", bars("n_companies"), 0),
            bar_series("등록 교육생", bars("n_trainees"), 1),
        ],
        horizontal=False,
    )
    return render(
        request,
        "outcomes/viewer_home.html",
        {
            "strip": homes.progress_strip(request.user, timezone.localdate()),
            "regions": regions,
            "n_companies": shown("n_companies"),
            "n_trainees": shown("n_trainees"),
            "chart": chart,
            "suppression_rule": RULE_TEXT,
        },
    )


@never_cache
def trainee_story(request, pk: int):
    """교육생 이력: one trainee's whole path for staff, masked; another region's trainee is a
    404 and the view is logged (personal_detail)."""
    require_role(request, *PROGRAMME_STAFF)
    trainee = personal_detail(
        request, Trainee.objects.select_related("region"), pk, reason="교육생 전체 이력 조회"
    )
    return render(
        request,
        "outcomes/trainee_story.html",
        {"trainee": trainee, "story": trainee_story_of(trainee, request.user, timezone.now())},
    )
