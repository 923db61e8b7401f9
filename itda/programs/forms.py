"""Staff forms on the registries (Korean labels and messages)."""

from django import forms

from itda.lib.forms import change_reason_field
from itda.programs.models import Region


class TraineeRegionForm(forms.Form):
    """A staff member moves a person to another region, with the reason."""

    region = forms.ModelChoiceField(
        label="새 거주지",
        queryset=Region.objects.all(),
        error_messages={
            "required": "새 거주지를 선택하세요.",
            "invalid_choice": "시·도를 목록에서 고르세요.",
        },
    )
    reason = change_reason_field()
