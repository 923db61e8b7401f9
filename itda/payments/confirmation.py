"""The payment confirmation (지급 확인서): one paid statement as a one-page A4 PDF, rendered by
the same machinery and font as the certificates (``itda.lib.pdf``)."""

from __future__ import annotations

from django.utils import timezone

from itda.lib.pdf import render_pdf
from itda.payments import selectors
from itda.payments.models import Statement, StatementState


def confirmation_context(statement: Statement) -> dict:
    """What the confirmation shows: the payee in full (it is their own document, or a logged
    staff download), the period, the amount and its arithmetic, and when it was paid."""
    paid = (
        statement.transitions.filter(to_state=StatementState.PAID)
        .order_by("-created_at", "-pk")
        .first()
    )
    return {
        "statement": statement,
        "payee": statement.trainee.name if statement.trainee_id else statement.company.name,
        "month": selectors.month_of(statement),
        "last_day": selectors.last_day(statement),
        "explain": selectors.statements_explain([statement])[statement.pk],
        "paid_on": timezone.localtime(paid.created_at).date() if paid else None,
        "issued_on": timezone.localdate(),
        "issuer": f"{statement.operating_group.name}장",
    }


def confirmation_pdf(statement: Statement) -> bytes:
    """The confirmation of one paid statement."""
    return render_pdf(
        html_template="payments/confirmation/confirmation.html",
        css_template="payments/confirmation/confirmation.css",
        context=confirmation_context(statement),
    )
