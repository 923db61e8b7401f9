"""Reads for the staff side of training: the courses, sessions and venues a user manages (scoped
by ``visible_to``), a cohort's schedule, and a venue's week of bookings.

Courses belong to an operating group; its staff (and the national operator) manage them. A venue
is run by its operator organisation when it has one (the 스마트화관 by its own programme's
operator), otherwise by the groups whose regions cover the venue's region.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from itda.programs.models import OperatingGroup, Room, RoomKind, Venue
from itda.training.models import (
    BookingStatus,
    Cohort,
    Course,
    EnrollmentStatus,
    Module,
    RoomBooking,
    Session,
)

KST = ZoneInfo("Asia/Seoul")
# Rooms a company may request for a meeting: the open Business Zone (회의실).
MEETING_ROOM_KINDS = (RoomKind.MEETING,)


def courses_for(user) -> QuerySet:
    """Courses of the user's groups, each with its total hours and number of cohorts."""
    return (
        Course.objects.visible_to(user)
        .select_related("operating_group", "track")
        .annotate(
            # Subqueries, not joins: modules × cohorts in one join would multiply the hours.
            hours=Coalesce(
                Subquery(
                    Module.objects.filter(course=OuterRef("pk"))
                    .order_by()
                    .values("course")
                    .annotate(total=Sum("hours"))
                    .values("total")
                ),
                0,
            ),
            cohort_count=Coalesce(
                Subquery(
                    Cohort.objects.filter(course=OuterRef("pk"))
                    .order_by()
                    .values("course")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        )
        .order_by("operating_group__name", "audience", "code")
    )


def sessions_for(user) -> QuerySet:
    """Sessions of the user's groups' cohorts."""
    return Session.objects.visible_to(user).select_related(
        "cohort__course__operating_group", "booking__room__venue"
    )


def venues_for(user) -> QuerySet:
    """Venues the user's groups run (every venue for the national operator)."""
    return Venue.objects.visible_to(user).select_related("region").order_by("name")


def group_rooms(group: OperatingGroup) -> QuerySet:
    """Rooms of the venues the group runs (where its sessions can take place): those it
    operates, and those with no operator in its regions."""
    return (
        Room.objects.filter(
            Q(venue__operator=group)
            | Q(venue__operator__isnull=True, venue__region__in=group.regions.all())
        )
        .select_related("venue")
        .order_by("venue__name", "name")
    )


def meeting_rooms() -> QuerySet:
    """Rooms companies may request for meetings (the Business Zone)."""
    return (
        Room.objects.filter(kind__in=MEETING_ROOM_KINDS)
        .select_related("venue")
        .order_by("venue__name", "name")
    )


def meeting_rooms_taken(*, since: datetime.datetime, days: int = 14) -> QuerySet:
    """When the meeting rooms are held in the coming days: times only, for companies choosing a
    slot (who holds them, and why, is not theirs to see)."""
    return (
        RoomBooking.objects.holding()
        .filter(
            room__in=meeting_rooms(),
            during__overlap=(since, since + datetime.timedelta(days=days)),
        )
        .select_related("room")
        .only("during", "room__name")
        .order_by("during")
    )


def cohort_schedule(cohort: Cohort) -> QuerySet:
    """The cohort's sessions in order, with room and module, and whether attendance exists."""
    return (
        Session.objects.filter(cohort=cohort)
        .select_related("booking__room__venue", "module")
        .annotate(records=Count("attendances"))
        .order_by("starts_at", "number")
    )


def cohort_counts(cohort: Cohort) -> dict:
    """Enrolled and waitlisted counts of a cohort."""
    return cohort.enrollments.aggregate(
        enrolled=Count("pk", filter=Q(status=EnrollmentStatus.ENROLLED)),
        waitlisted=Count("pk", filter=Q(status=EnrollmentStatus.WAITLISTED)),
    )


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week containing ``day``."""
    return day - datetime.timedelta(days=day.weekday())


# The hours a venue's week always shows (a working day); bookings outside widen the grid.
DAY_HOURS = (9, 18)


@dataclass(frozen=True)
class Slot:
    """One booking in one hour of one day: ``first`` in the hour it starts that day (where the
    page shows its times, room and purpose), a continuation in the hours after."""

    booking: RoomBooking
    first: bool


def venue_week(venue: Venue, monday: datetime.date) -> dict:
    """A venue's week as a calendar: seven KST days × hourly slots (09–18, widened to every
    booking of the week), each cell the approved and requested bookings of any of the venue's
    rooms holding part of that hour. One query whatever the number of bookings."""
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    start = datetime.datetime.combine(monday, datetime.time(), KST)
    end = start + datetime.timedelta(days=7)
    hour = datetime.timedelta(hours=1)
    bookings = (
        RoomBooking.objects.filter(
            room__venue=venue,
            status__in=(BookingStatus.APPROVED, BookingStatus.REQUESTED),
            during__overlap=(start, end),
        )
        .select_related("room", "company", "session__cohort__course")
        .order_by("during", "room__name")
    )
    cells: dict = defaultdict(list)
    for booking in bookings:
        # Walk the booking hour by hour in KST (clipped to the week): each hour it touches on
        # each day is one cell; the first of each day carries the details.
        lower = max(booking.during.lower, start).astimezone(KST)
        upper = min(booking.during.upper, end).astimezone(KST)
        at = lower.replace(minute=0, second=0, microsecond=0)
        shown_on = None
        while at < upper:
            day = at.date()
            cells[(day, at.hour)].append(Slot(booking=booking, first=shown_on != day))
            shown_on = day
            at += hour
    first_hour = min([DAY_HOURS[0], *(h for _, h in cells)])
    last_hour = max([DAY_HOURS[1] - 1, *(h for _, h in cells)])
    return {
        "days": days,
        "slots": [
            {"hour": h, "cells": [cells.get((day, h), []) for day in days]}
            for h in range(first_hour, last_hour + 1)
        ],
    }
