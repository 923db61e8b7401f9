"""Generate the demo data set: `manage.py generate_demo --seed 1 --scale 1`."""

from django.core.management.base import BaseCommand, CommandError

from itda.demo.services import DemoError, demo_generate


class Command(BaseCommand):
    help = "데모 데이터(기업·교육생·평가위원과 역할별 계정)를 만듭니다. load_reference 먼저."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="난수 시드 (기본 1)")
        parser.add_argument("--scale", type=float, default=1.0, help="규모 배수 (기본 1)")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="기존 기업·교육생·평가위원을 모두 지우고 다시 만듭니다 (데모 DB 전용)",
        )

    def handle(self, *args, seed, scale, reset, **options):
        try:
            result = demo_generate(seed=seed, scale=scale, reset=reset)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if not result.created:
            self.stdout.write(
                f"이미 자료가 있어 데모 데이터를 만들지 않았습니다 (기업 {result.companies:,}, "
                f"교육생 {result.trainees:,}, 평가위원 {result.evaluators:,}). "
                "다시 만들려면 --reset을 붙이세요."
            )
            return
        self.stdout.write(
            f"데모 데이터 생성 (seed={seed}, scale={scale:g}): 기업 {result.companies:,}, "
            f"교육생 {result.trainees:,}, 평가위원 {result.evaluators:,}, "
            f"계정 {result.users}, 기수 {result.training.cohorts:,}, "
            f"수강 {result.training.enrollments:,}, 출결 {result.training.attendances:,}, "
            f"인턴 자리 {result.linkage.positions:,}, 지망 {result.linkage.choices:,}, "
            f"인턴십 {result.employment.internships:,}, "
            f"{result.seconds:.1f}초"
        )
