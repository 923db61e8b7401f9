"""Every API error answers JSON `{"detail": "<Korean message>"}` with the right status code.

Validation errors answer 400 (not ninja's 422) with the field errors; nothing ever answers with
a traceback, in DEBUG or not. ``document`` writes these answers into the OpenAPI schema, for
each operation the ones it can give, so a client (and the schemathesis test) knows them all.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("itda.api")

NOT_FOUND = "찾을 수 없습니다."
UNAUTHENTICATED = "인증이 필요합니다. 로그인하거나 API 토큰을 보내세요."
FORBIDDEN = "이 요청을 수행할 권한이 없습니다."
INVALID_INPUT = "입력값이 올바르지 않습니다."
SERVER_ERROR = "서버에서 오류가 발생했습니다. 잠시 후 다시 시도하세요."

# ninja's own English messages, in Korean.
_MESSAGES = {
    "Cannot parse request body": "요청 본문을 해석할 수 없습니다. 올바른 JSON인지 확인하세요.",
    "CSRF check Failed": "CSRF 검증에 실패했습니다. 페이지를 새로 고친 뒤 다시 시도하세요.",
    "Unauthorized": UNAUTHENTICATED,
    "Forbidden": FORBIDDEN,
    "Too many requests.": "요청이 너무 많습니다. 잠시 후 다시 시도하세요.",
}
_BY_STATUS = {
    400: "잘못된 요청입니다.",
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    405: "허용되지 않는 메서드입니다.",
    429: _MESSAGES["Too many requests."],
}

# pydantic error types, in Korean; anything else keeps pydantic's message.
_FIELD_MESSAGES = {
    "missing": "필수 항목입니다.",
    "string_type": "문자열이어야 합니다.",
    "string_too_short": "{min_length}자 이상 입력하세요.",
    "string_too_long": "{max_length}자 이하로 입력하세요.",
    "string_pattern_mismatch": "허용되지 않는 문자(제어 문자 등)가 들어 있습니다.",
    "int_type": "정수여야 합니다.",
    "int_parsing": "정수여야 합니다.",
    "greater_than_equal": "{ge} 이상이어야 합니다.",
    "less_than_equal": "{le} 이하여야 합니다.",
    "greater_than": "{gt}보다 커야 합니다.",
    "less_than": "{lt}보다 작아야 합니다.",
    "model_attributes_type": "JSON 객체여야 합니다.",
    "dict_type": "JSON 객체여야 합니다.",
    "bool_parsing": "true 또는 false여야 합니다.",
    "date_from_datetime_parsing": "날짜(YYYY-MM-DD)여야 합니다.",
    "literal_error": "허용되지 않는 값입니다.",
    "enum": "허용되지 않는 값입니다.",
    "extra_forbidden": "알 수 없는 항목입니다.",
}


def field_errors(errors: list[dict]) -> list[dict]:
    """ninja's validation errors as [{"loc": [...], "field": "a.b", "message": "..."}]."""
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        template = _FIELD_MESSAGES.get(error.get("type", ""))
        try:
            message = template.format(**error.get("ctx", {})) if template else error.get("msg")
        except (KeyError, IndexError):
            message = error.get("msg", INVALID_INPUT)
        # loc starts with where the value came from (body, query, path); the field follows.
        # ninja puts a single body parameter under its own name: ("body", "body", "reason").
        field = loc[2:] if loc[:1] == ["body"] and len(loc) > 2 else loc[1:]
        result.append({"loc": loc, "field": ".".join(field), "message": message})
    return result


class FieldErrorOut(Schema):
    loc: list[str] = Field(description="값의 위치 (body·query·path와 항목 이름)")
    field: str = Field(description="항목 이름 (점으로 이음)")
    message: str = Field(description="한국어 오류 메시지")


class ErrorOut(Schema):
    """The body of every error answer."""

    detail: str = Field(description="한국어 오류 메시지")
    errors: list[FieldErrorOut] | None = Field(
        None, description="입력값 오류(400)일 때 항목별 오류"
    )


_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
_DESCRIPTIONS = {
    400: "입력값이 올바르지 않음 (항목별 오류는 errors)",
    401: "인증 필요: API 토큰이 없거나 만료·폐기됨",
    403: "이 역할로는 할 수 없는 요청, 또는 세션 인증의 CSRF 검증 실패",
    404: "없거나 내 범위 밖 (둘은 같은 답)",
}


def document(schema: dict) -> dict:
    """Add the error answers each operation of ``schema`` (ninja's OpenAPI dict) can give:
    400 when it reads any input, 401 and 403 when it needs a caller, 404 when its path names
    a row. Answers an operation declares itself (409, a 404 of its own) are kept."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (FieldErrorOut, ErrorOut):
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(found.pop("$defs", {}))
        components[model.__name__] = found
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            params = operation.get("parameters", [])
            codes = []
            if params or "requestBody" in operation:
                codes.append(400)
            if operation.get("security"):
                codes += [401, 403]
            if any(p.get("in") == "path" for p in params):
                codes.append(404)
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    str(code),
                    {
                        "description": _DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": _ERROR_REF}},
                    },
                )
    return schema


def install(api: NinjaAPI) -> None:
    """Register the Korean error handlers on ``api``."""

    def respond(request, status: int, detail: str, **extra) -> HttpResponse:
        response = api.create_response(request, {"detail": detail, **extra}, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="itda"'
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return respond(request, 400, INVALID_INPUT, errors=field_errors(exc.errors))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc: AuthenticationError):
        return respond(request, 401, UNAUTHENTICATED)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        detail = _MESSAGES.get(exc.message) or exc.message or _BY_STATUS.get(exc.status_code)
        return respond(request, exc.status_code, detail or _BY_STATUS[400])

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        # The same body for "does not exist" and "not yours": nothing leaks.
        return respond(request, 404, NOT_FOUND)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc: PermissionDenied):
        return respond(request, 403, FORBIDDEN)

    @api.exception_handler(Exception)
    def server_error(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, SERVER_ERROR)
