"""Staff forms on the registries (Korean labels and messages)."""

from django import forms

from itda.lib.forms import change_reason_field
from itda.programs.models import Region


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
