"""Date and datetime inputs of the API, bounded like every form's (``itda.lib.dates``): use
``EraDate`` / ``EraDateTime`` for any date a caller sends; a test walks every operation.

Only ISO 8601 text is a date here: pydantic would also read a number (``?day=0``) as seconds
since 1970, which the OpenAPI schema (``format: date``) does not promise and no caller means."""

from __future__ import annotations

import datetime
import re
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import Field, ValidationError, WrapValidator
from pydantic_core import PydanticCustomError

from itda.lib.dates import ERA_MESSAGE, validate_era


def _bounded(message: str, iso: re.Pattern):
    def check(value, handler):
        if isinstance(value, int | float) or (isinstance(value, str) and not iso.match(value)):
            raise PydanticCustomError("date_invalid", message)
        try:
            parsed = handler(value)
        except ValidationError:
            # Year 10000 and other unreadable text: the Korean message, not pydantic's English.
            raise PydanticCustomError("date_invalid", message) from None
        try:
            validate_era(parsed)
        except DjangoValidationError:
            raise PydanticCustomError("date_era", ERA_MESSAGE) from None
        return parsed

    return WrapValidator(check)


# The years of ``itda.lib.dates.EARLIEST``..``LATEST`` (1900-01-01..2100-12-31), told to callers
# in the OpenAPI schema: a date outside them is refused though its format is right.
ERA_PATTERN = r"^(19\d\d|20\d\d|2100)-"

EraDate = Annotated[
    datetime.date,
    _bounded("날짜(YYYY-MM-DD)여야 합니다.", re.compile(r"\d{4,}-\d\d-\d\d$")),
    Field(json_schema_extra={"pattern": ERA_PATTERN}),
]
EraDateTime = Annotated[
    datetime.datetime,
    _bounded("일시(YYYY-MM-DDTHH:MM, ISO 8601)여야 합니다.", re.compile(r"\d{4,}-\d\d-\d\d[T ]")),
    Field(json_schema_extra={"pattern": ERA_PATTERN}),
]
