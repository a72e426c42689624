"""The catalogue admins' tools: items with their lists, version history and diff, the consistency
report, and import/export. State changes go through ``apps.catalogue.services`` (buttons and list
actions call them); only drafts are editable.

The role holds at a centre: a catalogue admin sees and changes the items and bundles of the centres
where they hold it, and the base catalogue (``selectors.maintained_items``); every list, page, button
and choice below reads that scope. The material dictionary and the approval categories are shared.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import Perm
from apps.audit.requests import client_ip as _client_ip
from apps.audit.services import record_step
from apps.catalogue import comparison, import_views, selectors, services
from apps.catalogue.codes import OPEN_STATES, ItemKind, ItemState
from apps.catalogue.models import (
    ApprovalCategory,
    Bundle,
    BundleItem,
    FaqEntry,
    FeeItem,
    ItemLineage,
    ItemMaterial,
    Material,
    ProcessStep,
    ServiceItem,
)
from apps.core.errors import Conflict
from apps.core.errors import error_text as _error_text

PUBLISH_PERMISSION = Perm.PUBLISH_SERVICEITEM
# Button label and required permission of each action offered on a version's page.
ACTIONS = {
    "submit_for_review": (_("Submit for review"), Perm.CHANGE_SERVICEITEM),
    "return_to_draft": (_("Return to draft"), Perm.CHANGE_SERVICEITEM),
    "publish": (_("Publish"), PUBLISH_PERMISSION),
    "retire": (_("Retire"), PUBLISH_PERMISSION),
}


@admin.register(ApprovalCategory)
class ApprovalCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "material_type", "source", "licence_type"]
    list_filter = ["material_type", "source", ("licence_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "issuing_body"]
    autocomplete_fields = ["licence_type"]


class DraftOnlyInline(admin.TabularInline):
    """Lists are edited on drafts only; a published version is a record."""

    extra = 0

    def _editable(self, obj) -> bool:
        return obj is None or obj.state == ItemState.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ItemMaterialInline(DraftOnlyInline):
    model = ItemMaterial
    autocomplete_fields = ["material"]
    fields = [
        "order",
        "material",
        "original_count",
        "copy_count",
        "necessity",
        "form",
        "e_certificate_accepted",
        "acceptance_standard",
        "blank_form",
        "sample",
        "note",
    ]


class FeeItemInline(DraftOnlyInline):
    model = FeeItem
    fields = ["order", "name", "standard", "basis"]


class ProcessStepInline(DraftOnlyInline):
    model = ProcessStep
    fields = ["order", "name", "description"]


class FaqEntryInline(DraftOnlyInline):
    model = FaqEntry
    fields = ["order", "question", "answer"]


class NewItemForm(forms.ModelForm):
    """Adding an item: its first version, and whether it is a base item or an implementation."""

    kind = forms.ChoiceField(label=_("kind"), choices=ItemKind.choices)
    base = forms.ModelChoiceField(
        label=_("base item"),
        queryset=ItemLineage.objects.filter(kind=ItemKind.BASE).order_by("code"),
        required=False,
        help_text=_("For an implementation: the base catalogue item it implements."),
    )

    class Meta:
        model = ServiceItem
        exclude = ["lineage", "version"]  # noqa: DJ006 (the admin's fieldsets choose what is shown)

    def _post_clean(self):
        # The lineage is built from the cleaned values before the model's own validation runs, so
        # that the kind-specific rules (rules.check_item) see it.
        data = self.cleaned_data
        kind = data.get("kind")
        if kind:
            shape = ServiceItem(
                department=data.get("department"),
                level=data.get("level", ""),
                basic_code=data.get("basic_code", ""),
                implementation_code=data.get("implementation_code", ""),
            )
            self.instance.lineage = services.lineage_for(shape, kind=kind, base=data.get("base"))
            data["implementation_code"] = shape.implementation_code
            try:
                services.check_code_free(self.instance.lineage)
            except ValidationError as error:
                self._update_errors(error)
        super()._post_clean()


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "state", "lineage_kind", "approval_category", "department"]
    list_filter = [
        "state",
        "lineage__kind",
        "approval_category",
        "item_type",
        "handling_type",
        ("department", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "basic_code", "implementation_code", "name_initials"]
    list_select_related = ["approval_category", "department", "lineage"]
    autocomplete_fields = ["department", "result_licence_type"]
    readonly_fields = [
        "state",
        "version",
        "lineage",
        "created_at",
        "created_by",
        "published_at",
        "published_by",
    ]
    inlines = [ItemMaterialInline, FeeItemInline, ProcessStepInline, FaqEntryInline]
    actions = ["publish_selected", "retire_selected"]
    change_form_template = "admin/catalogue/serviceitem/change_form.html"
    change_list_template = "admin/catalogue/serviceitem/change_list.html"

    @admin.display(description=_("kind"), ordering="lineage__kind")
    def lineage_kind(self, obj):
        return obj.lineage.get_kind_display()

    # ServiceItem.code is a property: without this its column is headed by its English name.
    @admin.display(description=_("code"), ordering="lineage__code")
    def code(self, obj):
        return obj.code

    def get_queryset(self, request):
        return super().get_queryset(request).filter(selectors.catalogue_role(request.user).items())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            kwargs["queryset"] = selectors.maintained_departments(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NewItemForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            fields = [f for f in fieldsets[0][1]["fields"] if f not in {"kind", "base"}]
            return [(None, {"fields": ["kind", "base", *fields]})]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state != ItemState.DRAFT:
            return [f.name for f in ServiceItem._meta.concrete_fields if f.name != "id"]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            services.save_new_item(obj, actor=request.user, client_ip=_client_ip(request))
        elif obj.state == ItemState.DRAFT:
            services.save_draft(obj, actor=request.user, client_ip=_client_ip(request))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/transition/<str:action>/",
                wrap(self.transition_view),
                name="catalogue_item_transition",
            ),
            path("<int:pk>/new-version/", wrap(self.new_version_view), name="catalogue_item_new_version"),
            path("history/<int:lineage_id>/", wrap(self.history_view), name="catalogue_item_history"),
            path("diff/<int:left>/<int:right>/", wrap(self.diff_view), name="catalogue_item_diff"),
            path("consistency/", wrap(self.consistency_view), name="catalogue_consistency"),
            path("import/", wrap(self.import_view), name="catalogue_import"),
            path("import/template/", wrap(self.import_template_view), name="catalogue_import_template"),
            path("import/<int:job_id>/", wrap(self.import_job_view), name="catalogue_import_job"),
            path(
                "import/<int:job_id>/progress/",
                wrap(self.import_progress_view),
                name="catalogue_import_progress",
            ),
            path("import/<int:job_id>/apply/", wrap(self.import_apply_view), name="catalogue_import_apply"),
            path("export/", wrap(self.export_view), name="catalogue_export"),
        ] + super().get_urls()

    # --- the buttons on a version's page -------------------------------------------------------------

    def available_actions(self, request, obj) -> list[tuple[str, str]]:
        """The graph's transitions from this state that this user may take (label, url): its
        permissions too, so that whoever submitted a version does not see Publish (four eyes)."""
        offered = []
        for transition in obj.get_available_user_state_transitions(request.user):
            if transition.name not in ACTIONS:
                continue  # supersede happens only as part of publishing a newer version
            label, permission = ACTIONS[transition.name]
            if request.user.has_perm(permission):
                url = reverse("admin:catalogue_item_transition", args=[obj.pk, transition.name])
                offered.append((label, url))
        return offered

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            lineage = obj.lineage
            has_open = lineage.versions.filter(state__in=OPEN_STATES).exists()
            context.update(
                item_actions=self.available_actions(request, obj),
                can_start_version=not has_open and request.user.has_perm(Perm.CHANGE_SERVICEITEM),
                can_sync_from_base=not has_open
                and lineage.base_id is not None
                and request.user.has_perm(Perm.CHANGE_SERVICEITEM),
                new_version_url=reverse("admin:catalogue_item_new_version", args=[obj.pk]),
                history_url=reverse("admin:catalogue_item_history", args=[lineage.pk]),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def transition_view(self, request, pk, action):
        if request.method != "POST" or action not in ACTIONS:
            raise PermissionDenied
        if not request.user.has_perm(ACTIONS[action][1]):
            raise PermissionDenied
        item = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            getattr(services, action)(
                item_id=item.pk,
                actor=request.user,
                client_ip=_client_ip(request),
                comment=request.POST.get("comment", ""),
            )
        except (Conflict, ValidationError) as error:
            self.message_user(request, _error_text(error), messages.ERROR)
        else:
            self.message_user(
                request, _("%(item)s: %(action)s done.") % {"item": item, "action": ACTIONS[action][0]}
            )
        return redirect("admin:catalogue_serviceitem_change", item.pk)

    def new_version_view(self, request, pk):
        if request.method != "POST" or not request.user.has_perm(Perm.CHANGE_SERVICEITEM):
            raise PermissionDenied
        item = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            draft = services.start_new_version(
                lineage_id=item.lineage_id,
                actor=request.user,
                change_note=request.POST.get("change_note", ""),
                sync_from_base=bool(request.POST.get("sync_from_base")),
                client_ip=_client_ip(request),
            )
        except (Conflict, ValidationError) as error:
            self.message_user(request, _error_text(error), messages.ERROR)
            return redirect("admin:catalogue_serviceitem_change", item.pk)
        self.message_user(request, _("Draft version %(version)s created.") % {"version": draft.version})
        return redirect("admin:catalogue_serviceitem_change", draft.pk)

    # --- list actions ------------------------------------------------------------------------------

    def _bulk(self, request, queryset, action):
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        done, failed = 0, []
        for item in queryset:
            try:
                # One item's submit and publish stand or fall together: a publish refused (four eyes)
                # leaves the draft a draft.
                with transaction.atomic():
                    if action == "publish" and item.state == ItemState.DRAFT:
                        services.submit_for_review(
                            item_id=item.pk, actor=request.user, client_ip=_client_ip(request)
                        )
                    getattr(services, action)(
                        item_id=item.pk, actor=request.user, client_ip=_client_ip(request)
                    )
                done += 1
            except (Conflict, ValidationError, PermissionDenied) as error:
                failed.append(f"{item}: {_error_text(error)}")
        if done:
            self.message_user(request, _("%(count)d item(s) done.") % {"count": done})
        for line in failed:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Publish the selected versions"))
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description=_("Retire the selected versions"))
    def retire_selected(self, request, queryset):
        self._bulk(request, queryset, "retire")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(PUBLISH_PERMISSION):
            actions.pop("publish_selected", None)
            actions.pop("retire_selected", None)
        return actions

    # --- history, diff, consistency -------------------------------------------------------------------

    def _context(self, request, title):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}

    def history_view(self, request, lineage_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        lineage = get_object_or_404(selectors.maintained_lineages(request.user), pk=lineage_id)
        versions = list(selectors.version_history(lineage).filter(pk__in=self.get_queryset(request)))
        rows = [(v, versions[n + 1] if n + 1 < len(versions) else None) for n, v in enumerate(versions)]
        context = self._context(request, _("Version history of %(code)s") % {"code": lineage.code})
        context.update(lineage=lineage, rows=rows)
        return TemplateResponse(request, "admin/catalogue/serviceitem/history.html", context)

    def diff_view(self, request, left, right):
        if not self.has_view_permission(request):
            raise PermissionDenied
        chosen = self.get_queryset(request).filter(pk__in=[left, right])
        items = {i.pk: i for i in selectors.item_with_lists(chosen)}
        if len(items) != 2:
            raise Http404
        a, b = items[left], items[right]
        context = self._context(
            request, _("Differences between version %(a)s and %(b)s") % {"a": a.version, "b": b.version}
        )
        context.update(left=a, right=b, differences=comparison.compare(a, b, services.element_fields()))
        return TemplateResponse(request, "admin/catalogue/serviceitem/diff.html", context)

    def consistency_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = self._context(request, _("Consistency report (多级十同)"))
        context["findings"] = selectors.consistency_report(user=request.user)
        return TemplateResponse(request, "admin/catalogue/serviceitem/consistency.html", context)

    # --- import / export ------------------------------------------------------------------------------

    # The import pages live in ``import_views`` (uploads run as jobs: ``import_jobs``).
    def import_view(self, request):
        return import_views.import_page(self, request)

    def import_template_view(self, request):
        return import_views.template_download(self, request)

    def import_job_view(self, request, job_id):
        return import_views.job_page(self, request, job_id)

    def import_progress_view(self, request, job_id):
        return import_views.job_progress(self, request, job_id)

    def import_apply_view(self, request, job_id):
        return import_views.job_apply(self, request, job_id)

    def export_view(self, request):
        from apps.catalogue.transfer.exporter import export_catalogue

        if not request.user.has_perm(Perm.IMPORT_CATALOGUE):
            raise PermissionDenied
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        content = export_catalogue(fmt=fmt, role=selectors.catalogue_role(request.user))
        filename = "catalogue.zip" if fmt == "csv" else "catalogue.xlsx"
        response = HttpResponse(
            content,
            content_type="application/zip"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class BundleItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A draft is checked too, on its promised limit against its items' (the bundle rules).
        lineages = [
            form.cleaned_data["lineage"]
            for form in self.forms
            if form.cleaned_data.get("lineage") and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.check_bundle(self.instance, lineages)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    formset = BundleItemFormSet
    extra = 0
    autocomplete_fields = ["lineage"]


@admin.register(ItemLineage)
class ItemLineageAdmin(admin.ModelAdmin):
    """Item identities; listed for search (bundles and implementations pick them)."""

    list_display = ["code", "kind", "centre", "base"]
    list_filter = ["kind", "centre"]
    search_fields = ["code", "versions__name"]

    def get_queryset(self, request):
        return selectors.maintained_lineages(request.user).select_related("centre", "base")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "centre", "promised_limit_days", "state"]
    list_filter = ["state", "centre"]
    search_fields = ["code", "name", "name_initials"]
    readonly_fields = ["state"]
    inlines = [BundleItemInline]
    actions = ["publish_selected", "retire_selected"]

    def get_queryset(self, request):
        return selectors.maintained_bundles(request.user).select_related("centre")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "centre":
            kwargs["queryset"] = selectors.maintained_centres(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.name_initials = services.pinyin_initials(obj.name)
        super().save_model(request, obj, form, change)
        record_step(
            obj,
            step="bundle_edited" if change else "bundle_created",
            actor=request.user,
            client_ip=_client_ip(request),
            changed=sorted(form.changed_data),
        )

    def _bulk(self, request, queryset, action):
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        for bundle in queryset:
            try:
                getattr(services, action)(
                    bundle_id=bundle.pk, actor=request.user, client_ip=_client_ip(request)
                )
            except (Conflict, ValidationError) as error:
                self.message_user(request, f"{bundle}: {_error_text(error)}", messages.ERROR)
            else:
                self.message_user(request, f"{bundle}: ✓")

    @admin.action(description=_("Publish the selected bundles"))
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish_bundle")

    @admin.action(description=_("Retire the selected bundles"))
    def retire_selected(self, request, queryset):
        self._bulk(request, queryset, "retire_bundle")
