"""The seven roles. Kept apart from models so the scope rule can import them cheaply."""

from django.db import models


class Role(models.TextChoices):
    OPERATOR = "operator", "전담기관 운영자"
    GROUP_STAFF = "group_staff", "사업단 담당자"
    COMPANY = "company", "기업 담당자"
    TRAINEE = "trainee", "교육생"
    EVALUATOR = "evaluator", "평가위원"
    VIEWER = "viewer", "부처·지자체 열람자"
    # A company user whose one job is mentoring that company's interns; a company manager
    # names them (internships.Mentor). Scoped to the company like its managers.
    MENTOR = "mentor", "멘토"


# PIPA 제6조②: people who handle others' personal data log in with a second factor.
STAFF_ROLES = frozenset({Role.OPERATOR, Role.GROUP_STAFF, Role.EVALUATOR})
# Who runs a programme's calls, courses, cohorts, rounds and rooms: the national operator and
# operating-group staff (each within their scope).
PROGRAMME_STAFF = (Role.OPERATOR, Role.GROUP_STAFF)

# The ministry viewer handles no personal data but sees programme-wide figures before they are
# published; it logs in with a second factor too. Other roles may enrol one (accounts:otp_enrol).
SECOND_FACTOR_ROLES = STAFF_ROLES | {Role.VIEWER}
