"""Approved statements, budgets and the people of a payment batch: a maker and a checker of the
수도권 사업단, and result rows as the bank's file gives them."""

from __future__ import annotations

import dataclasses
import datetime
import time

from django.utils import timezone
from django_otp.oath import TOTP

from itda import factories
from itda.accounts.roles import Role
from itda.conftest import totp_now
from itda.payments.bankfiles import ResultRow
from itda.payments.models import Budget, Statement

AUG = datetime.date(2026, 8, 1)
KIND = "internship_allowance"


def staff(regions, username, group="capital_group"):
    user = factories.user(username=username, role=Role.GROUP_STAFF)
    regions[group].staff.add(user)
    return user


def code(user) -> str:
    return totp_now(user.totpdevice_set.get())


def next_code(user) -> str:
    """The code the user's app shows in the next 30 seconds (django-otp accepts one step of
    drift): fresh after the code just used to log in."""
    device = user.totpdevice_set.get()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + device.step
    return f"{totp.token():0{device.digits}d}"


def approved(regions, *, amount=2_000_000, month=AUG, group="capital_group", **payee):
    """An approved statement of ``kind`` for a trainee with a bank account (or ``payee``)."""
    if not payee:
        payee = {"trainee": factories.TraineeFactory(region=regions["seoul"], name="김지급")}
    return Statement.objects.create(
        programme=regions["programme"],
        kind=KIND,
        period_start=month,
        period_end=(month + datetime.timedelta(days=32)).replace(day=1),
        operating_group=regions[group],
        amount_krw=amount,
        arithmetic={"amount_krw": amount, "items": []},
        rule_version="test",
        state="approved",
        computed_at=timezone.now(),
        **payee,
    )


def budget(regions, amount, source="national"):
    return Budget.objects.create(
        programme=regions["programme"], source=source, kind=KIND, amount_krw=amount
    )


def result(line, ok=True, reason="", **changes) -> ResultRow:
    row = ResultRow(line.pk, line.bank_account, line.amount_krw, ok, reason)
    return dataclasses.replace(row, **changes)
