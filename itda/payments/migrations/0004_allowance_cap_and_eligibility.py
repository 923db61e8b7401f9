import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0003_numeric_bounds"),
    ]

    operations = [
        # Lines computed before the cap existed were not capped: their rule amount is their
        # amount, and the next computation fills in the cap.
        migrations.AddField(
            model_name="allowanceline",
            name="uncapped_krw",
            field=models.PositiveIntegerField(default=0, verbose_name="한도 적용 전 산정액(원)"),
            preserve_default=False,
        ),
        migrations.RunSQL(
            "UPDATE payments_allowanceline SET uncapped_krw = amount_krw",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddField(
            model_name="allowanceline",
            name="cap_krw",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="1인당 한도(원)"),
        ),
        migrations.AddField(
            model_name="allowanceline",
            name="prior_krw",
            field=models.PositiveIntegerField(default=0, verbose_name="앞서 산정된 금액(원)"),
        ),
        migrations.AddField(
            model_name="allowanceline",
            name="ineligible",
            field=models.CharField(
                blank=True,
                choices=[("employed", "신청 시 재직자")],
                max_length=20,
                verbose_name="지급 제외 사유",
            ),
        ),
        migrations.AddConstraint(
            model_name="allowanceline",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount_krw__lte", models.F("uncapped_krw")))
                & (
                    models.Q(("cap_krw__isnull", True))
                    | models.Q(
                        (
                            "amount_krw__lte",
                            django.db.models.expressions.CombinedExpression(
                                models.F("cap_krw"), "-", models.F("prior_krw")
                            ),
                        )
                    )
                ),
                name="allowance_line_within_cap",
                violation_error_message="산정액이 1인당 한도를 넘습니다.",
            ),
        ),
        migrations.AddConstraint(
            model_name="allowanceline",
            constraint=models.CheckConstraint(
                condition=models.Q(("ineligible", "")) | models.Q(("uncapped_krw", 0)),
                name="allowance_line_ineligible_pays_nothing",
                violation_error_message="지급 제외 대상의 산정액은 0원이어야 합니다.",
            ),
        ),
    ]
