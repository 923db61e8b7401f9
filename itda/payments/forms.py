"""Forms of the money pages: the statement list's filters, the month's computation, and the
payment batches (draft, cancel, the bank's result file)."""

from __future__ import annotations

import datetime

from django import forms

from itda.accounts.roles import Role
from itda.lib.dates import EARLIEST, LATEST
from itda.lib.forms import BoundedDatesMixin
from itda.payments.models import BatchState, StatementKind, StatementState
from itda.programs.models import OperatingGroup, Programme

RESULT_FILE_MAX_BYTES = 5 * 1024 * 1024


class MonthField(forms.DateField):
    """A month as the browser's month input sends it (2026-07), as its first day."""

    widget = forms.DateInput(
        attrs={"type": "month", "min": f"{EARLIEST:%Y-%m}", "max": f"{LATEST:%Y-%m}"},
        format="%Y-%m",
    )

    input_formats = ["%Y-%m"]
    default_error_messages = {"invalid": "월을 2026-07 형식으로 입력하세요."}

    def to_python(self, value) -> datetime.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class StatementFilterForm(BoundedDatesMixin, forms.Form):
    """The statement list's filters; a bad value is dropped, not an error page."""

    month = MonthField(label="기준 월", required=False)
    kind = forms.ChoiceField(
        label="구분", choices=[("", "전체"), *StatementKind.choices], required=False
    )
    state = forms.ChoiceField(
        label="상태", choices=[("", "전체"), *StatementState.choices], required=False
    )


class BatchFilterForm(StatementFilterForm):
    """The batch list's filters, as the statement list's with the batch's states; a bad value
    is dropped, not an error page."""

    state = forms.ChoiceField(
        label="상태", choices=[("", "전체"), *BatchState.choices], required=False
    )

    def filters(self) -> dict:
        """The chosen filters that hold a value (none when the input is invalid)."""
        chosen = self.cleaned_data if self.is_valid() else {}
        return {name: value for name, value in chosen.items() if value}


class ComputeForm(BoundedDatesMixin, forms.Form):
    """Which programme, month and kind to compute."""

    programme = forms.ModelChoiceField(
        label="사업",
        queryset=Programme.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "계산할 수 있는 사업을 고르세요."},
    )
    month = MonthField(label="기준 월", error_messages={"required": "기준 월을 입력하세요."})
    # Blank: every kind of the programme-month at once, with the cohorts' allowance lines.
    kind = forms.ChoiceField(
        label="구분",
        choices=[("", "전체(사업 전체 월: 기수별 훈련수당 포함)"), *StatementKind.choices],
        required=False,
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class BatchDraftForm(BoundedDatesMixin, forms.Form):
    """Which money to pay: a group's (or, for the operator, the national) batch of one month."""

    group = forms.ModelChoiceField(
        label="사업단",
        queryset=OperatingGroup.objects.none(),
        required=False,
        empty_label="전국 배치(전담기관)",
        error_messages={"invalid_choice": "담당 사업단을 선택하세요."},
    )
    programme = forms.ModelChoiceField(
        label="사업",
        queryset=Programme.objects.all(),
        error_messages={"required": "사업을 선택하세요.", "invalid_choice": "사업을 선택하세요."},
    )
    month = MonthField(
        label="지급 대상 월",
        help_text=(
            "이 달의 승인된 지급 명세와, 앞선 배치에서 이체에 실패한 명세(재지급 목록)를 담습니다."
        ),
        error_messages={"required": "지급 대상 월을 입력하세요."},
    )
    kind = forms.ChoiceField(
        label="구분",
        choices=StatementKind.choices,
        error_messages={"required": "구분을 선택하세요.", "invalid_choice": "구분을 선택하세요."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = OperatingGroup.objects.order_by("pk")
        if user.role == Role.OPERATOR:
            self.fields["group"].queryset = groups
        else:
            self.fields["group"].queryset = groups.filter(staff=user)
            self.fields["group"].required = True
            self.fields["group"].empty_label = None
            self.fields["group"].error_messages["required"] = "담당 사업단을 선택하세요."

    def clean(self):
        data = super().clean()
        group, programme = data.get("group"), data.get("programme")
        if group and programme and group.programme_id != programme.pk:
            self.add_error("group", "선택한 사업의 사업단이 아닙니다.")
        return data


class BatchCancelForm(forms.Form):
    note = forms.CharField(
        label="취소 사유",
        max_length=300,
        error_messages={"required": "취소 사유를 입력하세요."},
    )


class ResultFileForm(forms.Form):
    file = forms.FileField(
        label="은행 결과 파일(.xlsx)",
        error_messages={"required": "은행 결과 파일을 선택하세요."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > RESULT_FILE_MAX_BYTES:
            raise forms.ValidationError("결과 파일은 5MB 이하여야 합니다.")
        return upload
