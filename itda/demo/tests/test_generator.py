"""The pure generator: deterministic, proportional to scale, weighted, and free of RRNs."""

import datetime
import re
from collections import Counter

from itda.demo import generator
from itda.demo.generator import ComplexInfo, RegionInfo, World
from itda.lib.brn import brn_is_valid

RRN = re.compile(r"\d{6}-[1-4]\d{6}")

WORLD = World(
    regions=(
        RegionInfo(1, "11", "서울특별시", "서울", "capital"),
        RegionInfo(2, "26", "부산광역시", "부산", "dongnam",
                   tuple(ComplexInfo(10 + i, f"부산{i}산업단지") for i in range(5))),
        RegionInfo(3, "41", "경기도", "경기", "capital",
                   (ComplexInfo(20, "반월시화국가산업단지"), ComplexInfo(21, "시화MTV"))),
        RegionInfo(4, "50", "제주특별자치도", "제주", "jeju"),
        RegionInfo(5, "43", "충청북도", "충북", "chungcheong"),
    ),
    track1_id=101,
    track2_id=102,
)  # fmt: skip


def _all(seed=1, scale=1.0):
    return (
        generator.companies(WORLD, seed=seed, scale=scale),
        generator.trainees(WORLD, seed=seed, scale=scale),
        generator.evaluators(WORLD, seed=seed, scale=scale),
    )


def test_same_seed_same_rows_other_seed_other_names():
    first, again, other = _all(seed=7), _all(seed=7), _all(seed=8)
    assert first == again
    assert [c["name"] for c in first[0]] != [c["name"] for c in other[0]]
    assert [t["name"] for t in first[1]] != [t["name"] for t in other[1]]


def test_counts_follow_the_scale():
    companies, trainees, evaluators = _all(scale=1)
    assert (len(companies), len(trainees), len(evaluators)) == (1_000, 900, 60)
    companies, trainees, evaluators = _all(scale=0.5)
    assert (len(companies), len(trainees), len(evaluators)) == (500, 450, 30)
    # At least one of each, and never fewer evaluators than the largest panel (nine).
    assert [len(rows) for rows in _all(scale=0.0001)] == [1, 1, 9]


def test_identifiers_are_valid_and_unique():
    companies, trainees, evaluators = _all(scale=3)
    numbers = [c["business_number"] for c in companies]
    assert len(set(numbers)) == len(numbers)
    assert all(brn_is_valid(n) for n in numbers)
    phones = [t["phone"] for t in trainees] + [e["phone"] for e in evaluators]
    assert len(set(phones)) == len(phones)
    assert all(re.fullmatch(r"010-[2-9]\d{3}-\d{4}", p) for p in phones)


def test_no_value_looks_like_a_resident_registration_number():
    for rows in _all(scale=2):
        for row in rows:
            for value in row.values():
                assert not RRN.search(str(value)), row


def test_companies_follow_the_complexes():
    companies = generator.companies(WORLD, seed=1, scale=5)
    per_region = Counter(c["region_id"] for c in companies)
    # 부산 (5 complexes) > 경기 (2) > each region without a complex
    assert per_region[2] > per_region[3] > max(per_region[1], per_region[4], per_region[5])
    complexes_of = {r.id: {c.id for c in r.complexes} for r in WORLD.regions}
    in_complex = [c for c in companies if c["complex_id"]]
    assert in_complex
    assert all(c["complex_id"] in complexes_of[c["region_id"]] for c in in_complex)
    kinds = Counter(c["kind"] for c in companies)
    assert 0.12 < kinds["ai_supplier"] / len(companies) < 0.18


def test_trainees_are_mostly_young_and_split_between_tracks():
    trainees = generator.trainees(WORLD, seed=1, scale=2)
    young = [
        t for t in trainees
        if datetime.date(1992, 1, 1) <= t["birth_date"] <= datetime.date(2005, 12, 31)
    ]  # fmt: skip
    assert len(young) / len(trainees) > 0.8
    tracks = Counter(t["preferred_track_id"] for t in trainees)
    assert 0.13 < tracks[102] / len(trainees) < 0.21
    assert tracks[101] + tracks[102] == len(trainees)
    per_region = Counter(t["region_id"] for t in trainees)
    assert per_region[3] > per_region[4]  # 경기 has more people than 제주
    assert all(t["email"].endswith("@example.com") for t in trainees)
