"""The intake API: the same services as the clerk's desk, with object-level permissions (a citizen
gets 404 for another's filing; staff see their centres' filings)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.models import ServiceCentre, Window
from apps.accounts.permissions import IsAuthenticated, Perm
from apps.audit.requests import client_ip as _client_ip
from apps.cases import online, selectors, services
from apps.cases.api import serializers as s
from apps.cases.api.filters import FilingFilter
from apps.cases.api.review_serializers import AnswerSerializer
from apps.cases.citizen_view import filing_timeline, my_hall, working_days_left
from apps.cases.codes import MaterialStatus
from apps.cases.models import CorrectionRequest, Filing, MaterialUpload
from apps.catalogue.models import Material
from hall.parsers import BoundedJSONParser


class FilingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    # Logged in: which filings a person sees is the selectors' (another's is a 404), what they may do
    # to one the services' (window_rules: a clerk of its centre at their own window; the citizen's own).
    permission_classes = [IsAuthenticated]
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]
    filterset_class = FilingFilter  # ?q= and ?ordering=, as the desks find filings

    def get_queryset(self):
        if self.action == "list" and _flag(self.request.query_params, "mine"):
            # The citizen's own and their organisations', what needs doing first (one query a page).
            queryset = my_hall(self.request.user).select_related("window")
            state = self.request.query_params.get("state")
            return queryset.filter(state=state) if state else queryset
        queryset = selectors.filings_visible_to(self.request.user)
        if self.action == "list":
            state = self.request.query_params.get("state")
            queryset = queryset.select_related("window")
            return queryset.filter(state=state) if state else queryset
        return selectors.filing_detail(queryset)

    def get_serializer_class(self):
        return s.FilingListSerializer if self.action == "list" else s.FilingDetailSerializer

    def _fresh(self, filing):
        return s.FilingDetailSerializer(
            selectors.filing_detail(Filing.objects.filter(pk=filing.pk)).get()
        ).data

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="FilingCreateRequest",
            serializers=[s.WindowFilingCreateSerializer, s.OnlineFilingCreateSerializer],
            resource_type_field_name=None,
        ),
        responses={201: s.FilingDetailSerializer},
        description="A clerk opens a filing at their window with the applicant as stated; a citizen "
        "opens an online draft, the applicant filled from the account or from its authorisation for "
        "``organisation_code``.",
    )
    def create(self, request, *args, **kwargs):
        if not request.user.has_perm(Perm.USE_INTAKE_DESK) and request.user.has_perm(Perm.USE_CITIZEN_PORTAL):
            return self._create_online(request)
        body = s.WindowFilingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        applicant = body.applicant()
        common = {
            "applicant": applicant,
            "item_ids": [i.pk for i in data.get("items", [])] or None,
            "bundle": data.get("bundle"),
            "client_ip": _client_ip(request),
        }
        if request.user.has_perm(Perm.USE_INTAKE_DESK):
            # At one of the clerk's own windows (the usual one unless another is named); the service
            # checks that the clerk works at that window's centre. The channel is the window's.
            window = (
                get_object_or_404(Window, pk=data["window"])
                if data.get("window")
                else selectors.desk_window(request.user)
            )
            if window is None:
                raise ValidationError({"window": _("You have no window: ask for your usual window.")})
            filing = services.open_filing(
                centre=window.centre,
                window=window,
                actor=request.user,
                resubmission_of=data.get("resubmission_of"),
                **common,
            )
        else:
            raise PermissionDenied
        return Response(self._fresh(filing), status=status.HTTP_201_CREATED)

    def _create_online(self, request):
        body = s.OnlineFilingCreateSerializer(data=request.data, context={"user": request.user})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        filing = online.start_online_filing(
            citizen=request.user,
            centre=get_object_or_404(ServiceCentre, pk=data["centre"]),
            item_ids=[i.pk for i in data.get("items", [])] or None,
            bundle=data.get("bundle"),
            organisation_code=data["organisation_code"],
            legal_representative=data["legal_representative"],
            client_ip=_client_ip(request),
        )
        return Response(self._fresh(filing), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "mine",
                bool,
                description="A citizen's own filings and their organisations', what needs doing first "
                "(next_action, action_due_on and due_on filled).",
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        """Discard the account's own unsubmitted online draft (and its files)."""
        filing = self.get_object()
        online.discard_draft(filing_id=filing.pk, actor=request.user, client_ip=_client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], request=None, responses=s.ECertificateOfferSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.UseECertificateSerializer, responses=s.FilingDetailSerializer)
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="e-certificate",
        pagination_class=None,
        filter_backends=[],
    )
    def e_certificate(self, request, pk=None):
        """免证: GET the e-certificates the applicant holds for the materials they may replace; POST one
        to use for a material of the account's own draft (``certificate`` null: use none)."""
        filing = self.get_object()
        if request.method == "GET":
            # The applicant's own certificates: staff look holders up at their desks, where it is logged.
            if not online.acts_for_applicant(filing, request.user):
                raise PermissionDenied
            return Response(s.ECertificateOfferSerializer(_offers(filing), many=True).data)
        body = s.UseECertificateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        material = get_object_or_404(Material, code=body.validated_data["material"])
        acting = {"filing_id": filing.pk, "material_id": material.pk, "actor": request.user}
        if body.validated_data["certificate"] is None:
            online.drop_e_certificate(**acting, client_ip=_client_ip(request))
        else:
            online.use_e_certificate(
                **acting, certificate_id=body.validated_data["certificate"], client_ip=_client_ip(request)
            )
        return Response(self._fresh(filing))

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("upload_id", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["delete"], url_path=r"files/(?P<upload_id>[0-9]+)")
    def remove_file(self, request, pk=None, upload_id=None):
        """A file removed from the account's own draft."""
        filing = self.get_object()
        online.remove_upload(
            filing_id=filing.pk, upload_id=int(upload_id), actor=request.user, client_ip=_client_ip(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.FilingDetailSerializer)
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        """承诺: the applicant declares the materials true and complete (required to submit)."""
        filing = self.get_object()
        online.declare(filing_id=filing.pk, actor=request.user, client_ip=_client_ip(request))
        return Response(self._fresh(filing))

    @extend_schema(request=None, responses={201: s.FilingDetailSerializer})
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """一次性告知 answered online: a new draft linked to this returned filing, with what was not on
        the completion list carried over (once per filing: 409 naming the resubmission made)."""
        filing = self.get_object()
        draft = online.resubmit_returned(
            filing_id=filing.pk, actor=request.user, client_ip=_client_ip(request)
        )
        return Response(self._fresh(draft), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.TimelineSerializer)
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """Every step of the filing and its cases (who: the applicant, a window or a department), each
        department's progress, the promised date and the working days left."""
        filing = self.get_object()
        timeline = filing_timeline(filing)
        due_on = max((row.due_on for row in timeline.departments), default=None)
        return Response(
            s.TimelineSerializer(
                {
                    "steps": timeline.steps,
                    "departments": timeline.departments,
                    "due_on": due_on,
                    "working_days_left": working_days_left(filing),
                }
            ).data
        )

    @extend_schema(request=None, responses=s.FilingDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        filing = self.get_object()
        submitted = services.submit_online(
            filing_id=filing.pk, actor=request.user, client_ip=_client_ip(request)
        )
        return Response(self._fresh(submitted))

    @extend_schema(request=None, responses=s.FilingDetailSerializer)
    @action(detail=True, methods=["post"], url_path="pre-review")
    def pre_review(self, request, pk=None):
        """网上预审: take a submitted online filing to your window (one clerk at a time: 409 if taken)."""
        filing = self.get_object()
        services.start_pre_review(
            filing_id=filing.pk,
            actor=request.user,
            window=selectors.window_for(request.user, filing),
            client_ip=_client_ip(request),
        )
        return Response(self._fresh(filing))

    @extend_schema(request=s.ReleaseSerializer, responses=s.FilingDetailSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Hand an online filing in pre-review back to the centre's queue."""
        body = s.ReleaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decision(request, services.release_pre_review, **body.validated_data)

    @extend_schema(
        operation_id="v1_filings_materials_record_many",
        request=s.RecordMaterialsSerializer,
        responses=s.FilingDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="materials")
    def materials(self, request, pk=None):
        """Record several materials of the checklist at once (all or nothing)."""
        filing = self.get_object()
        body = s.RecordMaterialsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_materials(
            filing_id=filing.pk, records=_records(body.validated_data["materials"]), **self._at_window(filing)
        )
        return Response(self._fresh(filing))

    @extend_schema(
        request={"multipart/form-data": AnswerSerializer},
        responses=s.FilingDetailSerializer,
        parameters=[OpenApiParameter("correction_id", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"corrections/(?P<correction_id>[0-9]+)/answer")
    def answer_correction(self, request, pk=None, correction_id=None):
        """补正: the applicant's answer to a correction request (their own account, or a clerk at a
        window), with a note and files; it resumes the case."""
        filing = self.get_object()
        correction = get_object_or_404(CorrectionRequest, pk=correction_id, case__filing=filing)
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.answer_filing_correction(
            filing_id=filing.pk,
            correction_id=correction.pk,
            actor=request.user,
            answer=body.validated_data["answer"],
            files=request.FILES.getlist("files"),
            client_ip=_client_ip(request),
            window=selectors.window_for(request.user, filing),
        )
        return Response(self._fresh(filing))

    @extend_schema(
        request=s.RecordMaterialSerializer,
        responses=s.FilingDetailSerializer,
        parameters=[OpenApiParameter("material_code", str, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"materials/(?P<material_code>[^/.]+)")
    def material(self, request, pk=None, material_code=None):
        filing = self.get_object()
        body = s.RecordMaterialSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        material = get_object_or_404(Material, code=material_code)
        services.record_material(
            filing_id=filing.pk,
            material_id=material.pk,
            **self._at_window(filing),
            **body.validated_data,
        )
        return Response(self._fresh(filing))

    @extend_schema(
        request={"multipart/form-data": s.UploadCreateSerializer},
        responses={201: s.UploadSerializer},
        parameters=[OpenApiParameter("material_code", str, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"materials/(?P<material_code>[^/.]+)/upload")
    def upload(self, request, pk=None, material_code=None):
        filing = self.get_object()
        body = s.UploadCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        material = get_object_or_404(Material, code=material_code)
        upload = services.attach_upload(
            filing_id=filing.pk,
            material_id=material.pk,
            file=body.validated_data["file"],
            actor=request.user,
            window=selectors.window_for(request.user, filing),
            client_ip=_client_ip(request),
        )
        return Response(s.UploadSerializer(upload).data, status=status.HTTP_201_CREATED)

    def _at_window(self, filing) -> dict:
        """Who acts, at which window, from where: the clerk's own window at the filing's centre (the
        services refuse anyone who is not a clerk there)."""
        return {
            "actor": self.request.user,
            "window": selectors.window_for(self.request.user, filing),
            "client_ip": _client_ip(self.request),
        }

    def _decision(self, request, service, **kwargs):
        filing = self.get_object()
        service(filing_id=filing.pk, **self._at_window(filing), **kwargs)
        return Response(self._fresh(filing))

    @extend_schema(request=s.AcceptSerializer, responses=s.FilingDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """受理; ``materials``: the checklist as completed, recorded with the decision (all or nothing)."""
        body = s.AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decision(request, services.accept, materials=_records(body.validated_data["materials"]))

    @extend_schema(request=s.DeficiencySerializer, responses=s.FilingDetailSerializer)
    @action(detail=True, methods=["post"], url_path="accept-with-deficiency")
    def accept_with_deficiency(self, request, pk=None):
        body = s.DeficiencySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decision(
            request,
            services.accept_with_deficiency,
            commitment_date=body.validated_data["commitment_date"],
            materials=_records(body.validated_data["materials"]),
        )

    @extend_schema(request=s.ClearDeficiencySerializer, responses=s.FilingDetailSerializer)
    @action(detail=True, methods=["post"], url_path="clear-deficiency")
    def clear_deficiency(self, request, pk=None):
        """容缺: a missing material handed in at a window; when none is missing any more, the deficiency
        is cleared and the filing proceeds (ready for issue once its cases are decided)."""
        body = s.ClearDeficiencySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        [record] = _records([{**body.validated_data, "note": "", "certificate_reference": ""}])
        return self._decision(
            request, services.clear_deficiency, material_id=record.material_id, status=record.status
        )

    @extend_schema(request=s.ReturnSerializer, responses=s.FilingDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_completion(self, request, pk=None):
        body = s.ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        codes = {c["material"] for c in body.validated_data["corrections"] if c["material"]}
        ids = dict(Material.objects.filter(code__in=codes).values_list("code", "pk"))
        corrections = [
            {"material": ids.get(c["material"]), "reason": c["reason"]}
            for c in body.validated_data["corrections"]
        ]
        return self._decision(request, services.return_for_completion, corrections=corrections)

    @extend_schema(request=s.RefuseSerializer, responses=s.FilingDetailSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        body = s.RefuseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decision(request, services.refuse, **body.validated_data)

    @extend_schema(request=s.WithdrawSerializer, responses=s.FilingDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤回: recorded by a clerk of the filing's centre at their window, or asked by the applicant's
        own account online (not while a window has it in pre-review)."""
        body = s.WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        filing = self.get_object()
        if selectors.window_for(request.user, filing) is None and request.user.has_perm(
            Perm.USE_CITIZEN_PORTAL
        ):
            online.withdraw_online(
                filing_id=filing.pk, actor=request.user, client_ip=_client_ip(request), **body.validated_data
            )
            return Response(self._fresh(filing))
        return self._decision(request, services.withdraw, **body.validated_data)


def _flag(params, name: str) -> bool:
    """``?name``, ``?name=1`` or ``?name=true`` (not ``?name=0`` / ``false``)."""
    return name in params and params[name].lower() not in ("0", "false", "no")


def _offers(filing) -> list[dict]:
    """The e-certificate offers of a filing, one row per material an e-certificate may replace."""
    offers = online.e_certificate_offers(filing)
    return [
        {
            "material": entry.material.code,
            "material_name": entry.material.name,
            "used": entry.certificate_reference if entry.status == MaterialStatus.E_CERTIFICATE else "",
            "certificates": offers.get(entry.material_id, []),
        }
        for entry in filing.checklist.all()
        if entry.replaceable_by_id is not None and entry.produced_by_id is None
    ]


def _records(rows) -> list[services.MaterialRecord]:
    """The API's checklist rows (material codes) as the services' records; an unknown code is a 400."""
    ids = dict(Material.objects.filter(code__in={r["material"] for r in rows}).values_list("code", "pk"))
    unknown = sorted({r["material"] for r in rows} - ids.keys())
    if unknown:
        raise ValidationError(
            {"materials": _("Unknown material code: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return [
        services.MaterialRecord(
            material_id=ids[r["material"]],
            status=r["status"],
            note=r["note"],
            certificate_reference=r["certificate_reference"],
        )
        for r in rows
    ]


def upload_file(request, filing_pk, upload_pk):
    """An uploaded material, only for those who may see the filing (404 otherwise)."""
    from apps.uploads.serving import Disclosure, stored_file_response

    filing = get_object_or_404(selectors.filings_visible_to(request.user), pk=filing_pk)
    upload = get_object_or_404(MaterialUpload, pk=upload_pk, entry__filing=filing)
    return stored_file_response(
        request,
        upload.file,
        filename=upload.original_name,
        content_type=upload.content_type,
        disclosure=Disclosure(upload, what="material_upload", owner_id=filing.citizen_id),
    )


def notice_pdf(request, filing_pk, notice_pk):
    """A notice's PDF, the same bytes at every print (rendered at the first one if the render job has
    not come to it yet), for those who may see the filing."""
    from apps.cases.notices.models import Notice
    from apps.cases.notices.services import notice_pdf as pdf_of
    from apps.uploads.serving import Disclosure, stored_file_response

    filing = get_object_or_404(selectors.filings_visible_to(request.user), pk=filing_pk)
    notice = get_object_or_404(Notice, pk=notice_pk, filing=filing)
    return stored_file_response(
        request,
        pdf_of(notice),
        filename=f"{notice.number}.pdf",
        content_type="application/pdf",
        disclosure=Disclosure(notice, what="notice_pdf", owner_id=filing.citizen_id),
    )
