"""Synthetic demo data as plain rows: companies, trainees and evaluators for a reference world.

Pure: no database, no clock, no unseeded randomness. The same (world, seed, scale) always gives
the same rows; ``itda.demo.services`` turns them into database rows in bulk. Every person is
made up, every account number belongs to a fictional bank, and no resident registration number
(주민등록번호) is produced anywhere.

At scale 1 the numbers follow the MSS 2026 call: about 1,000 company applicants (480 to be
selected), about 900 trainee applicants (600 to be selected) and a pool of 60 evaluators.
"""

from __future__ import annotations

import datetime
import functools
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from faker import Faker

from itda.demo import tables as t
from itda.lib.brn import brn_sequence

COMPANIES_AT_SCALE_1 = 1_000
TRAINEES_AT_SCALE_1 = 900
EVALUATORS_AT_SCALE_1 = 60
EVALUATORS_MIN = 9

_PHONE_SPACE = 80_000_000  # 010-2000-0000 … 010-9999-9999
_PHONE_STRIDE = 27_182_819  # coprime to the space: i → stride·i + shift is a bijection
_EVALUATOR_PHONE_OFFSET = 12_345_679  # evaluators' indices never meet trainees'

_YOUTH = (datetime.date(1992, 1, 1).toordinal(), datetime.date(2005, 12, 31).toordinal())
_CAREER_CHANGERS = (datetime.date(1978, 1, 1).toordinal(), datetime.date(1991, 12, 31).toordinal())
_YOUTH_SHARE = 0.85


@dataclass(frozen=True)
class ComplexInfo:
    id: int
    name: str


@dataclass(frozen=True)
class RegionInfo:
    id: int
    code: str
    name: str
    short_name: str
    zone: str
    complexes: tuple[ComplexInfo, ...] = ()


@dataclass(frozen=True)
class World:
    """What the generator needs from the reference data, in a fixed order."""

    regions: tuple[RegionInfo, ...]
    track1_id: int | None = None  # OJT internship track
    track2_id: int | None = None  # manufacturing-AI (PBL) track


def scaled(base: int, scale: float) -> int:
    """``base × scale`` rounded, at least one."""
    return max(1, round(base * scale))


def company_weight(region: RegionInfo) -> float:
    """Where companies are: a base weight plus a weight per industrial complex."""
    return t.COMPANY_BASE_WEIGHT + t.COMPANY_WEIGHT_PER_COMPLEX * len(region.complexes)


def population_weight(region: RegionInfo) -> float:
    """Where job seekers are: where people live."""
    return float(t.POPULATION.get(region.short_name, t.DEFAULT_POPULATION))


@functools.cache
def _faker() -> Faker:
    # Building a Faker loads every provider (~0.1 s); reseeded before each use.
    return Faker("ko_KR")


def _seeded(seed: int, part: str) -> tuple[random.Random, Faker]:
    """An independent stream per part, so changing one part never reshuffles another."""
    fake = _faker()
    fake.seed_instance(f"itda-demo:{seed}:{part}:faker")
    return random.Random(f"itda-demo:{seed}:{part}"), fake


class _Weighted:
    """Fast repeated weighted choice (cumulative weights, bisect)."""

    def __init__(self, items: Sequence, weights: Sequence[float]):
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.total)]


def _mobile(index: int, shift: int) -> str:
    v = (index * _PHONE_STRIDE + shift) % _PHONE_SPACE
    return f"010-{2000 + v // 10_000}-{v % 10_000:04d}"


def _phone_shift(seed: int) -> int:
    return random.Random(f"itda-demo:{seed}:phones").randrange(_PHONE_SPACE)


def _district(rng: random.Random, region: RegionInfo) -> str:
    return rng.choice(t.DISTRICTS.get(region.short_name, t.DEFAULT_DISTRICTS))


def _complex_district(complex_: ComplexInfo) -> str | None:
    for fragment, district in t.COMPLEX_DISTRICTS:
        if fragment in complex_.name:
            return district
    return None


def _company_name(rng: random.Random, suffixes: Sequence[str]) -> str:
    stem = rng.choice(t.NAME_STEMS) + rng.choice(suffixes)
    form = rng.random()
    if form < 0.45:
        return f"(주){stem}"
    if form < 0.65:
        return f"{stem}(주)"
    if form < 0.8:
        return f"주식회사 {stem}"
    return stem


def _landline(rng: random.Random, region: RegionInfo) -> str:
    area = t.AREA_CODES.get(region.short_name, "070")
    return f"{area}-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"


