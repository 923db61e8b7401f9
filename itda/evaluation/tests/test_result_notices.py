"""Publishing a ranking tells every applicant, once: a company's managers (not another
company's), with the link to their application; the e-mail says where to look, not the result."""

import pytest
from django.core import mail

from itda import factories
from itda.accounts.roles import Role
from itda.evaluation.tests.test_results_integrity import _published
from itda.notifications.models import Kind, Notification
from itda.notifications.services import emails_send
from itda.recruitment.models import Application
from itda.recruitment.notices import applicant_users

pytestmark = pytest.mark.django_db


def test_each_applicant_company_is_told_its_result_once(
    world, cast, django_capture_on_commit_callbacks
):
    managers = []
    for i, application in enumerate(world["apps"]):
        user = factories.user(username=f"manager{i}", role=Role.COMPANY)
        user.email = f"manager{i}@example.kr"
        user.save(update_fields=["email"])
        application.company.managers.add(user)
        managers.append(user)

    with django_capture_on_commit_callbacks(execute=True):
        _published(world, cast)

    told = {n.recipient_id: n for n in Notification.objects.filter(kind=Kind.RESULT)}
    # The cast's company manager (their company did not apply) hears nothing.
    assert set(told) == {m.pk for m in managers}
    for manager, application in zip(managers, world["apps"], strict=True):
        assert told[manager.pk].link == f"/applications/{application.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in managers)
    assert all("선정 결과" in m.subject and "미선정" not in m.body for m in mail.outbox)

    assert emails_send([n.pk for n in told.values()]) == 0  # a task rerun sends nothing new
    assert len(mail.outbox) == len(managers)


def test_a_trainee_application_tells_the_trainees_own_account(regions, trainee, seoul_staff):
    call = factories.call(programme=regions["programme"], kind="trainee", track=regions["track"])
    own = factories.application(call=call, trainee=trainee.trainee, created_by=seoul_staff)
    # Imported from a list without an account: nobody to tell (never the staff who imported it).
    imported = factories.application(
        call=call, trainee=factories.TraineeFactory(region=regions["seoul"]), created_by=seoul_staff
    )
    assert applicant_users(Application.objects.filter(call=call)) == {
        own.pk: [trainee.pk],
        imported.pk: [],
    }
