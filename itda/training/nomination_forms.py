"""Forms of the 재직자 추천 route (Korean labels and messages)."""

from django import forms
from django.utils import timezone

from itda.lib.dates import birth_date_problem
from itda.lib.forms import BoundedDatesMixin
from itda.lib.normalize import phone_key


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cohort) -> str:
        course = cohort.course
        return (
            f"{cohort} · {course.get_smart_factory_level_display()} 단계 · "
            f"{cohort.starts_on:%Y-%m-%d}~{cohort.ends_on:%Y-%m-%d} · "
            f"{course.operating_group.name}"
        )


class NominationForm(BoundedDatesMixin, forms.Form):
    """A company names one employee: only what the course and its certificate need."""

    cohort = CohortChoiceField(label="교육 기수", queryset=None, empty_label="선택하세요")
    name = forms.CharField(label="성명", max_length=50)
    phone = forms.CharField(label="휴대전화", max_length=20, help_text="예) 010-1234-5678")
    birth_date = forms.DateField(
        label="생년월일",
        help_text="수료증에 표시합니다.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    position = forms.CharField(label="직위", max_length=50, required=False)
    department = forms.CharField(label="부서", max_length=50, required=False)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts

    def clean_phone(self) -> str:
        number = phone_key(self.cleaned_data["phone"])
        if not (len(number) == 11 and number.startswith("01")):
            raise forms.ValidationError("휴대전화 번호는 010-0000-0000 형식입니다.")
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"

    def clean_birth_date(self):
        day = self.cleaned_data["birth_date"]
        if problem := birth_date_problem(day, today=timezone.localdate()):
            raise forms.ValidationError(problem)
        return day


class RefusalForm(forms.Form):
    reason = forms.CharField(label="반려 사유", max_length=200, required=False)
