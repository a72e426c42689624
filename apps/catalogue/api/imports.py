"""The catalogue import as an API: what the import page does (``apps.catalogue.import_views``),
through the same services (``apps.catalogue.import_jobs``).

- ``GET  /api/v1/catalogue/imports/template/``: the template workbook;
- ``POST /api/v1/catalogue/imports/`` (multipart: ``file``, optional ``publish``): upload; the dry run
  is queued and the job returned (202);
- ``GET  /api/v1/catalogue/imports/{id}/``: state, stage, percent and, once finished, the report
  (counts by sheet, planned changes, row errors by sheet, row, column and rule);
- ``POST /api/v1/catalogue/imports/{id}/apply/``: apply a job whose dry run found no problem (202).

Any logged-in person may call it; the services refuse whoever may not import (403), and each person
sees only their own jobs.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from apps.accounts.permissions import ImportsCatalogue
from apps.catalogue import import_jobs
from apps.catalogue.models import ImportJob
from apps.catalogue.transfer.template import FILENAME as TEMPLATE_FILENAME
from apps.catalogue.transfer.template import template_workbook
from apps.core.downloads import XLSX, workbook_download
from apps.core.errors import error_text


class ImportJobSerializer(serializers.ModelSerializer):
    stage_label = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "file_name",
            "fmt",
            "publish",
            "mode",
            "state",
            "state_label",
            "stage",
            "stage_label",
            "percent",
            "created_at",
            "finished_at",
            "report",
            "error",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    publish = serializers.BooleanField(default=False)


class ImportJobViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [ImportsCatalogue]
    serializer_class = ImportJobSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a user
            return ImportJob.objects.none()
        return ImportJob.objects.filter(created_by=self.request.user)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer}, responses={202: ImportJobSerializer}
    )
    def create(self, request):
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            job = import_jobs.start_check(
                user=request.user,
                upload=upload.validated_data["file"],
                publish=upload.validated_data["publish"],
                language=getattr(request, "LANGUAGE_CODE", ""),
            )
        except PermissionDenied as refused:
            raise ApiPermissionDenied(str(refused)) from refused
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        job = self.get_object()
        try:
            job = import_jobs.start_apply(user=request.user, job_id=job.pk)
        except PermissionDenied as refused:
            raise ApiPermissionDenied(str(refused)) from refused
        except ValidationError as refused:
            raise ApiValidationError({"detail": error_text(refused)}) from refused
        job.refresh_from_db()
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def template(self, request):
        return workbook_download(template_workbook(), TEMPLATE_FILENAME)
