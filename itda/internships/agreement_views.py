"""Internship agreements (협약): the group proposes, company, intern and group accept or decline;
companies name mentors; the operator opens start waves and sets the mentor ceiling."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from itda.accounts.access import personal_detail, personal_page, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.accounts.services import personal_data_access_record
from itda.internships import agreements, ending, ojt, reminders, selectors
from itda.internships.forms import (
    AcceptForm,
    CeilingForm,
    MentorChoiceForm,
    MentorForm,
    ReasonForm,
    TermsForm,
    WaveForm,
)
from itda.internships.models import (
    ENDED_INTERNSHIP,
    VOID_INTERNSHIP,
    Internship,
    InternshipState,
    Mentor,
    Party,
    Placement,
)
from itda.programs.models import Company, Programme


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _internship(request, pk: int, *, action: str = "view") -> Internship:
    """One internship the user may see, its look logged (it names the intern); else 404."""
    return personal_detail(request, Internship.objects.all(), pk, action=action)


@never_cache
def internship_list(request):
    """Internships the user may see (a company's, the group's, all for the operator), a page
    at a time and optionally of one state: the same few queries for 20 or 2,000 rows."""
    require_role(request, Role.COMPANY, Role.MENTOR, *PROGRAMME_STAFF)
    state = request.GET.get("state", "")
    if state not in InternshipState.values:
        state = ""
    q = request.GET.get("q", "")[:50]
    page = personal_page(request, selectors.internship_rows(state=state, q=q, details=False))
    page.object_list = selectors.with_details(page.object_list)
    standing = reminders.standings([i.pk for i in page.object_list], timezone.localdate())
    for internship in page.object_list:
        internship.standing = standing[internship.pk]
    return render(
        request,
        "internships/internship_list.html",
        {
            "page_obj": page,
            "state": state,
            "q": q,
            "states": InternshipState.choices,
            "is_staff": request.user.role in PROGRAMME_STAFF,
        },
    )


@never_cache
def internship_detail(request, pk: int):
    """The agreement as its parties read it, where acceptance stands, and what the user may do."""
    internship = _internship(request, pk)
    return _detail(request, internship, "internships/internship_detail.html")


@never_cache
def my_internship(request):
    """내 인턴십: the trainee's current agreement, to read and accept or decline on a phone."""
    require_role(request, Role.TRAINEE)
    internship = selectors.internships_for(request.user).exclude(state__in=VOID_INTERNSHIP).last()
    if internship is None:
        return render(request, "internships/my_internship.html", {"internship": None})
    return _detail(request, internship, "internships/my_internship.html")


def _detail(request, internship: Internship, template: str):
    party = agreements.party_of(internship, request.user)
    accepted = agreements.current_acceptances(internship)
    company = internship.placement.position.company
    return render(
        request,
        template,
        {
            "internship": internship,
            "text": agreements.agreement_text(internship),
            "version": agreements.agreement_version(internship),
            "party": party,
            "parties": [(p, accepted.get(p.value)) for p in Party],
            "may_accept": party is not None and party not in accepted,
            "accept_form": AcceptForm(initial={"version": internship.terms_version}),
            "reason_form": ReasonForm(),
            "mentor_form": MentorChoiceForm(
                company=company, initial={"mentor": internship.mentor_id}
            )
            if party == Party.COMPANY
            else None,
            "transitions": internship.transitions.select_related("actor"),
            # Track 1 (OJT): each month's reports and amount, and whether the user writes them.
            "ojt_months": ojt.month_views(internship, day=ojt.today()),
            "may_write_log": ojt.may_write(internship, "log", request.user),
            "may_write_mentor": ojt.may_write(internship, "mentor", request.user),
            **ending.story(internship, party=party),
        },
    )


def _act(request, internship: Internship, service, form_class, **extra):
    """Run one agreement service on a visible internship with a valid form; back to it."""
    form = form_class(request.POST, **extra)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            service(internship=internship, actor=request.user, **form.cleaned_data)
        except agreements.AgreementError as exc:
            _refused(request, exc)
        else:
            messages.success(request, "처리했습니다.")
    return redirect("internships:internship_detail", pk=internship.pk)


@require_POST
def internship_accept(request, pk: int):
    """A party accepts the version of the agreement it read."""
    return _act(
        request, _internship(request, pk, action="update"), agreements.internship_accept, AcceptForm
    )


@require_POST
def internship_decline(request, pk: int):
    """The company or the intern declines, with a reason."""
    return _act(
        request,
        _internship(request, pk, action="update"),
        agreements.internship_decline,
        ReasonForm,
    )


@require_POST
def internship_cancel(request, pk: int):
    """Staff withdraw a proposal, with a reason."""
    return _act(
        request, _internship(request, pk, action="update"), agreements.internship_cancel, ReasonForm
    )


@require_POST
def internship_mentor(request, pk: int):
    """The company names the internship's mentor (a new version of the agreement)."""
    internship = _internship(request, pk, action="update")
    return _act(
        request,
        internship,
        agreements.internship_terms_change,
        MentorChoiceForm,
        company=internship.placement.position.company,
    )


