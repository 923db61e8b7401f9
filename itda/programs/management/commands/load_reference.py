"""Load the reference data drawn from the seed documents; safe to run twice."""

from django.core.management.base import BaseCommand

from itda.programs.services import reference_load_all


class Command(BaseCommand):
    help = (
        "Load (or refresh) regions, complexes, 대개조 plans, programmes and venues, and every "
        "other app's reference data (training rules, …)."
    )

    def handle(self, *args, **options):
        counts = reference_load_all()
        summary = ", ".join(f"{name}={n}" for name, n in counts.items())
        self.stdout.write(f"reference data loaded: {summary}")
