"""The back-office API: the approvers' queues and every review action, calling the same services as
the approval desk. A case of another department is a 404; an action the user may not take a 403 or
a 409 with the reason."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import UsesBackOfficeDesk
from apps.audit.requests import client_ip
from apps.cases.api import review_serializers as s
from apps.cases.api.filters import CaseFilter
from apps.cases.models import Case, CorrectionFile
from apps.cases.models.case import Outcome
from apps.cases.review import selectors, services
from apps.catalogue.models import Material


class SignOffAsSerializer(s.SignOffSerializer):
    # The decision the signer read: signing off never decides otherwise than they saw (409 if the
    # proposal is another one now). Optional, for callers written before it.
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_null=True, default=None)


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases of the user's departments. ``list`` is a queue (``?queue=unclaimed|mine|sign_off|
    suspended|decided`` with filters), most urgent first."""

    permission_classes = [UsesBackOfficeDesk]
    filterset_class = CaseFilter  # ?q= and ?ordering=, as the back-office desk finds cases

    def get_queryset(self):
        return selectors.case_detail(selectors.cases_visible_to(self.request.user))

    def get_serializer_class(self):
        return s.CaseListSerializer if self.action == "list" else s.CaseDetailSerializer

    @extend_schema(parameters=[s.QueueQuerySerializer], responses=s.CaseListSerializer(many=True))
    def list(self, request, *args, **kwargs):
        query = s.QueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        name = data.pop("queue")
        queue = selectors.queue(request.user, name, selectors.QueueFilters(**data))
        ids = self.paginate_queryset(self.filter_queryset(queue))
        rows = selectors.rows_of(ids)
        return self.get_paginated_response(s.CaseListSerializer(rows, many=True).data)

    @extend_schema(responses=s.CaseWorkspaceSerializer)
    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        data = s.CaseDetailSerializer(case, context={"request": request}).data
        # The applicant's identity in full is for the review workspace only, and logged.
        filing = case.filing
        data["applicant"] = {
            "kind": filing.applicant_kind,
            "name": filing.applicant_name,
            "id_number": services.show_applicant_identity(
                case, viewer=request.user, client_ip=client_ip(request)
            ),
            "phone": filing.applicant_phone,
        }
        return Response(data)

    def _done(self, case_id):
        case = selectors.case_detail(selectors.cases_visible_to(self.request.user)).get(pk=case_id)
        return Response(s.CaseDetailSerializer(case, context={"request": self.request}).data)

    def _case(self):
        """The case acted on (404 outside the user's departments), looked up once per request."""
        if not hasattr(self, "_acted_on"):
            self._acted_on = self.get_object()
        return self._acted_on

    def _act(self, service, **kwargs):
        case = self._case()
        service(case_id=case.pk, actor=self.request.user, **kwargs)
        return self._done(case.pk)

    def _body(self, serializer_class):
        self._case()  # someone else's case is a 404 before its body is judged
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(request=None, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        return self._act(services.claim, client_ip=client_ip(request))

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self._act(services.release, client_ip=client_ip(request), **self._body(s.ReasonSerializer))

    @extend_schema(request=s.OpinionCreateSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def opinions(self, request, pk=None):
        return self._act(services.record_opinion, **self._body(s.OpinionCreateSerializer))

    @extend_schema(request=s.CorrectionCreateSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        body = self._body(s.CorrectionCreateSerializer)
        codes = {i["material"] for i in body["items"] if i["material"]}
        ids = dict(Material.objects.filter(code__in=codes).values_list("code", "pk"))
        items = [
            {"material": ids.get(i["material"], -1) if i["material"] else None, "what": i["what"]}
            for i in body["items"]
        ]
        return self._act(
            services.request_correction, items=items, note=body["note"], client_ip=client_ip(request)
        )

    @extend_schema(request=s.ProcedureSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="special-procedure")
    def special_procedure(self, request, pk=None):
        return self._act(
            services.start_special_procedure,
            client_ip=client_ip(request),
            **self._body(s.ProcedureSerializer),
        )

    @extend_schema(request=None, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._act(services.resume, client_ip=client_ip(request))

    @extend_schema(request=s.ExtensionSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._act(services.extend, client_ip=client_ip(request), **self._body(s.ExtensionSerializer))

    @extend_schema(request=s.DecisionSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """准予 / 不予许可 (a proposal awaiting sign-off for items that need one)."""
        return self._act(services.decide, client_ip=client_ip(request), **self._body(s.DecisionSerializer))

    @extend_schema(request=SignOffAsSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        """Sign the proposal off; with ``outcome``, only if that is still the decision proposed."""
        return self._act(services.sign_off, client_ip=client_ip(request), **self._body(SignOffAsSerializer))

    @extend_schema(request=s.SignOffSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        return self._act(services.send_back, client_ip=client_ip(request), **self._body(s.SignOffSerializer))


def correction_file(request, case_pk, file_pk):
    """A file of a correction's answer: for the case's department and for those who see the filing."""
    from apps.cases.selectors import filings_visible_to
    from apps.uploads.serving import Disclosure, stored_file_response

    visible = selectors.cases_visible_to(request.user) | Case.objects.filter(
        filing__in=filings_visible_to(request.user)
    )
    case = get_object_or_404(visible, pk=case_pk)
    file = get_object_or_404(CorrectionFile, pk=file_pk, request__case=case)
    return stored_file_response(
        request,
        file.file,
        filename=file.original_name,
        content_type=file.content_type,
        disclosure=Disclosure(file, what="correction_file", owner_id=case.filing.citizen_id),
    )
