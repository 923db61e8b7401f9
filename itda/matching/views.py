"""Linkage pages: trainees browse and rank positions; companies see who chose them, interview
and rank; staff open rounds and follow them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.accounts.services import personal_data_access_record
from itda.internships.models import Position
from itda.matching import exports, selectors, services
from itda.matching.forms import InterviewForm, PublishForm, RoundForm
from itda.matching.models import MatchRound, RoundStatus
from itda.programs.models import OperatingGroup, Region, Trainee

# Cards are tall on a phone: a page the trainee can scroll through (issue 15: 142 on one page).
POSITIONS_PER_PAGE = 20


def _me_as_trainee(request) -> Trainee:
    require_role(request, Role.TRAINEE)
    trainee = Trainee.objects.visible_to(request.user).first()
    if trainee is None:
        raise PermissionDenied
    return trainee


def _trainee_round(request, pk: int) -> tuple[MatchRound, Trainee]:
    trainee = _me_as_trainee(request)
    round_ = get_object_or_404(selectors.rounds_for(request.user), pk=pk)
    today = timezone.localdate()
    if not selectors.round_trainees(round_, today=today).filter(pk=trainee.pk).exists():
        raise PermissionDenied
    return round_, trainee


@never_cache
def trainee_rounds(request):
    """교육생: the open rounds they may rank in."""
    trainee = _me_as_trainee(request)
    rounds = selectors.open_rounds_for_trainee(trainee, now=timezone.now())
    published = MatchRound.objects.filter(
        status=RoundStatus.PUBLISHED, choices__trainee=trainee
    ).distinct()
    return render(
        request, "matching/trainee_rounds.html", {"rounds": rounds, "published": published}
    )


@never_cache
def round_positions(request, pk: int):
    """Published positions of a round, filtered, each with the trainee's skills fit."""
    round_, trainee = _trainee_round(request, pk)
    filters = {key: request.GET.get(key, "") for key in ("region", "track", "skill", "q")}
    chosen = selectors.trainee_choice_list(round_, trainee)
    # Only the positions of the trainee's own track kind are offered (Track 1 → OJT, 2 → PBL).
    track = selectors.trainee_tracks(round_, today=timezone.localdate(), trainees=[trainee.pk]).get(
        trainee.pk
    )
    page = Paginator(
        selectors.position_search(round_, **filters, open_to=track), POSITIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    cards = [(position, selectors.skills_fit(trainee.skills, position)) for position in page]
    return render(
        request,
        "matching/round_positions.html",
        {
            "round": round_,
            "cards": cards,
            "page_obj": page,
            "chosen_ids": {p.pk for p in chosen},
            "filters": filters,
            "regions": Region.objects.filter(positions__in=selectors.round_positions(round_))
            .distinct()
            .order_by("code"),
            "tracks": round_.programme.tracks.filter(
                placement_kind=track.placement_kind if track else None
            ),
            "skills": selectors.round_skills(round_),
            "choices": chosen,
        },
    )


@require_POST
def choice_change(request, pk: int):
    """Add, remove or move one of the trainee's choices; the whole list is saved again."""
    round_, trainee = _trainee_round(request, pk)
    chosen = selectors.trainee_choice_list(round_, trainee)
    position = get_object_or_404(selectors.round_positions(round_), pk=request.POST.get("position"))
    action = request.POST.get("action")
    if action == "add" and position not in chosen:
        chosen.append(position)
    elif action == "remove" and position in chosen:
        chosen.remove(position)
    elif action in ("up", "down") and position in chosen:
        i = chosen.index(position)
        j = i - 1 if action == "up" else i + 1
        if 0 <= j < len(chosen):
            chosen[i], chosen[j] = chosen[j], chosen[i]
    try:
        services.trainee_choices_save(
            round_=round_, trainee=trainee, positions=chosen, actor=request.user
        )
    except services.MatchError as exc:
        messages.error(request, " ".join(exc.messages))
    back = "matching:my_choices" if request.POST.get("back") == "choices" else None
    return redirect(back or "matching:round_positions", pk=round_.pk)


@never_cache
def my_choices(request, pk: int):
    """The trainee's ranked choices, best first, to reorder."""
    round_, trainee = _trainee_round(request, pk)
    chosen = selectors.trainee_choice_list(round_, trainee)
    return render(
        request,
        "matching/my_choices.html",
        {
            "round": round_,
            "rows": [(p, selectors.skills_fit(trainee.skills, p)) for p in chosen],
        },
    )


def _company_position(request, pk: int, position_pk: int) -> tuple[MatchRound, Position]:
    require_role(request, Role.COMPANY)
    round_ = get_object_or_404(selectors.rounds_for(request.user), pk=pk)
    position = get_object_or_404(
        selectors.company_round_positions(round_, request.user), pk=position_pk
    )
    return round_, position


@never_cache
def company_rounds(request):
    """기업 담당자: open rounds with their positions and how many chose each."""
    require_role(request, Role.COMPANY)
    rounds = [
        (
            r,
            selectors.company_round_positions(r, request.user).annotate(
                n_choices=Count("choices", filter=Q(choices__round=r))
            ),
        )
        for r in MatchRound.objects.filter(status=RoundStatus.OPEN).order_by("-created_at")
    ]
    published = MatchRound.objects.filter(
        status=RoundStatus.PUBLISHED, choices__position__company__managers=request.user
    ).distinct()
    return render(
        request, "matching/company_rounds.html", {"rounds": rounds, "published": published}
    )


@never_cache
def position_applicants(request, pk: int, position_pk: int):
    """Who chose the position: masked until an interview is scheduled; then the contact
    details show, and that view is logged."""
    round_, position = _company_position(request, pk, position_pk)
    applicants = selectors.position_applicants(round_, position)
    opened = [a["trainee"].pk for a in applicants if a["interview"]]
    if opened:
        personal_data_access_record(
            request=request, subject_type="programs.trainee", subject_ids=opened
        )
    return render(
        request,
        "matching/position_applicants.html",
        {
            "round": round_,
            "position": position,
            "applicants": applicants,
            "interview_form": InterviewForm(),
        },
    )


@require_POST
def interview_schedule(request, pk: int, position_pk: int, trainee_pk: int):
    """Schedule (or move) an interview with one applicant."""
    round_, position = _company_position(request, pk, position_pk)
    trainee = get_object_or_404(
        Trainee, pk=trainee_pk, match_choices__round=round_, match_choices__position=position
    )
    form = InterviewForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            messages.error(request, f"{form.fields[name].label}: {' '.join(errors)}")
    else:
        try:
            services.interview_schedule(
                round_=round_,
                position=position,
                trainee=trainee,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "면접 일정을 등록했습니다.")
    return redirect("matching:position_applicants", pk=round_.pk, position_pk=position.pk)


@require_POST
def ranking_save(request, pk: int, position_pk: int):
    """Save the company's ranking: a number per applicant it would accept, blank otherwise."""
    round_, position = _company_position(request, pk, position_pk)
    applicants = {
        a["trainee"].pk: a["trainee"] for a in selectors.position_applicants(round_, position)
    }
    ranked: list[tuple[int, Trainee]] = []
    for trainee_pk, trainee in applicants.items():
        raw = request.POST.get(f"rank_{trainee_pk}", "").strip()
        if not raw:
            continue
        # ASCII digits only: "²" and "٣" pass isdigit() but not int(); four digits at most.
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 4) or int(raw) < 1:
            messages.error(
                request, "순위는 1 이상의 숫자로 적으세요 (받지 않을 교육생은 비워 두세요)."
            )
            return redirect("matching:position_applicants", pk=round_.pk, position_pk=position.pk)
        ranked.append((int(raw), trainee))
    if len({rank for rank, _ in ranked}) != len(ranked):
        messages.error(request, "같은 순위를 두 명에게 줄 수 없습니다.")
        return redirect("matching:position_applicants", pk=round_.pk, position_pk=position.pk)
    try:
        services.company_ranking_save(
            round_=round_,
            position=position,
            actor=request.user,
            trainees=[trainee for _, trainee in sorted(ranked, key=lambda r: r[0])],
        )
    except services.MatchError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"순위를 저장했습니다 ({len(ranked)}명).")
    return redirect("matching:position_applicants", pk=round_.pk, position_pk=position.pk)


