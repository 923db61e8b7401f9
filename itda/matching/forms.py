"""Linkage forms (Korean labels and messages)."""

from django import forms

from itda.lib.forms import BoundedDatesMixin
from itda.matching.models import Algorithm, MatchRound


class InterviewForm(BoundedDatesMixin, forms.Form):
    """When and where a company meets an applicant."""

    scheduled_at = forms.DateTimeField(
        label="면접 일시", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label="장소·방법", max_length=200)


class RoundForm(BoundedDatesMixin, forms.ModelForm):
    """A new match round."""

    class Meta:
        model = MatchRound
        fields = [
            "title",
            "operating_group",
            "follows",
            "max_choices",
            "trainee_deadline",
            "company_deadline",
        ]
        labels = {"follows": "후속 차수 (앞 차수에서 배정되지 않은 교육생 대상)"}
        widgets = {
            "trainee_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "company_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class PublishForm(forms.Form):
    """Which algorithm's result to publish, and the confirmation that it cannot be undone."""

    algorithm = forms.ChoiceField(
        label="발표할 배정 방식",
        choices=Algorithm.choices,
        initial=Algorithm.TRAINEE_PROPOSING,
        error_messages={"required": "발표할 배정 방식을 고르세요."},
    )
    confirm = forms.BooleanField(
        label="발표하면 되돌릴 수 없고, 배정된 교육생의 인턴십 배정이 만들어짐을 확인했습니다",
        error_messages={"required": "발표 확인란에 표시하세요."},
    )
