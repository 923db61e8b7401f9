"""Forms for the staff side of training and Business Zone requests (Korean labels; plain date
and time inputs so that a phone, a keyboard and a browser test all fill them the same way)."""

from __future__ import annotations

import datetime

from django import forms

from itda.accounts.models import User
from itda.lib.forms import BoundedDatesMixin, require_messages
from itda.programs.models import OperatingGroup
from itda.training.models import BookingKind, Cohort, Course
from itda.training.schedule import KST, group_rooms, meeting_rooms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


BOOKING_WINDOW_HELP = "오늘부터 2년 이내 (itda 기본값 — 운영지침 확인 필요)"


class _ServiceChecked:
    """The service checks uniqueness and constraints with Korean messages naming the rule."""

    def validate_unique(self):
        pass


class CourseForm(_ServiceChecked, forms.ModelForm):
    """A course: the group, the audience and then the track and level or the factory stage."""

    class Meta:
        model = Course
        fields = [
            "operating_group",
            "audience",
            "track",
            "level",
            "smart_factory_level",
            "code",
            "title",
            "description",
            "has_assessment",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "track": "구직자 과정만 선택합니다 (Track 1 기초·실무, Track 2 제조AI).",
            "smart_factory_level": "재직자 단기과정만 선택합니다.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = OperatingGroup.objects.visible_to(user).select_related("programme")
        self.fields["operating_group"].queryset = groups
        self.fields["operating_group"].label = "사업단"
        self.fields["track"].queryset = self.fields["track"].queryset.filter(
            programme__in=groups.values("programme")
        )
        self.fields["level"].required = False
        require_messages(self, "code", "title")


class ModuleForm(forms.Form):
    """One module (교과목) added to a course."""

    title = forms.CharField(label="교과목", max_length=200)
    hours = forms.IntegerField(label="시간", min_value=1, max_value=999)


class CohortForm(BoundedDatesMixin, _ServiceChecked, forms.ModelForm):
    """A cohort's number, dates, capacity and instructors (staff of the course's group)."""

    instructors = forms.ModelMultipleChoiceField(
        label="강사",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cohort
        fields = ["number", "starts_on", "ends_on", "capacity"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructors"].queryset = course.operating_group.staff.order_by(
            "display_name", "pk"
        )
        self.fields["instructors"].label_from_instance = lambda u: u.display_name or u.username
        self.fields["capacity"].min_value = 1
        self.fields["number"].min_value = 1


class _SpanForm(BoundedDatesMixin, forms.Form):
    """A date and a start and end time, read as KST."""

    date = forms.DateField(label="날짜", widget=DateInput())
    start = forms.TimeField(label="시작 시각", widget=TimeInput())
    end = forms.TimeField(label="종료 시각", widget=TimeInput())

    def clean(self):
        data = super().clean()
        if {"date", "start", "end"} <= data.keys():
            data["starts_at"] = datetime.datetime.combine(data["date"], data["start"], KST)
            data["ends_at"] = datetime.datetime.combine(data["date"], data["end"], KST)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", "종료 시각은 시작 시각보다 늦어야 합니다.")
        return data


class SessionForm(_SpanForm):
    """차시 추가/수정: title, module, date, KST times, room of the group's venues, instructor."""

    title = forms.CharField(label="차시 내용", max_length=200)
    module = forms.ModelChoiceField(label="교과목", queryset=None, required=False)
    room = forms.ModelChoiceField(
        label="교육장 공간", queryset=None, required=False, help_text="비워 두면 비대면 차시입니다."
    )
    instructor_name = forms.CharField(label="강사명", max_length=50, required=False)
    field_order = ["title", "module", "date", "start", "end", "room", "instructor_name"]

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = cohort.course.modules.all()
        self.fields["room"].queryset = group_rooms(cohort.course.operating_group)
        self.fields["title"].error_messages["required"] = "차시 내용을 입력하세요."


class MeetingRequestForm(_SpanForm):
    """A company's Business Zone request."""

    room = forms.ModelChoiceField(label="회의실", queryset=None, empty_label=None)
    purpose = forms.CharField(label="사용 목적", max_length=200)
    attendees = forms.IntegerField(label="참석 인원", min_value=1, max_value=500)
    field_order = ["room", "date", "start", "end", "purpose", "attendees"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = meeting_rooms()
        self.fields["purpose"].error_messages["required"] = "사용 목적을 입력하세요."
        self.fields["date"].help_text = BOOKING_WINDOW_HELP


class StaffBookingForm(_SpanForm):
    """Staff hold a room of their venue for a meeting or an event."""

    room = forms.ModelChoiceField(label="공간", queryset=None, empty_label=None)
    kind = forms.ChoiceField(
        label="용도", choices=[(k.value, k.label) for k in (BookingKind.MEETING, BookingKind.EVENT)]
    )
    purpose = forms.CharField(label="사용 목적", max_length=200)
    field_order = ["room", "kind", "date", "start", "end", "purpose"]

    def __init__(self, *args, venue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = venue.rooms.order_by("kind", "name")
        self.fields["purpose"].error_messages["required"] = "사용 목적을 입력하세요."
        self.fields["date"].help_text = BOOKING_WINDOW_HELP


class DecisionForm(forms.Form):
    """Staff's note on a decision (required to reject)."""

    note = forms.CharField(label="처리 의견", max_length=200, required=False)


class CorrectionDecisionForm(forms.Form):
    """Staff's decision on an attendance correction: approve, or reject with a note."""

    decision = forms.ChoiceField(
        label="처리", choices=[("approve", "승인"), ("reject", "반려")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="처리 의견 (반려 시 필수)", max_length=300, required=False)
