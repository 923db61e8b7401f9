"""The named cast for tests: who is acting. Factories (itda/factories.py) make what they act on."""

from contextlib import contextmanager

import pytest
from django.db import transaction
from django_otp.oath import TOTP

from itda import factories
from itda.accounts.roles import Role


def totp_now(device) -> str:
    """The code an authenticator app would show for ``device`` right now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@contextmanager
def rolled_back(django_db_blocker):
    """An open transaction, rolled back on leaving; for a fixture wider than one test (see
    ``module_atomic``)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_atomic(django_db_setup, django_db_blocker):
    """An open transaction for rows a whole module reads, rolled back after its last test; each
    test's own transaction (the ``db`` fixture) nests inside it as a savepoint, so a test's
    changes roll back to the shared rows. For expensive read-only setup (reference data, a
    generated demo): a module-scoped fixture that asks for this one makes its rows once. Every
    test of such a module then runs on those rows, from the first that asks for them on."""
    with rolled_back(django_db_blocker):
        yield


@pytest.fixture
def argon2(settings):
    """The production password hashers, for the tests that check them (settings_test is fast)."""
    from itda import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


@pytest.fixture
def regions(db):
    """서울, 부산, 경기 and their operating groups (수도권, 동남권)."""
    return factories.reference_world()


@pytest.fixture
def admin(regions):
    return factories.user(username="admin", role=Role.OPERATOR)


@pytest.fixture
def seoul_staff(regions):
    user = factories.user(username="seoul_staff", role=Role.GROUP_STAFF)
    regions["capital_group"].staff.add(user)
    return user


@pytest.fixture
def busan_staff(regions):
    user = factories.user(username="busan_staff", role=Role.GROUP_STAFF)
    regions["dongnam_group"].staff.add(user)
    return user


@pytest.fixture
def viewer(regions):
    return factories.user(username="viewer", role=Role.VIEWER)


@pytest.fixture
def evaluator(regions):
    user = factories.user(username="evaluator", role=Role.EVALUATOR)
    factories.EvaluatorFactory(user=user, region=regions["seoul"])
    return user


@pytest.fixture
def company(regions):
    user = factories.user(username="company", role=Role.COMPANY)
    factories.CompanyFactory(region=regions["seoul"]).managers.add(user)
    return user


@pytest.fixture
def trainee(regions):
    user = factories.user(username="trainee", role=Role.TRAINEE)
    factories.TraineeFactory(user=user, region=regions["seoul"])
    return user


@pytest.fixture
def cast(admin, seoul_staff, busan_staff, viewer, evaluator, company, trainee):
    """Everyone, by name."""
    return {
        "admin": admin,
        "seoul_staff": seoul_staff,
        "busan_staff": busan_staff,
        "viewer": viewer,
        "evaluator": evaluator,
        "company": company,
        "trainee": trainee,
    }


@pytest.fixture
def login_as(client):
    """Log a cast member in through the real login views (password, then TOTP for staff)."""

    def _login(user, the_client=None):
        c = the_client or client
        response = c.post(
            "/accounts/login/", {"username": user.username, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, response.content.decode()[:500]
        if user.needs_second_factor:
            device = user.totpdevice_set.get()
            response = c.post("/accounts/otp/", {"token": totp_now(device)})
            assert response.status_code == 302, response.content.decode()[:500]
        return c

    return _login


@pytest.fixture
def pdf_engine():
    """WeasyPrint, or a skip where Pango cannot load (a failure when ITDA_REQUIRE_PDF=1)."""
    import os

    try:
        import weasyprint
    except OSError as error:
        if os.environ.get("ITDA_REQUIRE_PDF") == "1":
            pytest.fail(f"WeasyPrint cannot load Pango: {error}")
        pytest.skip(f"PDF tests SKIPPED: WeasyPrint cannot load Pango ({error})")
    return weasyprint
