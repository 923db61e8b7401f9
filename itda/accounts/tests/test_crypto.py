"""Account numbers are encrypted at rest (AES-GCM) and keys can rotate."""

import base64

import pytest
from cryptography.exceptions import InvalidTag
from django.core.management import call_command
from django.db import connection

from itda import factories
from itda.lib.crypto import KeyRing
from itda.programs.models import Trainee

K1 = "k1:" + base64.b64encode(b"1" * 32).decode()
K2 = "k2:" + base64.b64encode(b"2" * 32).decode()


def _raw(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT bank_account FROM programs_trainee WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_account_number_is_not_stored_in_plaintext(regions):
    t = factories.TraineeFactory(region=regions["seoul"], bank_account="333-4444-555555")
    raw = _raw(t.pk)
    assert "4444" not in raw and "555555" not in raw and raw.startswith("dev1$")
    assert Trainee.objects.get(pk=t.pk).bank_account == "333-4444-555555"


def test_tampered_ciphertext_is_rejected():
    ring = KeyRing(K1)
    token = ring.encrypt("123-456")
    kid, _, b64 = token.partition("$")
    raw = bytearray(base64.b64decode(b64))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        ring.decrypt(f"{kid}${base64.b64encode(bytes(raw)).decode()}")


@pytest.mark.django_db
def test_rotation_re_encrypts_with_the_new_key(regions, settings):
    settings.FIELD_ENCRYPTION_KEYS = K1
    t = factories.TraineeFactory(region=regions["seoul"], bank_account="777-888-999999")
    assert _raw(t.pk).startswith("k1$")
    settings.FIELD_ENCRYPTION_KEYS = f"{K2},{K1}"
    call_command("rotate_field_keys")
    assert _raw(t.pk).startswith("k2$")
    settings.FIELD_ENCRYPTION_KEYS = K2  # the old key is retired
    assert Trainee.objects.get(pk=t.pk).bank_account == "777-888-999999"
