"""The end of an internship: staff complete it or record an early end; the evidence of an early
end for the parties; the replacement chains of the seats early ends freed."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from itda.accounts.access import personal_detail, require_role
from itda.accounts.roles import PROGRAMME_STAFF, Role
from itda.internships import ending
from itda.internships.models import EARLY_ENDINGS, Internship, InternshipState
from itda.lib.forms import BoundedDatesMixin, require_messages
from itda.training.attendance import EVIDENCE_MAX_MB

_INTERNSHIPS = Internship.objects.select_related(
    "placement__trainee", "placement__position__company", "mentor", "programme"
)


class EarlyEndForm(BoundedDatesMixin, forms.Form):
    """Who ended the internship, the last working day, why, and optional evidence."""

    kind = forms.ChoiceField(label="종료 구분", choices=[(k.value, k.label) for k in EARLY_ENDINGS])
    last_day = forms.DateField(
        label="마지막 근무일", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="사유", min_length=2, max_length=250)
    evidence = forms.FileField(
        label="증빙 파일",
        required=False,
        help_text=f"사직서·종료 통보 등. PDF, 이미지(JPG/PNG), 한글 파일, {EVIDENCE_MAX_MB}MB 이하",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        require_messages(self, "kind", "last_day", "reason")


def _staff_internship(request, pk: int) -> Internship:
    require_role(request, *PROGRAMME_STAFF)
    return personal_detail(request, _INTERNSHIPS, pk, action="update")


@never_cache
@require_http_methods(["GET", "POST"])
def internship_ending(request, pk: int):
    """Staff: complete the internship (when nothing blocks it) or record that it ended early."""
    internship = _staff_internship(request, pk)
    form = EarlyEndForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ending.internship_end_early(
                internship=internship, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, "중도 종료를 기록했습니다. 이 자리는 다음 연계 차수에 다시 나옵니다."
            )
            return redirect("internships:internship_detail", pk=internship.pk)
    return render(
        request,
        "internships/ending_form.html",
        {
            "internship": internship,
            "form": form,
            "active": internship.state == InternshipState.ACTIVE,
            "blockers": ending.completion_blockers(internship),
            "today": timezone.localdate(),
        },
    )


@require_POST
def internship_complete(request, pk: int):
    """Staff complete an active internship whose end date has come."""
    internship = _staff_internship(request, pk)
    try:
        ending.internship_complete(internship=internship, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("internships:internship_ending", pk=internship.pk)
    messages.success(request, "인턴십을 완료로 처리했습니다. 이제 채용 결과를 기록할 수 있습니다.")
    return redirect("internships:internship_detail", pk=internship.pk)


def private_download(file, name: str) -> FileResponse:
    """A privately stored file as a download, never rendered inline."""
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=name or "file",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_safe
def ending_evidence(request, pk: int):
    """The evidence of an early end, for the managing group, the company and the intern;
    logged, always a download."""
    require_role(request, Role.COMPANY, Role.TRAINEE, *PROGRAMME_STAFF)
    internship = personal_detail(
        request, Internship.objects.all(), pk, action="export", reason="중도 종료 증빙 열람"
    )
    record = getattr(internship, "ending", None)
    if record is None or not record.evidence:
        raise Http404
    return private_download(record.evidence, record.evidence_name)


@never_cache
@require_safe
def replacements(request):
    """Staff: the seats early ends freed — waiting for a later round, and the replacement
    links rounds made (a chain shows as consecutive rows of one position)."""
    require_role(request, *PROGRAMME_STAFF)
    return render(
        request,
        "internships/replacements.html",
        {
            "links": ending.replacements_for(request.user),
            "waiting": ending.waiting_for_replacement(request.user),
        },
    )
