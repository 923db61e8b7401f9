"""Staff forms on the registries (Korean labels and messages)."""

from django import forms

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
    reason = forms.CharField(
        label="변경 사유",
        min_length=5,
        max_length=300,
        error_messages={
            "required": "변경 사유를 입력하세요.",
            "min_length": "변경 사유를 5자 이상 입력하세요.",
        },
    )
