"""The applicant's profile as submitted: what evaluators read about the applicant, frozen on the
application at submission so that a company or trainee editing its record afterwards does not
change what is scored.

A snapshot holds the facts the evaluation scheme needs and nothing more: never a trainee's
contact details, birth date or address (the name only masked), nor a company's representative,
BRN, address or telephone. Values are stored as codes and rendered by ``applicant_facts``, the
one place that turns a snapshot into the labelled list evaluators see.
"""

from __future__ import annotations

from itda.lib.masking import mask_name
from itda.programs.models import CompanyKind, CompanySize, Education, SmartFactoryLevel

_BATCH = 500


def profile_snapshot(
    *, company=None, trainee=None, organisation_name: str = "", region=None
) -> dict:
    """The facts of one applicant (a company, a trainee, or else an organisation or region) as
    they stand now. Works on historical models too (the backfill migration): it reads fields
    only, never model methods."""
    if trainee is not None:
        return {
            "name": mask_name(trainee.name),
            "education": trainee.education,
            "major": trainee.major,
        }
    if company is not None:
        return {
            "name": company.name,
            "kind": company.kind,
            "industry": company.industry,
            "size": company.size,
            "region": company.region.name,
            "smart_factory_level": company.smart_factory_level,
            "ksx9001_level": company.ksx9001_level,
            "ai_solution": company.ai_solution,
        }
    return {"name": organisation_name or region.name, "region": region.name}


def application_snapshot(application) -> dict:
    """``profile_snapshot`` of the application's own applicant (the application's region is
    read only for an organisation, so a bulk import does not fetch it row by row)."""
    if application.trainee_id:
        return profile_snapshot(trainee=application.trainee)
    if application.company_id:
        return profile_snapshot(company=application.company)
    return profile_snapshot(
        organisation_name=application.organisation_name, region=application.region
    )


def _label(choices, code) -> str:
    return dict(choices).get(code, code) if code else "-"


def applicant_facts(application) -> list[tuple[str, str]]:
    """What the scheme needs to know about the applicant, as submitted, labelled for the
    evaluator; the call's track is the call's, not the applicant's."""
    facts = application.profile_snapshot
    call = application.call
    if application.trainee_id:
        return [
            ("성명", facts["name"]),
            ("트랙", call.track.name if call.track_id else "-"),
            ("최종학력", _label(Education.choices, facts["education"])),
            ("전공", facts["major"] or "-"),
        ]
    if application.company_id:
        level = facts["ksx9001_level"]
        smart_factory = _label(SmartFactoryLevel.choices, facts["smart_factory_level"])
        return [
            ("기업명", facts["name"]),
            ("유형", _label(CompanyKind.choices, facts["kind"])),
            ("업종", facts["industry"]),
            ("규모", _label(CompanySize.choices, facts["size"])),
            ("소재지", facts["region"]),
            ("스마트공장 구축 수준", smart_factory),
            ("KS X 9001 수준", f"{level}수준" if level else "-"),
            ("공급 제조AI 솔루션", facts["ai_solution"] or "-"),
        ]
    return [("기관명", facts["name"]), ("시·도", facts["region"])]


def applicant_label(application) -> str:
    """Who applied, as an evaluator may see it (a trainee's name is stored masked)."""
    return application.profile_snapshot["name"]


def snapshots_backfill(application_model) -> int:
    """Give every application submitted before snapshots existed the profile its applicant has
    now: the best record left of what was submitted. ``application_model`` is the migration's
    historical model or the real one; returns how many were filled."""
    rows = (
        application_model.objects.filter(submitted_at__isnull=False, profile_snapshot={})
        .select_related("company__region", "trainee", "region")
        .order_by("pk")
    )
    batch = []
    count = 0
    for application in rows.iterator(chunk_size=_BATCH):
        application.profile_snapshot = application_snapshot(application)
        batch.append(application)
        if len(batch) == _BATCH:
            application_model.objects.bulk_update(batch, ["profile_snapshot"])
            count += len(batch)
            batch = []
    application_model.objects.bulk_update(batch, ["profile_snapshot"])
    return count + len(batch)
