"""Downloads of a round: the engine input (anonymised: T-/P-ids, rankings, capacities) as the
exact JSON the CLI takes and as Excel, and the published result (names for staff, logged)."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpResponse
from django.utils import timezone

from itda.accounts.exports import personal_export_view, xlsx_response
from itda.lib import masking
from itda.lib.excel import workbook_sheets_bytes
from itda.matching import selectors
from itda.matching.models import MatchRound
from itda.matching.services import canonical_json
from itda.programs.models import Trainee


def round_input_text(round_: MatchRound) -> str:
    """The round's input as canonical JSON: the published run's frozen bytes, or before
    publication the input as it stands now."""
    if round_.published_run_id:
        return round_.published_run.input_json
    return canonical_json(selectors.round_input(round_, today=timezone.localdate()))


def _filename(round_: MatchRound, what: str, ext: str) -> str:
    return f"round-{round_.pk}-{what}.{ext}"


def input_json_response(round_: MatchRound) -> HttpResponse:
    """The bytes `python -m itda.matching.engine solve` takes; their sha256 is the run's."""
    text = round_input_text(round_)
    response = HttpResponse(text.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(round_, "input", "json")}"'
    response["X-Input-SHA256"] = hashlib.sha256(text.encode()).hexdigest()
    return response


def input_xlsx_response(round_: MatchRound) -> HttpResponse:
    """The same input in Excel: trainees' choices, positions' capacities and rankings, and the
    sha256 of the JSON it mirrors. Ids only: no one is named."""
    text = round_input_text(round_)
    data = json.loads(text)
    run = round_.published_run
    about = [
        ("라운드", round_.title),
        ("입력 sha256", hashlib.sha256(text.encode()).hexdigest()),
        ("엔진 버전", run.engine_version if run else "발표 전 (현재 입력)"),
        ("알고리즘", run.algorithm if run else "-"),
    ]
    content = workbook_sheets_bytes(
        [
            (
                "교육생 지망",
                ["교육생", "지망 수", "지망 순위 (1지망부터)"],
                ([t["id"], len(t["ranking"]), " ".join(t["ranking"])] for t in data["trainees"]),
            ),
            (
                "포지션 순위",
                ["포지션", "정원", "순위 수", "기업 순위 (1위부터)"],
                (
                    [p["id"], p["capacity"], len(p["ranking"]), " ".join(p["ranking"])]
                    for p in data["positions"]
                ),
            ),
            ("정보", ["항목", "값"], about),
        ]
    )
    return xlsx_response(content, _filename(round_, "input", "xlsx"))


def result_export_view(request, round_: MatchRound):
    """The published assignment with trainees' names (masked unless asked), for staff: a stated
    reason first, one 접속기록 row with it; only trainees the user may see."""
    rows = {row["trainee"].pk: row for row in selectors.staff_result(round_, request.user)}

    def row(trainee: Trainee, full: bool) -> list:
        r = rows[trainee.pk]
        position = r["position"] or {}
        return [
            r["id"],
            trainee.name if full else masking.mask_name(trainee.name),
            trainee.region.name,
            r["position_id"] or "",
            position.get("company", "미배정"),
            position.get("title", ""),
            r["rank"],
        ]

    return personal_export_view(
        request,
        queryset=Trainee.objects.filter(pk__in=list(rows))
        .select_related("region")
        .order_by("name", "pk"),
        title="배정 결과",
        headers=["교육생 ID", "성명", "거주지", "포지션 ID", "기업", "포지션", "지망 순위"],
        row=row,
        filename=f"round-{round_.pk}-result",
        template="programs/registry/export.html",
    )
