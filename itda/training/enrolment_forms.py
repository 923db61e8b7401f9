"""Enrolment forms (Korean labels and messages)."""

from django import forms
from django.db.models import TextChoices

from itda.lib.normalize import phone_key


class EnrolOneForm(forms.Form):
    """An operator names one trainee by their mobile number."""

    phone = forms.CharField(
        label="교육생 휴대전화",
        max_length=20,
        help_text="교육생 명부의 휴대전화 번호로 찾습니다. 예) 010-1234-5678",
    )

    def clean_phone(self) -> str:
        number = phone_key(self.cleaned_data["phone"])
        if len(number) not in (10, 11):
            raise forms.ValidationError("휴대전화 번호를 확인하세요.")
        return number


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="중도포기 사유", max_length=200)


class CohortState(TextChoices):
    UPCOMING = "upcoming", "개강 전"
    RUNNING = "running", "교육 중"
    FINISHED = "finished", "종료"


class CohortSearchForm(forms.Form):
    """The cohort list by course (title or code) and by where the cohort stands today."""

    q = forms.CharField(label="과정명 또는 과정 코드", required=False, max_length=50)
    state = forms.ChoiceField(
        label="진행 상태", choices=[("", "전체"), *CohortState.choices], required=False
    )

    def filters(self) -> dict:
        """The search as selector arguments; nothing filtered when the input is invalid."""
        return self.cleaned_data if self.is_valid() else {}
