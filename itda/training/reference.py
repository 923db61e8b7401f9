"""Reference data of training: each programme's attendance and completion rule.

A rule is versioned, never edited: a version already in the database is left as it is, and a
changed rule is a new entry in reference_data/training_rules.json with a later
``effective_from`` (null means the programme's first day). Cohorts keep the version in force on
their first day, so loading a new version never rewrites a running cohort's record."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pghistory
from django.db import transaction

from itda.programs.models import Programme
from itda.training.models import TrainingRule

_FILE = Path(__file__).parent / "reference_data" / "training_rules.json"


@transaction.atomic
def training_rules_load(*, actor=None) -> dict[str, int]:
    """Create the rule versions in the file that are not in the database yet; safe to rerun."""
    rows = json.loads(_FILE.read_text(encoding="utf-8"))["training_rules"]
    programmes = {
        p.code: p for p in Programme.objects.filter(code__in={r["programme"] for r in rows})
    }
    created = 0
    context = {"source": "reference_load"} | ({"user": actor.pk} if actor else {})
    with pghistory.context(**context):
        for row in rows:
            values = dict(row)
            programme = programmes.get(values.pop("programme"))
            if programme is None:
                continue  # the programme's own reference data is not loaded
            when = values.pop("effective_from")
            when = datetime.date.fromisoformat(when) if when else programme.starts_on
            if TrainingRule.objects.filter(programme=programme, effective_from=when).exists():
                continue
            values["completion_min_rate"] = Decimal(values["completion_min_rate"])
            rule = TrainingRule(
                programme=programme, effective_from=when, created_by=actor, **values
            )
            # The file is typed by people: a refused value stops the load in Korean, with
            # nothing written (the whole load is one transaction).
            rule.full_clean()
            rule.save()
            created += 1
    return {"trainingrule": len(rows), "created": created, "updated": 0, "deleted": 0}
