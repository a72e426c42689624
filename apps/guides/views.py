"""Public service guides (办事指南): the catalogue with search and filters, and a guide per item and per
bundle. No login; only published versions are shown. Constant SQL per page whatever the catalogue's
size (tested)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from apps.catalogue import selectors
from apps.catalogue.codes import ItemState
from apps.catalogue.models import ApprovalCategory, ItemMaterial, ServiceItem
from apps.guides.forms import GuideSearchForm

PAGE_SIZE = 20


@require_GET
def catalogue(request):
    categories = list(ApprovalCategory.objects.all())
    form = GuideSearchForm(
        request.GET or None, categories=categories, centres=list(selectors.centres_offering())
    )
    filters = form.filters()
    items = selectors.search_items(selectors.offered_items(), **filters).only(*selectors.LIST_ROW_FIELDS)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    bundles = []
    if not any(k for k in filters if k != "q") and filters.get("q", "") != "":
        bundles = list(selectors.search_bundles(selectors.published_bundles(), q=filters["q"])[:5])
    elif not filters:
        bundles = list(selectors.published_bundles()[:10])
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "bundles": bundles, "query": query.urlencode(), "filters": filters}
    template = "guides/_results.html" if request.htmx else "guides/catalogue.html"
    return render(request, template, context)


@require_GET
def item_guide(request, code):
    item = get_object_or_404(selectors.item_with_lists(selectors.offered_items()), lineage__code=code)
    return render(request, "guides/item.html", {"item": item, "bundles": selectors.bundles_offering(item)})


@require_GET
def bundle_guide(request, code):
    bundle = get_object_or_404(selectors.published_bundles(), code=code)
    items = selectors.bundle_items(bundle)
    context = {"bundle": bundle, "items": items, "checklist": selectors.merged_checklist(items)}
    return render(request, "guides/bundle.html", context)


@require_GET
def material_file(request, requirement_id, kind):
    """A blank form or sample of a published item, served from outside the web root."""
    if kind not in {"blank_form", "sample"}:
        raise Http404
    requirement = get_object_or_404(ItemMaterial, pk=requirement_id, item__state=ItemState.PUBLISHED)
    return _serve(getattr(requirement, kind))


@require_GET
def result_sample(request, code):
    item = get_object_or_404(ServiceItem, lineage__code=code, state=ItemState.PUBLISHED)
    return _serve(item.result_sample)


def _serve(field_file):
    from apps.uploads.serving import stored_file_response

    if not field_file:
        raise Http404
    # A public blank form: no type recorded (checked by content now), nothing personal to log.
    return stored_file_response(request=None, content=field_file, filename=field_file.name.rsplit("/", 1)[-1])
