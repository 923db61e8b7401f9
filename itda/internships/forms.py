"""Position and internship forms (Korean labels and messages)."""

from django import forms
from django.core.validators import MaxValueValidator

from itda.internships.models import (
    DAYS_PER_WEEK_MAX,
    HOURS_PER_WEEK_MAX,
    OJT_LOG_HOURS_MAX,
    OJT_MONTH_DAYS_MAX,
    OJT_SCORE_MAX,
    Mentor,
    Position,
)
from itda.lib.forms import BoundedDatesMixin, SkillsField, require_messages
from itda.programs.models import MENTOR_INTERNS_CEILING, PlacementKind, Programme, Track


class PositionForm(forms.ModelForm):
    """A company's internship position."""

    required_skills = SkillsField(label="필수 역량")
    preferred_skills = SkillsField(label="우대 역량")

    class Meta:
        model = Position
        fields = [
            "track",
            "title",
            "duties",
            "problem_statement",
            "seats",
            "region",
            "site_address",
            "mentor_name",
            "mentor_title",
            "required_skills",
            "preferred_skills",
        ]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = Track.objects.exclude(
            placement_kind=PlacementKind.NONE
        ).select_related("programme")
        self.fields["problem_statement"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["problem_statement"].help_text = "Track 2(PBL)는 필수입니다."
        self.fields["seats"].min_value = 1
        require_messages(self, "title", "duties", "site_address", "mentor_name", "seats")


class ReviewForm(forms.Form):
    """Staff decision on a submitted position."""

    note = forms.CharField(label="검토 의견", max_length=300, required=False)


class TermsForm(BoundedDatesMixin, forms.Form):
    """The terms staff propose or change: dates, workplace and weekly time."""

    starts_on = forms.DateField(label="시작일", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="종료일", widget=forms.DateInput(attrs={"type": "date"}))
    workplace = forms.CharField(
        label="근무지", max_length=200, required=False, help_text="비우면 인턴 자리의 근무지"
    )
    days_per_week = forms.IntegerField(
        label="주 근무일수", min_value=1, max_value=DAYS_PER_WEEK_MAX, initial=DAYS_PER_WEEK_MAX
    )
    hours_per_week = forms.IntegerField(
        label="주 근무시간", min_value=1, max_value=HOURS_PER_WEEK_MAX, initial=HOURS_PER_WEEK_MAX
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        require_messages(self, "starts_on", "ends_on", "days_per_week", "hours_per_week")


class MentorChoiceForm(forms.Form):
    """The company names the mentor of an internship among its mentors."""

    mentor = forms.ModelChoiceField(label="멘토", queryset=Mentor.objects.none())

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        # A deactivated mentor (one who left) cannot be named again.
        self.fields["mentor"].queryset = Mentor.objects.filter(
            company=company, user__is_active=True
        )
        require_messages(self, "mentor")


class ReasonForm(forms.Form):
    """Why a party declines or staff cancel an agreement."""

    reason = forms.CharField(label="사유", min_length=2, max_length=250)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        require_messages(self, "reason")


class AcceptForm(forms.Form):
    """The version of the agreement the party read."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class MentorForm(forms.Form):
    """A company manager names a mentor: a new account for the company."""

    username = forms.CharField(label="아이디", max_length=150)
    name = forms.CharField(label="성명", max_length=50)
    title = forms.CharField(label="직위", max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        require_messages(self, "username", "name")


class WaveForm(BoundedDatesMixin, forms.Form):
    """The operator opens a start wave."""

    programme = forms.ModelChoiceField(label="사업", queryset=Programme.objects.all())
    label = forms.CharField(label="차수 이름", max_length=50, help_text="예: 2026년 8월 1차")
    first_start = forms.DateField(
        label="시작 가능 첫날", widget=forms.DateInput(attrs={"type": "date"})
    )
    last_start = forms.DateField(
        label="시작 가능 마지막 날", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        require_messages(self, "programme", "label", "first_start", "last_start")


class CeilingForm(forms.Form):
    """The operator's ceiling on a mentor's interns."""

    ceiling = forms.IntegerField(
        label="멘토 1인당 최대 인턴 수", min_value=1, max_value=MENTOR_INTERNS_CEILING
    )


# --- Track 1 (OJT): monthly reports ----------------------------------------------------------


class OjtLogForm(forms.Form):
    """The intern's monthly work log; a draft may leave parts empty, a submission may not (the
    service says which)."""

    tasks = forms.CharField(
        label="수행한 업무",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="이 달에 맡아 한 일 (설비·공정·작업 이름으로)",
    )
    hours_per_week = forms.IntegerField(
        label="주당 근무시간(평균)", min_value=1, max_value=OJT_LOG_HOURS_MAX, required=False
    )
    learnt = forms.CharField(
        label="배운 점", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class OjtMentorForm(forms.Form):
    """The mentor's monthly report: attendance days (at most the month's scheduled working
    days), a 1–5 rating on each of the programme's criteria, a comment."""

    attendance_days = forms.IntegerField(label="출근일수", min_value=0, required=False)
    comment = forms.CharField(
        label="멘토 의견", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria=(), scheduled_days: int = OJT_MONTH_DAYS_MAX, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attendance_days"]
        field.max_value = scheduled_days
        field.validators.append(
            MaxValueValidator(
                scheduled_days,
                message=f"출근일수는 이 달 예정 근무일 {scheduled_days}일 이하여야 합니다.",
            )
        )
        field.widget.attrs["max"] = scheduled_days
        field.help_text = f"이 달 예정 근무일 {scheduled_days}일 이하"
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=[(n, f"{n}점") for n in range(1, OJT_SCORE_MAX + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    def score_fields(self):
        return [self[f"score_{c.pk}"] for c in self.criteria]

    def scores(self) -> dict[int, int | None]:
        """The ratings by criterion id (None: not rated yet)."""
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class OjtReviewForm(forms.Form):
    """Staff approve a submitted monthly report or return it with a reason."""

    decision = forms.ChoiceField(
        label="결정", choices=[("approve", "승인"), ("return", "보완 요청")]
    )
    reason = forms.CharField(
        label="사유", max_length=300, required=False, help_text="보완 요청에는 사유가 필요합니다."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        require_messages(self, "decision")
