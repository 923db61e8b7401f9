from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "itda.training"
    label = "training"
    verbose_name = "교육"

    def reference_load(self, *, actor=None) -> dict[str, int]:
        """`load_reference` hook: the programmes' training rules."""
        from itda.training.reference import training_rules_load

        return training_rules_load(actor=actor)
