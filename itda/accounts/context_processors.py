"""The main navigation, per role."""

from django.urls import reverse

from itda.accounts.roles import Role

_PUBLIC = [
    ("공모·모집", "recruitment:call_list"),
    ("사업 안내", "programs:programme_list"),
    ("산단 대개조", "programs:plan_list"),
    ("산업단지", "programs:complex_list"),
    ("시·도", "programs:region_list"),
]


def navigation(request) -> dict:
    """``nav_items`` for base.html: the public reference pages, then the role's own pages."""
    entries = list(_PUBLIC)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        entries.insert(0, ("내 업무", "accounts:home"))
        if user.role in (Role.COMPANY, Role.TRAINEE):
            entries.insert(1, ("내 신청", "recruitment:my_applications"))
        if user.role == Role.TRAINEE:
            entries.insert(2, ("내 교육", "my_training:my_training"))
        if user.role in (Role.OPERATOR, Role.GROUP_STAFF):
            entries.append(("출결 정정", "attendance:corrections"))
        if user.role == Role.OPERATOR:
            entries.append(("접속기록", "accounts:access_log"))
    items = []
    for label, name in entries:
        url = reverse(name)
        items.append(
            {"label": label, "url": url, "active": request.path.startswith(url) and url != "/"}
        )
    return {"nav_items": items}
