"""A trainee's whole story for staff, stage by stage: application → selection → cohort →
attendance → completion → certificate → choices → match → internship → outcome. Each stage is
read through the scope rule, so staff see of a person only the rows their groups run or serve;
the page costs the same few queries for anyone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from itda.internships.models import HiringOutcome, Internship, Placement
from itda.matching.models import Interview, TraineeChoice
from itda.outcomes.selectors import Step, trainee_steps
from itda.programs.models import Trainee
from itda.recruitment.models import Application
from itda.training.models import Certificate, Enrollment
from itda.training.selectors import attendance_rate, attendance_tally


@dataclass
class Story:
    steps: list[Step]
    applications: list[Application]
    enrollments: list[Enrollment]
    certificates: list[Certificate]
    choices: list[TraineeChoice]
    interviews: list[Interview]
    placements: list[Placement]
    internships: list[Internship]
    outcomes: list[HiringOutcome]


def trainee_story(trainee: Trainee, user, now: datetime.datetime) -> Story:
    """Every stage's records of ``trainee`` that ``user`` may see, oldest stage first."""
    applications = (
        Application.objects.visible_to(user)
        .filter(trainee=trainee)
        .exclude(status="draft")
        .select_related("call")
        .order_by("submitted_at", "pk")
    )
    enrollments = attendance_tally(
        Enrollment.objects.visible_to(user)
        .filter(trainee=trainee)
        .select_related("cohort__course__operating_group", "cohort__rule")
        .order_by("cohort__starts_on", "pk"),
        as_of=now,
    )
    enrollments = list(enrollments)
    for e in enrollments:
        e.rate = attendance_rate(e.credited, e.scheduled)
    placements = (
        Placement.objects.visible_to(user)
        .filter(trainee=trainee)
        .select_related("position__company")
        .order_by("created_at", "pk")
    )
    return Story(
        steps=trainee_steps(trainee),
        applications=list(applications),
        enrollments=enrollments,
        certificates=list(
            Certificate.objects.visible_to(user)
            .filter(enrollment__trainee=trainee)
            .select_related("enrollment__cohort__course")
            .order_by("issued_at")
        ),
        choices=list(
            TraineeChoice.objects.visible_to(user)
            .filter(trainee=trainee)
            .select_related("round", "position__company")
            .order_by("round__trainee_deadline", "round_id", "rank")
        ),
        interviews=list(
            Interview.objects.visible_to(user)
            .filter(trainee=trainee)
            .select_related("position__company")
            .order_by("scheduled_at")
        ),
        placements=list(placements),
        internships=list(
            Internship.objects.visible_to(user)
            .filter(placement__trainee=trainee)
            .select_related("placement__position__company")
            .order_by("starts_on", "pk")
        ),
        outcomes=list(
            HiringOutcome.objects.visible_to(user)
            .filter(internship__placement__trainee=trainee)
            .order_by("reported_at", "pk")
        ),
    )
