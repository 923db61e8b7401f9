"""Forms of the payment batch pages (Korean messages)."""

from __future__ import annotations

import datetime

from django import forms

from itda.accounts.roles import Role
from itda.lib.dates import EARLIEST, LATEST
from itda.lib.forms import BoundedDatesMixin
from itda.payments.models import StatementKind
from itda.programs.models import OperatingGroup, Programme

RESULT_FILE_MAX_BYTES = 5 * 1024 * 1024


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
    month = forms.DateField(
        label="지급 대상 월",
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(
            attrs={"type": "month", "min": f"{EARLIEST:%Y-%m}", "max": f"{LATEST:%Y-%m}"},
            format="%Y-%m",
        ),
        help_text=(
            "이 달의 승인된 지급 명세와, 앞선 배치에서 이체에 실패한 명세(재지급 목록)를 담습니다."
        ),
        error_messages={
            "required": "지급 대상 월을 입력하세요.",
            "invalid": "월을 2026-08처럼 입력하세요.",
        },
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

    def clean_month(self) -> datetime.date:
        return self.cleaned_data["month"].replace(day=1)

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
