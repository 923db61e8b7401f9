"""generate_demo and demo_logins against the real reference data, on one demo for the module."""

import base64
import re
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from itda.accounts.models import User
from itda.accounts.roles import SECOND_FACTOR_ROLES, Role
from itda.demo.employment import GENERATED_PREFIX
from itda.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD, PROGRAMME_CODE
from itda.evaluation.models import Evaluator
from itda.lib.brn import brn_is_valid
from itda.programs.models import Company, OperatingGroup, Trainee, Zone
from itda.programs.services import reference_load_all

SCALE = "0.05"
RRN = re.compile(r"\d{6}-[1-4]\d{6}")


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_demo", "--seed", "1", "--scale", SCALE, *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(module_atomic):
    """What generate_demo printed; the demo itself is the module's (see conftest.py). The
    tests that need a database without it are in test_generate_demo_fresh.py."""
    reference_load_all()
    return generate()


@pytest.fixture
def demo(generated, db):
    return generated


def test_counts_are_proportional_to_scale(demo):
    assert "기업 50, 교육생 45, 평가위원 9, 계정 15, 기수 49," in demo
    assert len(demo.strip().splitlines()) == 1
    # Evaluators: never fewer than the company call's panel of nine.
    assert (Company.objects.count(), Trainee.objects.count(), Evaluator.objects.count()) == (
        50,
        45,
        9,
    )


def test_business_numbers_valid_and_unique_phones_unique(demo):
    numbers = list(Company.objects.values_list("business_number", flat=True))
    assert all(brn_is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    phones = list(Trainee.objects.values_list("phone", flat=True))
    assert len(set(phones)) == len(phones)


def test_no_field_holds_a_resident_registration_number(demo):
    for model in (Company, Trainee, Evaluator, User):
        for row in model.objects.values():
            for value in row.values():
                assert not RRN.search(str(value)), (model, row)


def test_bank_accounts_are_encrypted_at_rest(demo):
    plain = [a for a in Trainee.objects.values_list("bank_account", flat=True) if a]
    assert plain and all(re.fullmatch(r"\d{3}-\d{4}-\d{4}-\d{2}", a) for a in plain)
    with connection.cursor() as cursor:
        cursor.execute("SELECT bank_account FROM programs_trainee WHERE bank_account <> ''")
        stored = [r[0] for r in cursor.fetchall()]
    assert len(stored) == len(plain)
    joined = "\n".join(stored)
    assert all(a not in joined and a.replace("-", "") not in joined for a in plain)


def test_rerun_changes_nothing_and_reset_gives_the_same_names(demo):
    names = list(Trainee.objects.order_by("phone").values_list("name", flat=True))
    companies = list(Company.objects.order_by("business_number").values_list("name", flat=True))
    secrets = dict(TOTPDevice.objects.values_list("user__username", "key"))

    again = generate()
    assert "만들지 않았습니다" in again and "--reset" in again
    assert Trainee.objects.count() == 45

    generate("--reset")
    assert list(Trainee.objects.order_by("phone").values_list("name", flat=True)) == names
    assert (
        list(Company.objects.order_by("business_number").values_list("name", flat=True))
        == companies
    )
    # accounts are kept, and so are the TOTP secrets a person may have scanned
    assert User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).count() == 15
    assert dict(TOTPDevice.objects.values_list("user__username", "key")) == secrets


def test_one_account_per_role_linked_to_its_records(demo):
    # Besides the logins, the organisations that applied to the operating-group call, and the
    # accounts of the internships' hosts, interns and mentors (none of them can log in).
    users = {
        u.username: u
        for u in User.objects.exclude(username__startswith="org-").exclude(
            username__startswith=GENERATED_PREFIX
        )
    }
    assert not any(
        u.has_usable_password() for u in User.objects.filter(username__startswith=GENERATED_PREFIX)
    )
    assert set(users) == {a.username for a in DEMO_ACCOUNTS}
    organisations = User.objects.filter(username__startswith="org-")
    assert {u.role for u in organisations} == {Role.COMPANY}
    assert Counter(u.role for u in users.values()) == {
        Role.OPERATOR: 1,
        Role.GROUP_STAFF: 7,
        Role.COMPANY: 1,
        Role.TRAINEE: 3,
        Role.MENTOR: 1,
        Role.EVALUATOR: 1,
        Role.VIEWER: 1,
    }
    for user in users.values():
        assert user.check_password(DEMO_PASSWORD)
        validate_password(DEMO_PASSWORD, user)
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        assert has_device == (user.role in SECOND_FACTOR_ROLES)
    for group in OperatingGroup.objects.filter(programme__code=PROGRAMME_CODE):
        assert [u.username for u in group.staff.all()] == [f"staff-{group.zone}"]
    company = users["company"].companies.get()
    assert company.region.zone == Zone.CAPITAL
    assert users["trainee"].trainee.region.zone == Zone.CAPITAL
    assert users["evaluator"].evaluator is not None
    assert users["operator"].is_superuser and not users["viewer"].is_staff


def _secret_code(secret: str) -> str:
    totp = TOTP(base64.b32decode(secret))
    return f"{totp.token():06d}"


def test_demo_logins_prints_every_login_and_second_factor_secrets(demo, client):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account.username in text
    assert DEMO_PASSWORD in text
    assert "http://127.0.0.1:8000/accounts/login/" in text
    secrets = dict(re.findall(r"^(\S+)\s+([A-Z2-7]{32})$", text, flags=re.M))
    with_totp = {a.username for a in DEMO_ACCOUNTS if a.role in SECOND_FACTOR_ROLES}
    assert "viewer" in with_totp
    assert set(secrets) == with_totp
    assert f"otpauth://totp/itda%3Aoperator?secret={secrets['operator']}" in text

    # the printed secret is the one the login page checks
    response = client.post(
        "/accounts/login/", {"username": "staff-capital", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    response = client.post("/accounts/otp/", {"token": _secret_code(secrets["staff-capital"])})
    assert response.status_code == 302
    assert client.get("/group/").status_code == 200

    # the ministry viewer, too, logs in with the printed secret
    viewer = client.__class__()
    viewer.post("/accounts/login/", {"username": "viewer", "password": DEMO_PASSWORD})
    assert viewer.get("/viewer/").url.startswith("/accounts/otp/")
    response = viewer.post("/accounts/otp/", {"token": _secret_code(secrets["viewer"])})
    assert response.status_code == 302
    assert viewer.get("/viewer/").status_code == 200
