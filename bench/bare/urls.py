from django.urls import path
from django.views.generic import ListView
from ninja import NinjaAPI, Schema
from ninja.pagination import PageNumberPagination, paginate

from bare.models import Company

api = NinjaAPI()


class CompanyOut(Schema):
    id: int
    name: str
    business_number: str
    representative: str
    industry: str
    address: str
    employees: int
    phone: str


@api.get("/companies", response=list[CompanyOut])
@paginate(PageNumberPagination, page_size=50)
def companies(request):
    return Company.objects.all()


urlpatterns = [
    path("companies/", ListView.as_view(model=Company, paginate_by=50)),
    path("api/", api.urls),
]
