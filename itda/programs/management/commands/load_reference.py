"""Load the reference data drawn from the seed documents; safe to run twice."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from itda.programs.services import reference_load_all


class Command(BaseCommand):
    help = (
        "Load (or refresh) regions, complexes, 대개조 plans, programmes and venues, and every "
        "other app's reference data (training rules, …)."
    )

    def handle(self, *args, **options):
        try:
            counts = reference_load_all()
        except ValidationError as exc:  # a value in a reference file outside its bounds
            raise CommandError(" ".join(exc.messages)) from exc
        summary = ", ".join(f"{name}={n}" for name, n in counts.items())
        self.stdout.write(f"reference data loaded: {summary}")
