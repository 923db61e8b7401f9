"""Model fields shared by several apps."""

from django.conf import settings
from django.db import models

from itda.lib.crypto import KeyRing


def keyring() -> KeyRing:
    """The key ring from settings (read each time so tests can override the setting)."""
    return KeyRing(settings.FIELD_ENCRYPTION_KEYS)


class EncryptedCharField(models.TextField):
    """A string stored AES-GCM encrypted; Python code sees plaintext, the database never does.

    Not searchable or sortable by value, on purpose.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return keyring().encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return keyring().decrypt(value)
