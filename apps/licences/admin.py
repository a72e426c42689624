from django.contrib import admin

from apps.licences.models import LicenceType


@admin.register(LicenceType)
class LicenceTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "issuing_authority"]
    search_fields = ["name", "code"]
