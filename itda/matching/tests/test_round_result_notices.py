"""Publishing a round tells its participants once: each trainee who chose (their result page),
the managers of the companies chosen (theirs); a trainee who chose nothing is not told."""

import pytest
from django.core import mail

from itda.accounts.models import User
from itda.matching import services
from itda.matching.notices import round_results_notify
from itda.matching.tests.conftest import AFTER
from itda.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_a_published_round_tells_its_trainees_and_companies(
    ranked_round, seoul_staff, company, django_capture_on_commit_callbacks
):
    round_, people = ranked_round["round"], ranked_round["people"]
    User.objects.filter(pk__in=[p.user_id for p in people.values()] + [company.pk]).update(
        email="someone@example.kr"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(
            round_=round_, algorithm="trainee-proposing", actor=seoul_staff, now=AFTER
        )
    told = dict(Notification.objects.filter(kind=Kind.RESULT).values_list("recipient", "link"))
    mine = f"/trainee/rounds/{round_.pk}/result/"
    assert told == {
        **{people[t].user_id: mine for t in ("me", "t2", "t3", "t4")},
        company.pk: f"/company/rounds/{round_.pk}/result/",
    }
    assert len(mail.outbox) == 5
    with django_capture_on_commit_callbacks(execute=True):
        round_results_notify(round_)  # told again: nothing new
    assert (Notification.objects.count(), len(mail.outbox)) == (5, 5)