@never_cache
def internship_terms(request, pk: int):
    """Staff change the dates, workplace or weekly time of a proposed agreement."""
    require_role(request, *PROGRAMME_STAFF)
    internship = _internship(request, pk)
    initial = {name: getattr(internship, name) for name in TermsForm.base_fields}
    form = TermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreements.internship_terms_change(
                internship=internship, actor=request.user, **form.cleaned_data
            )
        except agreements.AgreementError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request, "조건을 바꿨습니다. 세 당사자가 새 버전을 다시 수락해야 합니다."
            )
            return redirect("internships:internship_detail", pk=internship.pk)
    return render(
        request,
        "internships/terms_form.html",
        {"form": form, "internship": internship, "placement": internship.placement},
    )


@never_cache
def placements_to_propose(request):
    """Staff: placements of their published rounds still waiting for an agreement."""
    require_role(request, *PROGRAMME_STAFF)
    return render(
        request,
        "internships/placements_to_propose.html",
        {"placements": selectors.placements_to_propose(request.user)},
    )


@never_cache
def internship_propose(request, pk: int):
    """Staff propose the agreement of one placement."""
    require_role(request, *PROGRAMME_STAFF)
    placement = personal_detail(
        request,
        Placement.objects.select_related("position__company", "position__track__programme"),
        pk,
    )
    form = TermsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            internship = agreements.internship_propose(
                placement=placement, actor=request.user, **form.cleaned_data
            )
        except agreements.AgreementError as exc:
            _refused(request, exc)
        else:
            messages.success(request, "협약을 제안했습니다.")
            return redirect("internships:internship_detail", pk=internship.pk)
    return render(
        request,
        "internships/terms_form.html",
        {
            "form": form,
            "placement": placement,
            "waves": selectors.open_waves(placement.position.track.programme),
        },
    )


@never_cache
def company_mentors(request):
    """A company manager names mentors; a new mentor's first password is shown once, here."""
    require_role(request, Role.COMPANY)
    company = Company.objects.visible_to(request.user).order_by("pk").first()
    if company is None:
        raise PermissionDenied
    form = MentorForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = agreements.mentor_create(
                company=company, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            form = MentorForm()
    return render(
        request,
        "internships/company_mentors.html",
        {
            "company": company,
            "mentors": Mentor.objects.visible_to(request.user)
            .filter(company=company)
            .select_related("user")
            # Interns the mentor has now: ended and void internships load no one.
            .annotate(
                load=Count(
                    "internships",
                    filter=~Q(internships__state__in=(*VOID_INTERNSHIP, *ENDED_INTERNSHIP)),
                )
            ),
            "form": form,
            "created": created,
            "reason_form": ReasonForm(),
        },
    )


@require_POST
def mentor_deactivate(request, pk: int):
    """A company manager deactivates a mentor account of their company (the mentor left)."""
    require_role(request, Role.COMPANY)
    mentor = get_object_or_404(
        Mentor.objects.visible_to(request.user).filter(company__managers=request.user), pk=pk
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "비활성화 사유를 2자 이상 적으세요.")
        return redirect("internships:company_mentors")
    try:
        agreements.mentor_deactivate(
            mentor=mentor, reason=form.cleaned_data["reason"], actor=request.user
        )
    except agreements.AgreementError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            f"{mentor.name} 멘토 계정을 비활성화했습니다. 맡던 인턴에게 새 멘토를 지정하세요.",
        )
    return redirect("internships:company_mentors")


@never_cache
def start_waves(request):
    """The operator opens start waves and sees each programme's mentor ceiling."""
    require_role(request, Role.OPERATOR)
    form = WaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreements.start_wave_create(actor=request.user, **form.cleaned_data)
        except agreements.AgreementError as exc:
            _refused(request, exc)
        else:
            messages.success(request, "시작 차수를 열었습니다.")
            return redirect("internships:start_waves")
    return render(
        request,
        "internships/start_waves.html",
        {
            "form": form,
            "programmes": Programme.objects.prefetch_related("start_waves").order_by("-starts_on"),
        },
    )


@require_POST
def mentor_ceiling(request, pk: int):
    """The operator sets a programme's most interns per mentor."""
    require_role(request, Role.OPERATOR)
    programme = get_object_or_404(Programme, pk=pk)
    form = CeilingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("internships:start_waves")
    try:
        agreements.mentor_ceiling_set(
            programme=programme, ceiling=form.cleaned_data["ceiling"], actor=request.user
        )
    except agreements.AgreementError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "멘토 1인당 최대 인턴 수를 바꿨습니다.")
    return redirect("internships:start_waves")


@never_cache
def company_interns(request):
    """우리 회사 인턴: the company manager's interns with where each agreement stands, the ones
    the company must still accept first, and placements whose agreement is yet to be proposed."""
    require_role(request, Role.COMPANY)
    to_accept = list(selectors.company_to_accept(request.user))
    waiting = list(selectors.company_placements_waiting(request.user))
    page = personal_page(request, selectors.company_interns(request.user))
    # The page's own list is logged by personal_page; the two lists above it name interns too.
    for rows in (to_accept, waiting):
        if rows:
            personal_data_access_record(
                request=request,
                subject_type=rows[0]._meta.label_lower,
                subject_ids=[row.pk for row in rows],
                action="list",
            )
    return render(
        request,
        "internships/company_interns.html",
        {"to_accept": to_accept, "waiting": waiting, "page_obj": page},
    )
