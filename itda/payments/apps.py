from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "itda.payments"
    label = "payments"
    verbose_name = "수당"

    def reference_load(self, *, actor=None) -> dict[str, int]:
        """Seed the MSS 2026 training allowance rule (``manage.py load_reference``); safe to run
        twice."""
        from itda.payments.services import allowance_rule_seed

        return allowance_rule_seed(actor=actor)