def companies(world: World, *, seed: int, scale: float) -> list[dict]:
    """About 1,000 × scale company applicants: field values for ``programs.Company``."""
    n = scaled(COMPANIES_AT_SCALE_1, scale)
    rng, fake = _seeded(seed, "companies")
    regions = _Weighted(world.regions, [company_weight(r) for r in world.regions])
    industries = {
        r.short_name: _Weighted(
            [name for name, _, _ in t.MANUFACTURING],
            [w * (t.CLUSTER_BOOST if r.short_name in cl else 1) for _, w, cl in t.MANUFACTURING],
        )
        for r in world.regions
    }
    ai_industries = _Weighted([n_ for n_, _ in t.AI_INDUSTRIES], [w for _, w in t.AI_INDUSTRIES])
    sizes = {
        kind: _Weighted([(s, span) for s, _, span in rows], [w for _, w, _ in rows])
        for kind, rows in t.SIZES.items()
    }
    offices = [f"{c}" for c in rng.sample(range(101, 900), 60)]  # 세무서 codes
    rows = []
    for brn in brn_sequence(n, offices=offices):
        region = regions.pick(rng)
        if rng.random() < t.AI_SUPPLIER_SHARE:
            kind = "ai_supplier"
            industry = ai_industries.pick(rng)
            suffixes = t.AI_SUFFIXES
        else:
            kind = "smart_factory"
            industry = industries[region.short_name].pick(rng)
            suffixes = t.NAME_SUFFIXES[industry]
        size, (low, high) = sizes[kind].pick(rng)
        complex_ = None
        if region.complexes and kind == "smart_factory" and rng.random() < t.IN_COMPLEX_SHARE:
            complex_ = rng.choice(region.complexes)
        district = (complex_ and _complex_district(complex_)) or _district(rng, region)
        road = rng.choice(t.INDUSTRIAL_ROADS)
        rows.append(
            {
                "name": _company_name(rng, suffixes),
                "business_number": brn,
                "representative": fake.last_name() + fake.first_name(),
                "kind": kind,
                "size": size,
                "industry": industry,
                "region_id": region.id,
                "complex_id": complex_.id if complex_ else None,
                "address": f"{region.name} {district} {road} {rng.randint(1, 480)}",
                # Skewed toward the small end of each size band, as firms are.
                "employees": low + int((high - low) * rng.random() ** 2),
                "phone": _landline(rng, region),
            }
        )
    return rows


def _birth_date(rng: random.Random) -> datetime.date:
    low, high = _YOUTH if rng.random() < _YOUTH_SHARE else _CAREER_CHANGERS
    return datetime.date.fromordinal(rng.randint(low, high))


def _demo_account(rng: random.Random) -> str:
    # 3-4-4-2 digits: never six digits in a row, so nothing can read like an RRN.
    return (
        f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}-"
        f"{rng.randint(0, 9999):04d}-{rng.randint(10, 99)}"
    )


def trainees(world: World, *, seed: int, scale: float) -> list[dict]:
    """About 900 × scale trainee applicants: field values for ``programs.Trainee``."""
    n = scaled(TRAINEES_AT_SCALE_1, scale)
    rng, fake = _seeded(seed, "trainees")
    regions = _Weighted(world.regions, [population_weight(r) for r in world.regions])
    education = _Weighted([e for e, _ in t.EDUCATION], [w for _, w in t.EDUCATION])
    shift = _phone_shift(seed)
    rows = []
    for i in range(n):
        region = regions.pick(rng)
        level = education.pick(rng)
        track2 = rng.random() < t.TRACK2_SHARE
        majors = t.MAJORS_TRACK2 if track2 else t.MAJORS_TRACK1
        major = rng.choice(majors["high_school" if level == "high_school" else "other"])
        address = (
            f"{region.name} {_district(rng, region)} {rng.choice(t.RESIDENTIAL_ROADS)} "
            f"{rng.randint(1, 300)}"
        )
        if rng.random() < 0.6:
            address += f", {rng.randint(101, 125)}동 {rng.randint(1, 25)}{rng.randint(1, 8):02d}호"
        has_account = rng.random() < 0.9
        rows.append(
            {
                "name": fake.last_name() + fake.first_name(),
                "birth_date": _birth_date(rng),
                "phone": _mobile(i, shift),
                "email": f"{fake.user_name()}{i}@example.com",
                "region_id": region.id,
                "address": address,
                "education": level,
                "major": major,
                "preferred_track_id": world.track2_id if track2 else world.track1_id,
                "bank_name": rng.choice(t.DEMO_BANKS) if has_account else "",
                "bank_account": _demo_account(rng) if has_account else "",
            }
        )
    return rows


def evaluators(world: World, *, seed: int, scale: float) -> list[dict]:
    """About 60 × scale evaluators (at least nine): field values for ``evaluation.Evaluator``."""
    # Never fewer than the largest panel (the company call's nine).
    n = max(EVALUATORS_MIN, scaled(EVALUATORS_AT_SCALE_1, scale))
    rng, fake = _seeded(seed, "evaluators")
    by_short = {r.short_name: r for r in world.regions}
    company_regions = _Weighted(world.regions, [company_weight(r) for r in world.regions])
    kinds = _Weighted([k for k, _ in t.AFFILIATION_KINDS], [w for _, w in t.AFFILIATION_KINDS])
    shift = _phone_shift(seed)
    rows = []
    for i in range(n):
        kind = kinds.pick(rng)
        if kind == "industry":
            region = company_regions.pick(rng)
            affiliation = _company_name(rng, ["컨설팅", "시스템즈", "테크", "엔지니어링"])
        else:
            affiliation, short = rng.choice(
                t.UNIVERSITIES if kind == "university" else t.INSTITUTES
            )
            region = by_short.get(short) or rng.choice(world.regions)
        fields = rng.sample(t.EXPERTISE, rng.choice((1, 2)))
        rows.append(
            {
                "name": fake.last_name() + fake.first_name(),
                "affiliation": affiliation,
                "position": rng.choice(t.POSITIONS[kind]),
                "expertise": ", ".join(fields),
                "phone": _mobile(_EVALUATOR_PHONE_OFFSET + i, shift),
                "email": f"evaluator{i:05d}@example.com",
                "region_id": region.id,
            }
        )
    return rows
