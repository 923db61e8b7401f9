"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms

from itda.lib.dates import EARLIEST, LATEST, validate_era
from itda.lib.korean import josa
from itda.lib.normalize import phone_key

_TEMPORAL = (forms.DateField, forms.DateTimeField)


class BoundedDatesMixin:
    """Every date and datetime field of the form refuses days outside the era itda accepts
    (``itda.lib.dates.EARLIEST``..``LATEST``) with a Korean message, and tells the browser the
    same bounds. Put it first in the bases of every form that has a date; a test walks all forms.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, _TEMPORAL):
                continue
            if validate_era not in field.validators:
                field.validators.append(validate_era)
            local = getattr(field.widget, "input_type", None) == "datetime-local"
            suffix = "T00:00" if local else ""
            field.widget.attrs.setdefault("min", f"{EARLIEST:%Y-%m-%d}{suffix}")
            field.widget.attrs.setdefault("max", f"{LATEST:%Y-%m-%d}{'T23:59' if local else ''}")


def change_reason_field() -> forms.CharField:
    """The reason a staff member gives for changing a recorded decision or fact (5–300 chars);
    it goes into the change's trail."""
    return forms.CharField(
        label="변경 사유",
        min_length=5,
        max_length=300,
        error_messages={
            "required": "변경 사유를 입력하세요.",
            "min_length": "변경 사유를 5자 이상 입력하세요.",
        },
    )


def require_messages(form: forms.BaseForm, *names: str) -> None:
    """Each named field, left empty, says "<label>을/를 입력하세요." with the particle that fits."""
    for name in names:
        field = form.fields[name]
        field.error_messages["required"] = f"{josa(field.label, '을/를')} 입력하세요."


def mobile_phone_clean(value: str) -> str:
    """A mobile number typed any usual way (010 1234 5678, +82 10-…) as 010-1234-5678, or a
    Korean ValidationError."""
    number = phone_key(value)
    if not (len(number) == 11 and number.startswith("01")):
        raise forms.ValidationError("휴대전화 번호는 010-0000-0000 형식입니다.")
    return f"{number[:3]}-{number[3:7]}-{number[7:]}"


class SkillsField(forms.CharField):
    """Skills typed as one line, separated by commas: "PLC, MES, Python"."""

    def __init__(self, **kwargs):
        super().__init__(required=False, help_text="쉼표(,)로 구분해 입력하세요.", **kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [part.strip() for part in (value or "").split(",") if part.strip()]
