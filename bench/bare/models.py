from django.db import models


class Company(models.Model):
    """itda's company rows, read only."""

    name = models.CharField(max_length=100)
    business_number = models.CharField(max_length=10)
    representative = models.CharField(max_length=50)
    industry = models.CharField(max_length=100)
    address = models.CharField(max_length=200)
    employees = models.PositiveIntegerField()
    phone = models.CharField(max_length=20)

    class Meta:
        managed = False
        db_table = "programs_company"
        ordering = ["pk"]
