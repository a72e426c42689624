from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import Perm, ReadAnyoneWriteCatalogueAdmin
from apps.audit.requests import client_ip
from apps.catalogue import selectors, services
from apps.catalogue.api.filters import ServiceItemFilter
from apps.catalogue.api.serializers import (
    ApprovalCategorySerializer,
    BundleSerializer,
    BundleWriteSerializer,
    ChecklistEntrySerializer,
    ItemDetailSerializer,
    ItemListSerializer,
    ItemWriteSerializer,
    MaterialSerializer,
    NewVersionSerializer,
    TransitionSerializer,
)
from apps.catalogue.models import ApprovalCategory, Bundle, ItemMaterial, Material, ServiceItem

LIST_NAMES = ("materials", "fees", "steps", "faqs")


class ApprovalCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ApprovalCategory.objects.all()
    serializer_class = ApprovalCategorySerializer
    permission_classes = [ReadAnyoneWriteCatalogueAdmin]
    lookup_field = "code"
    pagination_class = None


class MaterialViewSet(viewsets.ModelViewSet):
    queryset = Material.objects.select_related("licence_type").order_by("code")
    serializer_class = MaterialSerializer
    permission_classes = [ReadAnyoneWriteCatalogueAdmin]
    write_permission = Perm.CHANGE_MATERIAL
    maintains = staticmethod(selectors.maintains)  # the shared dictionary: any catalogue admin
    lookup_field = "code"
    http_method_names = ["get", "post", "patch", "head", "options"]


class ServiceItemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Service items. Everyone reads published versions; a catalogue admin also sees the other versions
    of the items they maintain (their centres' and the base catalogue's) and writes those; another
    centre's draft is a 404, a change to another centre's published item a 403.

    Writing creates or edits drafts; the state changes are actions (submit, return, publish, retire,
    new-version), each one service call.
    """

    permission_classes = [ReadAnyoneWriteCatalogueAdmin]
    maintains = staticmethod(selectors.maintains)  # their centres' items and the base catalogue
    filterset_class = ServiceItemFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = selectors.items_visible_to(self.request.user).select_related(
            "department", "approval_category", "lineage", "result_licence_type"
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("materials", ItemMaterial.objects.select_related("material__licence_type")),
                "fees",
                "steps",
                "faqs",
            )
        return queryset.order_by("basic_code", "implementation_code", "-version")

    def get_serializer_class(self):
        if self.action in {"create", "partial_update", "update"}:
            return ItemWriteSerializer
        return ItemDetailSerializer if self.action == "retrieve" else ItemListSerializer

    def _lists(self, data) -> services.ItemChildren | None:
        if not any(name in data for name in LIST_NAMES):
            return None
        return services.ItemChildren(**{name: data.pop(name, []) for name in LIST_NAMES})

    @extend_schema(request=ItemWriteSerializer, responses={201: ItemDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ItemWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        kind, base = data.pop("kind"), data.pop("base", None)
        children = self._lists(data) or services.ItemChildren()
        item = services.create_item(
            kind=kind,
            base=base,
            values=data,
            children=children,
            actor=request.user,
            client_ip=client_ip(request),
        )
        return Response(ItemDetailSerializer(self._fresh(item)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ItemWriteSerializer, responses=ItemDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = ItemWriteSerializer(
            item, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for create_only in ("kind", "base"):  # a lineage's kind and base are fixed at creation
            data.pop(create_only, None)
        children = self._lists(data)
        item = services.update_draft(
            item_id=item.pk, values=data, children=children, actor=request.user, client_ip=client_ip(request)
        )
        return Response(ItemDetailSerializer(self._fresh(item)).data)

    def _fresh(self, item):
        return selectors.item_with_lists(ServiceItem.objects.filter(pk=item.pk)).get()

    def _transition(self, request, name):
        item = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = getattr(services, name)(
            item_id=item.pk,
            actor=request.user,
            comment=body.validated_data["comment"],
            client_ip=client_ip(request),
        )
        return Response(ItemDetailSerializer(self._fresh(item)).data)

    @extend_schema(request=TransitionSerializer, responses=ItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, "submit_for_review")

    @extend_schema(request=TransitionSerializer, responses=ItemDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_draft(self, request, pk=None):
        return self._transition(request, "return_to_draft")

    @extend_schema(request=TransitionSerializer, responses=ItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._transition(request, "publish")

    @extend_schema(request=TransitionSerializer, responses=ItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        return self._transition(request, "retire")

    @extend_schema(request=NewVersionSerializer, responses={201: ItemDetailSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        item = self.get_object()
        body = NewVersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        draft = services.start_new_version(
            lineage_id=item.lineage_id,
            actor=request.user,
            client_ip=client_ip(request),
            **body.validated_data,
        )
        return Response(ItemDetailSerializer(self._fresh(draft)).data, status=status.HTTP_201_CREATED)


class BundleViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Bundles (一件事). Everyone reads published ones; a catalogue admin also sees and writes the
    bundles of the centres where they hold the role."""

    permission_classes = [ReadAnyoneWriteCatalogueAdmin]
    write_permission = Perm.CHANGE_BUNDLE
    maintains = staticmethod(selectors.maintains)  # their centres' bundles
    lookup_field = "code"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            selectors.bundles_visible_to(self.request.user)
            .select_related("centre")
            .prefetch_related("lineages")
            .order_by("code")
        )

    def get_serializer_class(self):
        return BundleWriteSerializer if self.action in {"create", "partial_update"} else BundleSerializer

    def _save(self, request, bundle=None):
        serializer = BundleWriteSerializer(
            bundle, data=request.data, partial=bundle is not None, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lineages = data.pop("lineages", None)
        lineage_ids = (
            [lineage.pk for lineage in lineages]
            if lineages is not None
            else (list(bundle.entries.values_list("lineage_id", flat=True)) if bundle else [])
        )
        saved = services.save_bundle(
            values=data,
            lineage_ids=lineage_ids,
            bundle_id=bundle.pk if bundle else None,
            actor=request.user,
            client_ip=client_ip(request),
        )
        return BundleSerializer(Bundle.objects.prefetch_related("lineages").get(pk=saved.pk)).data

    def create(self, request, *args, **kwargs):
        return Response(self._save(request), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        return Response(self._save(request, self.get_object()))

    @extend_schema(responses=ChecklistEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole checklist, as the guide shows it
    def checklist(self, request, code=None):
        """The bundle's merged material checklist: each material once, with the strictest requirement."""
        bundle = self.get_object()
        entries = selectors.merged_checklist(selectors.bundle_items(bundle))
        return Response(ChecklistEntrySerializer(entries, many=True).data)

    @extend_schema(request=TransitionSerializer, responses=BundleSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, code=None):
        bundle = self.get_object()
        services.publish_bundle(bundle_id=bundle.pk, actor=request.user, client_ip=client_ip(request))
        return Response(BundleSerializer(Bundle.objects.prefetch_related("lineages").get(pk=bundle.pk)).data)

    @extend_schema(request=TransitionSerializer, responses=BundleSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, code=None):
        bundle = self.get_object()
        services.retire_bundle(bundle_id=bundle.pk, actor=request.user, client_ip=client_ip(request))
        return Response(BundleSerializer(Bundle.objects.prefetch_related("lineages").get(pk=bundle.pk)).data)
