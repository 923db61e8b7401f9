"""Evaluation forms: the scheme editor, the score sheet, a conflict declaration, a declared
relation."""

from decimal import Decimal

from django import forms

from itda.evaluation.engine.ranking import DIMENSION_LABELS
from itda.evaluation.models import Criterion, EvaluatorRelation, Scheme
from itda.lib.brn import brn_clean
from itda.programs.models import CompanyKind, Track, Zone

STEP = Decimal("0.5")


class PointsField(forms.DecimalField):
    """A score: a finite number between 0 and the criterion's maximum, checked before the
    digit and step validators, which fail with a bare ValueError on 1e309 and the like."""

    def __init__(self, *, max_points: int, range_message: str, **kwargs):
        super().__init__(**kwargs)
        self.max_points = max_points
        self.range_message = range_message

    def validate(self, value):
        super().validate(value)  # NaN and infinity: the "invalid" message
        if value is not None and not Decimal(0) <= value <= self.max_points:
            raise forms.ValidationError(self.range_message, code="range")


class ScoreSheetForm(forms.Form):
    """One number and one comment per criterion, and an overall comment.

    The bounds (0 to the criterion's maximum) and the comment an extreme score needs are the
    service's rules (``sheet_save``); the form parses numbers, refuses what is not a finite
    number in bounds before anything else looks at it, and puts the bounds on the inputs so
    the browser can help.
    """

    comment = forms.CharField(
        label="종합 의견",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[self.points_name(criterion)] = PointsField(
                max_points=criterion.max_points,
                range_message=f"{criterion.name}: 0~{criterion.max_points}점 사이여야 합니다.",
                label=f"{criterion.name} 점수 (배점 {criterion.max_points}점)",
                required=False,
                max_digits=5,
                decimal_places=1,
                step_size=STEP,
                widget=forms.NumberInput(
                    attrs={
                        "min": 0,
                        "max": criterion.max_points,
                        "inputmode": "decimal",
                        "data-sheet-points": "",
                    }
                ),
                error_messages={
                    "invalid": f"{criterion.name}: 점수는 숫자로 입력하세요.",
                    "max_digits": f"{criterion.name}: 0~{criterion.max_points}점 사이여야 합니다.",
                    "max_whole_digits": (
                        f"{criterion.name}: 0~{criterion.max_points}점 사이여야 합니다."
                    ),
                    "max_decimal_places": f"{criterion.name}: 점수는 0.5점 단위로 입력하세요.",
                    "step_size": f"{criterion.name}: 점수는 0.5점 단위로 입력하세요.",
                },
            )
            self.fields[self.comment_name(criterion)] = forms.CharField(
                label=f"{criterion.name} 의견",
                required=False,
                max_length=500,
                help_text="0점이나 만점을 주면 의견을 꼭 적어야 합니다.",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": "의견은 500자 이내로 적어 주세요."},
            )
        # The overall comment comes last.
        self.fields["comment"] = self.fields.pop("comment")

    @staticmethod
    def points_name(criterion) -> str:
        return f"points_{criterion.code}"

    @staticmethod
    def comment_name(criterion) -> str:
        return f"comment_{criterion.code}"

    def rows(self) -> list[tuple]:
        """(criterion, points field, comment field) for the template."""
        return [(c, self[self.points_name(c)], self[self.comment_name(c)]) for c in self.criteria]

    def points(self) -> dict[str, Decimal]:
        """The scores typed, by criterion code (blank ones left out)."""
        data = self.cleaned_data
        return {
            c.code: data[self.points_name(c)]
            for c in self.criteria
            if data.get(self.points_name(c)) is not None
        }

    def comments(self) -> dict[str, str]:
        data = self.cleaned_data
        return {c.code: data.get(self.comment_name(c), "") for c in self.criteria}

    def add_service_errors(self, exc) -> None:
        """Put a refusal of ``sheet_save`` next to the criterion it is about."""
        if hasattr(exc, "error_dict"):
            codes = {c.code: c for c in self.criteria}
            for code, messages in exc.message_dict.items():
                field = self.points_name(codes[code]) if code in codes else None
                for message in messages:
                    self.add_error(field, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)


class ConflictForm(forms.Form):
    """이해충돌 신고: the evaluator says why they should not score this application."""

    reason = forms.CharField(
        label="이해충돌 사유",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="신고하면 이 신청서는 더 이상 열람·평가할 수 없습니다.",
        error_messages={"required": "이해충돌 사유를 입력하세요."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("이해충돌 사유를 입력하세요.")
        return reason


class RelationForm(forms.ModelForm):
    """A relation declared in advance: matched against applicants automatically."""

    business_number = forms.CharField(
        label="사업자등록번호",
        required=False,
        max_length=20,
        help_text="선택: 숫자 10자리 (하이픈은 있어도 됩니다)",
    )

    class Meta:
        model = EvaluatorRelation
        fields = ["kind", "organisation_name", "business_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        kind.choices = [("", "선택하세요"), *EvaluatorRelation._meta.get_field("kind").choices]
        kind.error_messages["required"] = "관계를 선택하세요."

    def clean_business_number(self):
        raw = self.cleaned_data.get("business_number") or ""
        if not raw.strip():
            return ""
        return brn_clean(raw)

    def clean(self):
        data = super().clean()
        if (
            not (data.get("organisation_name") or "").strip()
            and not data.get("business_number")
            and "business_number" not in self.errors
        ):
            self.add_error(
                "organisation_name", "기관·기업명이나 사업자등록번호 중 하나는 입력하세요."
            )
        return data


# The weights of a scheme share 100: the sheet total is on a 0–100 scale (engine.ranking) and
# every published scheme of the programme is written so (40·30·30, 25×4, …).
WEIGHT_TOTAL = 100
WEIGHT_TOTAL_ORIGIN = "itda 기본값 — 운영지침 확인 필요"


class SchemeForm(forms.ModelForm):
    """How a call's applications are judged: aggregation, panel size, cut-off and seats."""

    class Meta:
        model = Scheme
        fields = [
            "name",
            "method",
            "evaluators_per_application",
            "cutoff",
            "total_seats",
            "waitlist_size",
        ]
        help_texts = {
            "cutoff": "총점 100점 기준, 비워 두면 기준 점수 없음",
            "total_seats": "비워 두면 기준 점수 이상 모두 선정",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "기준표명을 입력하세요."


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["code", "name", "description", "weight", "max_points", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"code": "영문 소문자·숫자·밑줄 (예: job_fit)"}
        error_messages = {"code": {"invalid": "코드는 영문 소문자·숫자·밑줄·하이픈만 씁니다."}}


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    """The criteria of a scheme: at least one, codes distinct, weights summing to 100."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise forms.ValidationError("평가 항목을 하나 이상 입력하세요.")
        codes = [c["code"] for c in kept]
        if len(set(codes)) != len(codes):
            raise forms.ValidationError("평가 항목의 코드가 겹칩니다. 항목마다 다른 코드를 쓰세요.")
        total = sum(c["weight"] for c in kept)
        if total != WEIGHT_TOTAL:
            raise forms.ValidationError(
                f"가중치의 합계는 {WEIGHT_TOTAL}이어야 합니다 (지금 {total}). "
                f"({WEIGHT_TOTAL_ORIGIN})"
            )


CriterionFormSet = forms.inlineformset_factory(
    Scheme,
    Criterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    extra=3,
    can_delete=True,
)


def quota_targets(programme) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a quota can hold seats for, grouped as a select shows them: each 권역, each track of
    the programme, each kind of company; a choice's value is "dimension:value" as the ranking
    reads the applicant's groups (``evaluation.services``)."""
    tracks = Track.objects.filter(programme=programme).order_by("code")
    groups = (
        ("region", [(z.value, z.label) for z in Zone]),
        ("track", [(t.code, t.name) for t in tracks]),
        ("company_type", [(k.value, k.label) for k in CompanyKind]),
    )
    return [
        (DIMENSION_LABELS[dimension], [(f"{dimension}:{v}", label) for v, label in choices])
        for dimension, choices in groups
    ]


class QuotaForm(forms.Form):
    """One quota row: at most ``seats`` selected from one 권역, track or kind of company."""

    target = forms.ChoiceField(label="대상", error_messages={"required": "정원 대상을 고르세요."})
    seats = forms.IntegerField(
        label="정원(명)",
        min_value=1,
        max_value=100_000,
        error_messages={
            "required": "정원 인원을 입력하세요.",
            "min_value": "정원은 1명 이상이어야 합니다.",
            "max_value": "정원은 100,000명 이하여야 합니다.",
        },
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "선택"), *targets]


class BaseQuotaFormSet(forms.BaseFormSet):
    """The quotas of a scheme, each target at most once; ``quotas`` is ``Scheme.quotas``."""

    def __init__(self, *args, programme, scheme=None, **kwargs):
        stored = scheme.quotas if scheme is not None else []
        kwargs.setdefault(
            "initial",
            [{"target": f"{q['dimension']}:{q['value']}", "seats": q["seats"]} for q in stored],
        )
        self.targets = quota_targets(programme)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "targets": self.targets}

    def _rows(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        targets = [row["target"] for row in self._rows()]
        if len(set(targets)) != len(targets):
            raise forms.ValidationError("같은 대상의 정원이 두 번 있습니다. 한 줄로 합치세요.")

    @property
    def quotas(self) -> list[dict]:
        rows = []
        for row in self._rows():
            dimension, value = row["target"].split(":", 1)
            rows.append({"dimension": dimension, "value": value, "seats": row["seats"]})
        return sorted(rows, key=lambda q: (q["dimension"], q["value"]))


QuotaFormSet = forms.formset_factory(QuotaForm, formset=BaseQuotaFormSet, extra=2, can_delete=True)
