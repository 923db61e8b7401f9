from django.db import migrations


class Migration(migrations.Migration):
    """Statements computed before withholding existed: nothing was withheld, the gross is the
    amount."""

    dependencies = [("payments", "0007_statement_gross")]

    operations = [
        migrations.RunSQL(
            "UPDATE payments_statement SET gross_krw = amount_krw", migrations.RunSQL.noop
        )
    ]
