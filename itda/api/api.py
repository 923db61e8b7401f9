"""The versioned REST API (/api/v1/)."""

from ninja import NinjaAPI

api = NinjaAPI(title="itda API", version="1", urls_namespace="api")
