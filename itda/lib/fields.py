"""Model fields shared by several apps."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
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


def encrypted_fields_rotate(batch_size: int = 1000) -> int:
    """Re-encrypt every encrypted value not under the current key; returns how many changed.

    Each batch is one transaction and rows are locked while rewritten, so it is safe to run
    while the site serves requests and safe to run twice.
    """
    from django.apps import apps
    from django.db import connection, transaction

    ring = keyring()
    changed = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, EncryptedCharField):
                continue
            table, column = model._meta.db_table, field.column
            pk = model._meta.pk.column
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(
                        f'SELECT "{pk}", "{column}" FROM "{table}" '  # noqa: S608 - our names
                        f'WHERE "{column}" <> \'\' AND "{column}" NOT LIKE %s '
                        f'ORDER BY "{pk}" LIMIT %s FOR UPDATE',
                        [f"{ring.current}$%", batch_size],
                    )
                    rows = cursor.fetchall()
                    for row_pk, token in rows:
                        cursor.execute(
                            f'UPDATE "{table}" SET "{column}" = %s WHERE "{pk}" = %s',  # noqa: S608
                            [ring.encrypt(ring.decrypt(token)), row_pk],
                        )
                changed += len(rows)
                if len(rows) < batch_size:
                    break
    return changed


class BoundedTextField(models.TextField):
    """Free text with a length the model enforces, not only the form: a TextField's
    ``max_length`` alone reaches the form's textarea and nothing else."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))
