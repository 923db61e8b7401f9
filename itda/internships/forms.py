"""Position forms (Korean labels and messages)."""

from django import forms

from itda.internships.models import Position
from itda.lib.forms import require_messages
from itda.programs.models import PlacementKind, Track


class SkillsField(forms.CharField):
    """Skills typed as one line, separated by commas: "PLC, MES, Python"."""

    def __init__(self, **kwargs):
        super().__init__(required=False, help_text="쉼표(,)로 구분해 입력하세요.", **kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [part.strip() for part in (value or "").split(",") if part.strip()]


class PositionForm(forms.ModelForm):
    """A company's internship position."""

    required_skills = SkillsField(label="필수 역량")
    preferred_skills = SkillsField(label="우대 역량")

    class Meta:
        model = Position
        fields = [
            "track",
            "title",
            "duties",
            "problem_statement",
            "seats",
            "region",
            "site_address",
            "mentor_name",
            "mentor_title",
            "required_skills",
            "preferred_skills",
        ]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = Track.objects.exclude(
            placement_kind=PlacementKind.NONE
        ).select_related("programme")
        self.fields["problem_statement"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["problem_statement"].help_text = "Track 2(PBL)는 필수입니다."
        self.fields["seats"].min_value = 1
        require_messages(self, "title", "duties", "site_address", "mentor_name", "seats")


class ReviewForm(forms.Form):
    """Staff decision on a submitted position."""

    note = forms.CharField(label="검토 의견", max_length=300, required=False)
