"""Placements made before they carried the group that ran their round: the group is read from
the round their origin names ("match-round:<id> match-run:<id> (...)"). Lives in matching,
the app that knows rounds; internships stays unaware of them."""

import re

from django.db import migrations

_ROUND = re.compile(r"^match-round:(\d+) ")


def backfill(apps, schema_editor):
    Placement = apps.get_model("internships", "Placement")
    MatchRound = apps.get_model("matching", "MatchRound")
    groups = dict(MatchRound.objects.values_list("pk", "operating_group_id"))
    for placement in Placement.objects.filter(operating_group__isnull=True).only("origin"):
        match = _ROUND.match(placement.origin)
        group = groups.get(int(match.group(1))) if match else None
        if group is not None:
            Placement.objects.filter(pk=placement.pk).update(operating_group_id=group)


class Migration(migrations.Migration):
    dependencies = [
        ("internships", "0005_internship_agreement"),
        ("matching", "0003_korean_wording"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
