"""Forms of the statement pages: the list's filters and the month's computation."""

from __future__ import annotations

import datetime

from django import forms

from itda.lib.forms import BoundedDatesMixin
from itda.payments.models import StatementKind, StatementState
from itda.programs.models import Programme


class MonthField(forms.DateField):
    """A month as the browser's month input sends it (2026-07), as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

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


class ComputeForm(BoundedDatesMixin, forms.Form):
    """Which programme, month and kind to compute."""

    programme = forms.ModelChoiceField(
        label="사업",
        queryset=Programme.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "계산할 수 있는 사업을 고르세요."},
    )
    month = MonthField(label="기준 월", error_messages={"required": "기준 월을 입력하세요."})
    kind = forms.ChoiceField(label="구분", choices=StatementKind.choices)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
