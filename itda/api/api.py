"""The versioned REST API (/api/v1/): reference data, the scoped registries, the caller."""

from ninja import NinjaAPI

from itda.api import docs, errors
from itda.api.routers import (
    accounts,
    internships,
    matching,
    payments,
    pipeline,
    programs,
    recruitment,
)


class ItdaApi(NinjaAPI):
    """ninja's API with every operation's error answers in its OpenAPI schema."""

    def get_openapi_schema(self, **kwargs):
        return errors.document(super().get_openapi_schema(**kwargs))


api = ItdaApi(
    title="itda API",
    version="1",
    description=(
        "잇다(itda) 스마트제조 인력양성 사업 API. 참조 데이터는 공개, 기업·교육생 정보는 "
        "API 토큰(`Authorization: Bearer itda_...`) 또는 로그인 세션으로 조회하며, "
        "개인정보는 마스킹되고 조회는 접속기록에 남습니다."
    ),
    urls_namespace="api",
    docs=docs.LocalSwagger(),
)
errors.install(api)


@api.get("/docs/assets/{name}", auth=None, include_in_schema=False, url_name="docs-asset")
def docs_asset(request, name: str):
    """Swagger UI's files, from the ninja package (see itda.api.docs)."""
    return docs.asset_response(name)


api.add_router("", accounts.router)
api.add_router("", programs.router)
api.add_router("", recruitment.router)
api.add_router("", matching.router)
api.add_router("", internships.router)
api.add_router("", payments.router)
api.add_router("", pipeline.router)
