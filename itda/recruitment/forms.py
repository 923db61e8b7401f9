"""Application forms (Korean labels and messages)."""

from django import forms
from django.utils import timezone

from itda.lib.brn import brn_clean
from itda.lib.dates import birth_date_problem
from itda.lib.forms import (
    BoundedDatesMixin,
    change_reason_field,
    mobile_phone_clean,
    require_messages,
)
from itda.programs.forms import RegistrySearchForm
from itda.programs.models import (
    Company,
    CompanyKind,
    CompanySize,
    EmploymentStatus,
    Region,
    SmartFactoryLevel,
    Track,
    Trainee,
    Zone,
)
from itda.recruitment.models import (
    ApplicationStatus,
    Call,
    CallKind,
    DocumentRequirement,
    FileKind,
    Result,
    Screening,
)
from itda.recruitment.services import YOUTH_MAX_AGE, YOUTH_MAX_AGE_ORIGIN


class RegionSetOnceMixin:
    """The region of a registered company or person is shown, not edited: it decides which
    operating group serves them, so only staff change it (programs.services, logged)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A disabled field ignores whatever is posted and keeps the stored region.
            self.fields["region"].disabled = True
            self.fields["region"].help_text = "시·도 변경은 담당 사업단에 요청하세요."


class CompanyProfileForm(RegionSetOnceMixin, forms.ModelForm):
    """The company's own record, kept current with each application."""

    business_number = forms.CharField(
        label="사업자등록번호", max_length=20, help_text="숫자 10자리 (하이픈은 있어도 됩니다)"
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "business_number",
            "representative",
            "kind",
            "size",
            "industry",
            "region",
            "complex",
            "address",
            "employees",
            "phone",
            "smart_factory_level",
            "ksx9001_level",
            "ai_solution",
        ]
        widgets = {
            "ksx9001_level": forms.Select(
                choices=[("", "선택 안 함")] + [(i, f"{i}수준") for i in range(1, 6)]
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["smart_factory_level"].choices = [
            ("", "선택 안 함"),
            *SmartFactoryLevel.choices,
        ]
        require_messages(self, "name", "representative", "industry", "address", "phone")

    def clean_business_number(self):
        return brn_clean(self.cleaned_data["business_number"])

    def clean(self):
        data = super().clean()
        if data.get("kind") == "ai_supplier" and not data.get("ai_solution"):
            self.add_error("ai_solution", "제조AI 솔루션 공급기업은 공급 솔루션을 적어야 합니다.")
        return data


class CompanyAnswersForm(forms.Form):
    """What a company call asks beyond the company record."""

    motivation = forms.CharField(
        label="참여 동기와 스마트제조 역량",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    internship_plan = forms.CharField(
        label="인턴 직무와 멘토링 계획", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    interns_wanted = forms.IntegerField(label="희망 인턴 수", min_value=1, max_value=10)
    hiring_plan = forms.CharField(
        label="인턴십 후 채용 계획", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent = forms.BooleanField(label="개인정보 수집·이용에 동의합니다", required=False)


class DocumentForm(forms.Form):
    """One uploaded document for one requirement."""

    file = forms.FileField(label="파일")


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="신청을 철회합니다 (되돌릴 수 없음)",
        error_messages={"required": "철회를 확인해 주세요."},
    )


class CloseEarlyForm(forms.Form):
    """The operator closes a call before its deadline: a reason, and a ticked box (checked on
    the server) because the window cannot be opened again."""

    reason = forms.CharField(
        label="조기 마감 사유",
        min_length=5,
        max_length=300,
        error_messages={
            "required": "조기 마감 사유를 입력하세요.",
            "min_length": "조기 마감 사유를 5자 이상 입력하세요.",
            "max_length": "조기 마감 사유는 300자 이내로 입력하세요.",
        },
    )
    confirm = forms.BooleanField(
        label="지금 접수를 마감하며, 다시 열 수 없음을 확인했습니다",
        error_messages={"required": "되돌릴 수 없는 작업입니다. 확인란에 표시한 뒤 진행하세요."},
    )


class OverrideForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label="검토 결과", coerce=lambda v: v == "1", choices=[("1", "적격"), ("0", "부적격")]
    )
    reason = change_reason_field()


class TraineeProfileForm(BoundedDatesMixin, RegionSetOnceMixin, forms.ModelForm):
    """The minimum a trainee call needs about the person (never a resident registration
    number)."""

    class Meta:
        model = Trainee
        fields = ["name", "birth_date", "phone", "email", "region", "address", "education", "major"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}

    def clean_birth_date(self):
        day = self.cleaned_data["birth_date"]
        if problem := birth_date_problem(day, today=timezone.localdate()):
            raise forms.ValidationError(problem)
        return day

    def clean_phone(self):
        return mobile_phone_clean(self.cleaned_data["phone"])


class TraineeAnswersForm(forms.Form):
    """What a trainee call asks beyond the person's record."""

    employment_status = forms.ChoiceField(
        label="현재 고용 상태",
        choices=[("", "선택하세요"), *EmploymentStatus.choices],
        error_messages={"required": "현재 고용 상태(구직자·재직자)를 고르세요."},
        help_text="이 사업의 교육과 훈련수당은 구직자를 위한 것입니다. 재직자는 선발되지 않습니다.",
    )
    certificates = forms.CharField(
        label="자격증",
        max_length=500,
        required=False,
        help_text="예: 전기기능사, 정보처리기사 (쉼표로 구분)",
    )
    motivation = forms.CharField(
        label="지원 동기", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    consent = forms.BooleanField(label="개인정보 수집·이용에 동의합니다", required=False)


class OrganisationProfileForm(forms.Form):
    """An organisation applying to run a region's programme as an operating group."""

    organisation_name = forms.CharField(label="기관명", max_length=100)
    business_number = forms.CharField(
        label="사업자등록번호", max_length=20, help_text="숫자 10자리 (하이픈은 있어도 됩니다)"
    )
    zone = forms.ChoiceField(label="운영 희망 권역", choices=Zone.choices)
    region = forms.ModelChoiceField(label="주 사무소 소재지", queryset=Region.objects.all())

    def clean_business_number(self):
        return brn_clean(self.cleaned_data["business_number"])


class OrganisationAnswersForm(forms.Form):
    """What an operating-group call asks about the plan."""

    plan_summary = forms.CharField(
        label="사업단 운영계획 요약", max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    dedicated_staff = forms.IntegerField(label="전담인력 수", min_value=1, max_value=100)
    partner_companies = forms.IntegerField(label="협력 기업 수", min_value=0, max_value=5000)
    consent = forms.BooleanField(label="개인정보 수집·이용에 동의합니다", required=False)


class TraineeCallForm(BoundedDatesMixin, forms.ModelForm):
    """An operating group opens a trainee call for one track (window in KST)."""

    class Meta:
        model = Call
        fields = ["title", "track", "description", "opens_at", "closes_at"]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"opens_at": "한국 표준시", "closes_at": "한국 표준시, 이 시각부터 접수 불가"}

    birth_year_min = forms.IntegerField(
        label="출생연도 하한 (선택)", required=False, min_value=1950, max_value=2015
    )
    max_age = forms.IntegerField(
        label="연령 상한 (만 나이, 선택)",
        required=False,
        min_value=15,
        max_value=99,
        help_text=(
            f"접수 마감일 기준 만 나이. 청년만 모집하려면 {YOUTH_MAX_AGE} ({YOUTH_MAX_AGE_ORIGIN})"
        ),
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Known before validation, so the model's clean() can hold the window to its period.
        self.instance.programme = programme
        self.fields["track"].queryset = Track.objects.filter(programme=programme)
        self.fields["track"].required = True
        self.fields["track"].error_messages["required"] = "트랙을 고르세요."

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "접수 마감은 접수 시작보다 늦어야 합니다.")
        return data


# The form that asked each kind of call's answers: its labels name the stored answers.
ANSWERS_FORMS = {
    "company": CompanyAnswersForm,
    "trainee": TraineeAnswersForm,
    "operating_group": OrganisationAnswersForm,
}
# Stored beside the answers but shown elsewhere (the consent) or in a column of its own.
_NOT_ANSWERS = {"consent", "employment_status"}


def answers_labelled(application) -> list[tuple[str, str]]:
    """The application's written answers, labelled as its form asked them (지원 동기,
    자격증, …), for whoever may read the application: its evaluators, the staff running it."""
    if not isinstance(application.answers, dict):
        return []
    form = ANSWERS_FORMS.get(application.call.kind)
    labels = {name: field.label for name, field in form.base_fields.items()} if form else {}
    return [
        (labels.get(key, key), str(value))
        for key, value in application.answers.items()
        if key not in _NOT_ANSWERS and value not in (None, "")
    ]


_WINDOW_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# The eligibility rules the call editor offers, each a key of Call.eligibility that
# services.screening_reasons checks: (key, is a list).
ELIGIBILITY_KEYS = (
    ("company_kinds", True),
    ("company_sizes", True),
    ("size_exempt_kinds", True),
    ("min_employees", False),
    ("requires_smart_factory", False),
    ("birth_year_min", False),
    ("max_age", False),
    ("regions", True),
)


class CallForm(BoundedDatesMixin, forms.ModelForm):
    """A call in the call editor: what it is, its window (KST) and its eligibility rules as
    fields, stored in ``Call.eligibility``. An operating group's staff write trainee calls of
    their own group only (programme, kind and group are fixed by the view)."""

    class Meta:
        model = Call
        fields = [
            "programme",
            "kind",
            "title",
            "track",
            "operating_group",
            "description",
            "opens_at",
            "closes_at",
            "appeal_days",
            "consent_text",
            "consent_version",
            "source_note",
        ]
        widgets = {
            "opens_at": _WINDOW_WIDGET,
            "closes_at": _WINDOW_WIDGET,
            "description": forms.Textarea(attrs={"rows": 5}),
            "consent_text": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "opens_at": "한국 표준시",
            "closes_at": "한국 표준시, 이 시각부터 접수 불가",
            "operating_group": "비워 두면 전담기관이 직접 운영하는 전국 공모입니다.",
        }

    company_kinds = forms.MultipleChoiceField(
        label="신청 가능 기업 유형",
        choices=CompanyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="고르지 않으면 유형 제한 없음",
    )
    company_sizes = forms.MultipleChoiceField(
        label="신청 가능 기업 규모",
        choices=CompanySize.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    size_exempt_kinds = forms.MultipleChoiceField(
        label="규모와 관계없이 신청 가능한 유형",
        choices=CompanyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_employees = forms.IntegerField(
        label="상시근로자 하한 (명, 선택)", required=False, min_value=1, max_value=100000
    )
    requires_smart_factory = forms.BooleanField(
        label="스마트공장 구축 수준 정보가 있어야 함", required=False
    )
    birth_year_min = forms.IntegerField(
        label="출생연도 하한 (선택)", required=False, min_value=1950, max_value=2015
    )
    max_age = forms.IntegerField(
        label="연령 상한 (만 나이, 선택)",
        required=False,
        min_value=15,
        max_value=99,
        help_text=(
            f"접수 마감일 기준 만 나이. 청년만 모집하려면 {YOUTH_MAX_AGE} ({YOUTH_MAX_AGE_ORIGIN})"
        ),
    )
    regions = forms.ModelMultipleChoiceField(
        label="모집 지역 (시·도)",
        queryset=Region.objects.order_by("code"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="고르지 않으면 전국",
    )

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        rules = self.instance.eligibility or {}
        for key, _ in ELIGIBILITY_KEYS:
            if key in rules:
                self.initial.setdefault(key, rules[key])
        require_messages(self, "title")
        self.fields["kind"].choices = CallKind.choices
        self.fields["kind"].error_messages["required"] = "모집 대상을 고르세요."
        if group is not None:
            # Known before validation, so the model's clean() holds the window to its period.
            self.instance.programme = group.programme
            self.instance.kind = CallKind.TRAINEE
            self.instance.operating_group = group
            for name in ("programme", "kind", "operating_group"):
                del self.fields[name]
            self.fields["track"].queryset = Track.objects.filter(programme=group.programme)
        else:
            self.fields["programme"].error_messages["required"] = "사업을 고르세요."
            self.fields["track"].queryset = Track.objects.select_related("programme")

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "접수 마감은 접수 시작보다 늦어야 합니다.")
        programme, track = data.get("programme"), data.get("track")
        if programme and track and track.programme_id != programme.pk:
            self.add_error("track", "고른 사업의 트랙이 아닙니다.")
        self.instance.eligibility = self.eligibility()
        return data

    def eligibility(self) -> dict:
        """The rules as ``Call.eligibility`` holds them; empty rules are left out."""
        rules = {}
        for key, is_list in ELIGIBILITY_KEYS:
            value = self.cleaned_data.get(key)
            if key == "regions" and value is not None:
                value = [region.code for region in value]
            if value:
                rules[key] = list(value) if is_list else value
        return rules


class DocumentRequirementForm(forms.ModelForm):
    """One document a call asks for; its kinds of file are ticked, not typed."""

    allowed_kinds = forms.MultipleChoiceField(
        label="허용 형식",
        choices=FileKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "허용할 파일 형식을 하나 이상 고르세요."},
    )

    class Meta:
        model = DocumentRequirement
        fields = ["name", "required", "allowed_kinds", "max_size_mb"]


DocumentRequirementFormSet = forms.inlineformset_factory(
    Call,
    DocumentRequirement,
    form=DocumentRequirementForm,
    extra=2,
    can_delete=True,
)


class ApplicationSearchForm(RegistrySearchForm):
    """A call's applications by applicant (name, phone or BRN), region, status, screening and
    result."""

    status = forms.ChoiceField(
        label="상태", choices=[("", "전체"), *ApplicationStatus.choices], required=False
    )
    screening = forms.ChoiceField(
        label="자격 검토", choices=[("", "전체"), *Screening.choices], required=False
    )
    result = forms.ChoiceField(
        label="결과", choices=[("", "전체"), *Result.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "신청자 이름, 휴대전화 또는 사업자등록번호"
