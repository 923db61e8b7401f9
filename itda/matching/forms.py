"""Linkage forms (Korean labels and messages)."""

from django import forms

from itda.matching.models import MatchRound


class InterviewForm(forms.Form):
    """When and where a company meets an applicant."""

    scheduled_at = forms.DateTimeField(
        label="면접 일시", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label="장소·방법", max_length=200)


class RoundForm(forms.ModelForm):
    """A new match round."""

    class Meta:
        model = MatchRound
        fields = ["title", "operating_group", "max_choices", "trainee_deadline", "company_deadline"]
        widgets = {
            "trainee_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "company_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }
