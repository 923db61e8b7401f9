"""Enrolment forms (Korean labels and messages)."""

from django import forms

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
