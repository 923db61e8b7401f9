"""A test-only URLconf: the site's URLs plus /__styleguide__/, a page that uses every piece of
base.html, the includes and the itda.css utility classes (for layout tests and screenshots)."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

STYLEGUIDE_PATH = "/__styleguide__/"

TEMPLATE = Path(__file__).with_name("styleguide.html")


class SampleForm(forms.Form):
    name = forms.CharField(label="성명", help_text="주민등록상 이름을 적어 주세요.", max_length=3)
    phone = forms.CharField(label="휴대전화", required=False)
    track = forms.ChoiceField(
        label="지원 트랙",
        choices=[("1", "스마트공장 운영"), ("2", "제조AI 개발")],
        widget=forms.RadioSelect,
    )
    region = forms.ChoiceField(label="희망 권역", choices=[("", "선택"), ("capital", "수도권")])
    motive = forms.CharField(label="지원 동기", widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="개인정보 수집·이용에 동의합니다")


@login_not_required
def styleguide(request):
    messages.success(request, "저장했습니다.")
    messages.error(request, "입력 내용을 다시 확인해 주세요.")
    form = SampleForm(data={"name": "홍길동입니다", "track": "", "region": ""})
    form.is_valid()
    page_obj = Paginator(range(250), 10).get_page(request.GET.get("page", 5))
    chart = {
        "type": "bar",
        "data": {
            "labels": ["8월", "9월", "10월", "11월"],
            "datasets": [
                {"label": "연계 인원", "data": [120, 210, 160, 240], "backgroundColor": "#256ef4"}
            ],
        },
    }
    template = engines["django"].from_string(TEMPLATE.read_text(encoding="utf-8"))
    context = {"form": form, "page_obj": page_obj, "chart": chart}
    return HttpResponse(template.render(context, request))


urlpatterns = [
    path(STYLEGUIDE_PATH.strip("/") + "/", styleguide, name="styleguide"),
    path("", include("itda.urls")),
]