@never_cache
def round_list(request):
    """사업단·전담기관: rounds they follow, and a form to open one."""
    require_role(request, *PROGRAMME_STAFF)
    form = RoundForm(request.POST or None)
    groups = OperatingGroup.objects.visible_to(request.user)
    form.fields["operating_group"].queryset = groups
    form.fields["follows"].queryset = selectors.rounds_for(request.user).filter(
        status=RoundStatus.PUBLISHED
    )
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["operating_group"]
        try:
            round_ = services.round_create(
                actor=request.user,
                programme=group.programme if group else groups.first().programme,
                **form.cleaned_data,
            )
        except ValidationError as exc:  # a MatchError, or a deadline outside the programme
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "연계 차수를 열었습니다.")
            return redirect("matching:round_detail", pk=round_.pk)
    return render(
        request,
        "matching/round_list.html",
        {"rounds": selectors.rounds_for(request.user), "form": form},
    )


def _staff_round(request, pk: int) -> MatchRound:
    require_role(request, *PROGRAMME_STAFF)
    return get_object_or_404(
        selectors.rounds_for(request.user).select_related("published_run"), pk=pk
    )


@never_cache
def round_detail(request, pk: int):
    """A round's progress for staff; where they may run it, the dry run and publication."""
    round_ = _staff_round(request, pk)
    may_run = services.may_run(round_, request.user)
    progress = selectors.round_progress(
        round_, today=timezone.localdate(), viewer=None if may_run else request.user
    )
    return render(
        request,
        "matching/round_detail.html",
        {
            "round": round_,
            "progress": progress,
            "may_run": may_run,
            "deadline_passed": timezone.now() >= round_.company_deadline,
            "publish_form": PublishForm(),
        },
    )


