"""Staff forms on the registries (Korean labels and messages)."""

from django import forms

from itda.lib.forms import BoundedDatesMixin, change_reason_field
from itda.payments.engine import INCOME_CLASSES
from itda.programs.models import (
    CompanyKind,
    EmploymentStatus,
    InternshipPayee,
    OperatingGroup,
    Region,
    Track,
)


class RegionChangeForm(forms.Form):
    """A staff member moves a person or a company to another region, with the reason."""

    region = forms.ModelChoiceField(
        label="새 시·도",
        queryset=Region.objects.all(),
        error_messages={
            "required": "새 시·도를 선택하세요.",
            "invalid_choice": "시·도를 목록에서 고르세요.",
        },
    )
    reason = change_reason_field()

    def __init__(self, *args, place: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].label = f"새 {place}"
        self.fields["region"].error_messages["required"] = f"새 {place}를 선택하세요."


class RegistrySearchForm(forms.Form):
    """One search box (name, or a number: phone or BRN) and a region, for a registry list."""

    q = forms.CharField(label="검색어", required=False, max_length=50)
    region = forms.ModelChoiceField(
        label="시·도",
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="전체",
        error_messages={"invalid_choice": "시·도를 목록에서 고르세요."},
    )

    def filters(self) -> dict:
        """The search as selector arguments; nothing filtered when the input is invalid."""
        return self.cleaned_data if self.is_valid() else {}


class TraineeSearchForm(RegistrySearchForm):
    """Trainees by name or mobile number (any part of it from the end), region and status."""

    status = forms.ChoiceField(
        label="고용 상태",
        choices=[("", "전체"), *EmploymentStatus.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "성명 또는 휴대전화(뒷자리도 가능)"


class CompanySearchForm(RegistrySearchForm):
    """Companies by name or 사업자등록번호, region and kind."""

    status = forms.ChoiceField(
        label="유형", choices=[("", "전체"), *CompanyKind.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "기업명 또는 사업자등록번호"


class RuleOriginConfirmForm(forms.Form):
    """The operator names the official document that sets a rule (운영지침)."""

    document = forms.CharField(
        label="운영지침 문서",
        max_length=300,
        error_messages={"required": "운영지침(또는 공고문) 이름을 적으세요."},
    )
    place = forms.CharField(label="문서 내 위치", max_length=200, required=False)
    quote = forms.CharField(
        label="해당 문장", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AllocationForm(forms.Form):
    """The operator sets one group's share of one track's national target."""

    operating_group = forms.ModelChoiceField(
        label="사업단",
        queryset=OperatingGroup.objects.none(),
        error_messages={
            "required": "사업단을 선택하세요.",
            "invalid_choice": "사업단을 목록에서 고르세요.",
        },
    )
    track = forms.ModelChoiceField(
        label="트랙",
        queryset=Track.objects.none(),
        error_messages={
            "required": "트랙을 선택하세요.",
            "invalid_choice": "트랙을 목록에서 고르세요.",
        },
    )
    seats = forms.IntegerField(
        label="배정 인원",
        min_value=0,
        max_value=100000,
        error_messages={
            "required": "배정 인원을 입력하세요.",
            "invalid": "배정 인원은 숫자로 입력하세요.",
            "min_value": "배정 인원은 0명 이상이어야 합니다.",
            "max_value": "배정 인원이 너무 큽니다.",
        },
    )
    override_reason = forms.CharField(
        label="목표 초과 승인 사유 (전국 합계가 목표의 허용 범위를 넘을 때만)",
        required=False,
        max_length=300,
        error_messages={"max_length": "사유는 300자 이내로 적으세요."},
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operating_group"].queryset = programme.operating_groups.order_by("zone")
        self.fields["track"].queryset = programme.tracks.exclude(quota__isnull=True)


def _percent_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100,
        error_messages={
            "required": "허용 범위를 입력하세요 (없으면 0).",
            "invalid": "허용 범위는 숫자로 입력하세요.",
            "min_value": "허용 범위는 0%% 이상이어야 합니다.",
            "max_value": "허용 범위는 100%% 이하여야 합니다.",
        },
    )


class TolerancesForm(forms.Form):
    """How far each "여" target may be passed, in percent: the programme's and each track's."""

    programme_pct = _percent_field("교육생 목표 허용 범위(%)")

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_pct"].initial = programme.target_tolerance_pct
        self.tracks = list(programme.tracks.exclude(quota__isnull=True).order_by("code"))
        for track in self.tracks:
            field = _percent_field(f"{track.name} 목표 허용 범위(%)")
            field.initial = track.tolerance_pct
            self.fields[f"track_{track.pk}"] = field

    def track_pcts(self) -> dict[int, int]:
        return {t.pk: self.cleaned_data[f"track_{t.pk}"] for t in self.tracks}


class ProgrammePeriodForm(BoundedDatesMixin, forms.Form):
    """A programme's new period, and why it changes."""

    starts_on = forms.DateField(label="시작일", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="종료일", widget=forms.DateInput(attrs={"type": "date"}))
    reason = change_reason_field()

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "사업 종료일은 시작일 이후여야 합니다.")
        return data


class ProgrammePayeeForm(forms.Form):
    """Who receives the monthly internship money: either reading of the release."""

    payee = forms.ChoiceField(
        label="인턴십 월 지원금을 받는 쪽",
        choices=InternshipPayee.choices,
        widget=forms.RadioSelect,
    )
    reason = change_reason_field()


class ProgrammeIncomeClassForm(forms.Form):
    """Which income class the programme's payments are withheld as, or none."""

    income_class = forms.ChoiceField(
        label="원천징수 소득 구분",
        choices=[("", "원천징수 없음")]
        + [(key, f"{label} {rate * 100:g}%") for key, (label, rate) in INCOME_CLASSES.items()],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "소득 구분을 목록에서 고르세요."},
    )
    reason = change_reason_field()
