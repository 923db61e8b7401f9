from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "itda.programs"
    label = "programs"
    verbose_name = "사업·기준정보"

    def reference_load(self, *, actor=None) -> dict[str, int]:
        """`load_reference` hook: regions, complexes, plans, programmes and venues."""
        from itda.programs.services import reference_load

        return reference_load(actor=actor)