@never_cache
def round_dry_run(request, pk: int):
    """The three algorithms on the same current input, side by side; nothing is stored."""
    round_ = _staff_round(request, pk)
    if not services.may_run(round_, request.user):
        raise PermissionDenied
    try:
        dry = services.round_dry_run(round_=round_, actor=request.user)
    except services.MatchError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("matching:round_detail", pk=round_.pk)
    return render(
        request,
        "matching/round_dry_run.html",
        {
            "round": round_,
            "dry": dry,
            "breakdowns": selectors.dry_run_breakdowns(dry["runs"]),
            "publish_form": PublishForm(),
            "deadline_passed": timezone.now() >= round_.company_deadline,
        },
    )


@require_POST
def round_publish(request, pk: int):
    """Publish one algorithm's result, after the confirmation box is ticked."""
    round_ = _staff_round(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("matching:round_detail", pk=round_.pk)
    try:
        run = services.round_publish(
            round_=round_, algorithm=form.cleaned_data["algorithm"], actor=request.user
        )
    except services.MatchError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("matching:round_detail", pk=round_.pk)
    placed, check = run.stats["placed"], run.input_sha256[:12]
    messages.success(request, f"결과를 발표했습니다: {placed}명 배정 (입력 확인값 {check}…).")
    return redirect("matching:round_result", pk=round_.pk)


@never_cache
def round_result(request, pk: int):
    """The published result for staff: every trainee they may see (names masked), logged."""
    round_ = _staff_round(request, pk)
    if round_.published_run is None:
        raise Http404
    rows = selectors.staff_result(round_, request.user)
    if rows:
        personal_data_access_record(
            request=request,
            subject_type="programs.trainee",
            subject_ids=[r["trainee"].pk for r in rows],
            action="list",
        )
    return render(
        request,
        "matching/round_result.html",
        {
            "round": round_,
            "run": round_.published_run,
            "rows": rows,
            "totals": selectors.result_totals(
                round_, rows, whole=services.may_run(round_, request.user)
            ),
        },
    )


@never_cache
def round_input_json(request, pk: int):
    """The round's engine input, byte for byte what the CLI takes (anonymised)."""
    return exports.input_json_response(_staff_round(request, pk))


@never_cache
def round_input_xlsx(request, pk: int):
    """The round's engine input in Excel (anonymised)."""
    return exports.input_xlsx_response(_staff_round(request, pk))


def round_result_export(request, pk: int):
    """The published assignment with names: a reason first, logged."""
    round_ = _staff_round(request, pk)
    if round_.published_run is None:
        raise Http404
    return exports.result_export_view(request, round_)


@never_cache
def trainee_result(request, pk: int):
    """교육생: where they were placed and why not each higher choice."""
    trainee = _me_as_trainee(request)
    round_ = get_object_or_404(
        MatchRound.objects.select_related("published_run"), pk=pk, status=RoundStatus.PUBLISHED
    )
    result = selectors.trainee_result(round_, trainee)
    if not result["took_part"]:
        raise Http404
    return render(request, "matching/trainee_result.html", {"round": round_, "result": result})


@never_cache
def company_result(request, pk: int):
    """기업: who was placed in each of their positions (names now shown, logged) and the rank of
    the last trainee each admitted."""
    require_role(request, Role.COMPANY)
    round_ = get_object_or_404(
        MatchRound.objects.select_related("published_run"), pk=pk, status=RoundStatus.PUBLISHED
    )
    positions = selectors.company_result(round_, request.user)
    if not positions:
        raise Http404
    shown = [t.pk for p in positions for t in p["trainees"]]
    if shown:
        personal_data_access_record(
            request=request, subject_type="programs.trainee", subject_ids=shown, action="list"
        )
    return render(
        request, "matching/company_result.html", {"round": round_, "positions": positions}
    )
