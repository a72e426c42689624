"""The assistants' desk (帮办代办台): the queue of the filings an assistant follows (green channel first,
each with what it needs next), opening an assisted filing for an applicant, its page (materials and
uploads, submitting it to the windows, handing it over to another assistant); and the green-channel
flag form posted from the intake and assistance filing pages (the case and certificate pages
show the flag only). Thin views over
``apps.cases.assistance`` and ``apps.cases.green_channel``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.permissions import Perm
from apps.accounts.selectors import memberships_of
from apps.audit.models import TransitionLog
from apps.audit.requests import client_ip
from apps.audit.selectors import history_of
from apps.cases import assistance, green_channel, selectors
from apps.cases.codes import FILING_STEPS, FilingState
from apps.cases.models import Filing
from apps.catalogue import selectors as catalogue
from apps.core.errors import Conflict, error_text
from apps.desks.actions import problems
from apps.desks.forms.base import text
from apps.desks.forms.intake import ApplicantForm, FilingTargetForm
from apps.desks.navigation import DESKS_BY_KEY

ASSISTANT = Perm.USE_ASSISTANCE_DESK
REFUSED = (ValidationError, Conflict, PermissionDenied)


class HandOverForm(forms.Form):
    to_user = forms.TypedChoiceField(label=gettext_lazy("Hand over to"), coerce=int)
    note = text(TransitionLog, "comment", label=gettext_lazy("Note for the next assistant"))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].choices = [(user.pk, str(user)) for user in choices]


class GreenChannelForm(forms.Form):
    reason = text(Filing, "green_channel_reason", label=gettext_lazy("Reason"))


def _desk(request, template: str, context: dict):
    context = {"desk": DESKS_BY_KEY["assistance"], "memberships": memberships_of(request.user), **context}
    return render(request, template, context)


def _refused(request, error) -> None:
    messages.error(request, error_text(error) or _("You may not do this."))


@login_required
@permission_required(ASSISTANT, raise_exception=True)
def queue(request):
    """The assistant's queue, and the search for the item or bundle of a new assisted filing."""
    centre = assistance.desk_centre(request.user)
    q = " ".join((request.GET.get("q") or "").split())[:100]
    items = bundles = ()
    if centre is not None and q:
        items = list(
            catalogue.search_items(catalogue.offered_items().filter(lineage__centre=centre), q=q).only(
                *catalogue.LIST_ROW_FIELDS
            )[:15]
        )
        bundles = list(catalogue.search_bundles(catalogue.published_bundles().filter(centre=centre), q=q)[:5])
    rows = list(assistance.assisted_queue(request.user))
    for filing in rows:
        filing.next_step = assistance.next_step(filing)
    return _desk(
        request,
        "desks/assistance/queue.html",
        {"centre": centre, "rows": rows, "q": q, "items": items, "bundles": bundles},
    )


@login_required
@permission_required(ASSISTANT, raise_exception=True)
def new_filing(request):
    """The applicant of a new assisted filing for the item or bundle chosen."""
    centre = assistance.desk_centre(request.user)
    if centre is None:
        raise PermissionDenied(_("You are not an assistant at any service centre."))
    target = FilingTargetForm.of(request)
    if not target.is_valid():
        raise BadRequest(" ".join(problems(target)))
    item = bundle = None
    if target.cleaned_data["bundle"]:
        bundle = get_object_or_404(
            catalogue.published_bundles(), code=target.cleaned_data["bundle"], centre=centre
        )
    else:
        item = get_object_or_404(
            catalogue.offered_items(), pk=target.cleaned_data["item"], lineage__centre=centre
        )
    form = ApplicantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filing = assistance.open_assisted_filing(
                centre=centre,
                applicant=form.applicant(),
                item_ids=[item.pk] if item else None,
                bundle=bundle,
                actor=request.user,
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            return redirect("desks:assistance_filing", filing.pk)
    return _desk(
        request, "desks/assistance/new.html", {"form": form, "item": item, "bundle": bundle, "centre": centre}
    )


def _followed(request, pk) -> Filing:
    """An assisted filing the user follows (404 for any other)."""
    return get_object_or_404(selectors.filing_detail(assistance.assisted_filings_of(request.user)), pk=pk)


@login_required
@permission_required(ASSISTANT, raise_exception=True)
def filing(request, pk):
    filing = _followed(request, pk)
    others = list(assistance.assistants_at(filing.centre_id, besides=request.user))
    history = [(entry, FILING_STEPS.get(entry.transition, entry.transition)) for entry in history_of(filing)]
    return _desk(
        request,
        "desks/assistance/filing.html",
        {
            "filing": filing,
            "next_step": assistance.next_step(filing),
            "draft": filing.state == FilingState.DRAFT,
            "ended": filing.state in assistance.FINISHED,
            "hand_over_form": HandOverForm(choices=others),
            "history": history,
        },
    )


@require_POST
@login_required
@permission_required(ASSISTANT, raise_exception=True)
def upload(request, pk, material_id):
    filing = _followed(request, pk)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            assistance.attach_assisted_upload(
                filing_id=filing.pk,
                material_id=material_id,
                file=file,
                actor=request.user,
                client_ip=client_ip(request),
            )
        except REFUSED as error:
            _refused(request, error)
        else:
            messages.success(request, _("File uploaded."))
    return redirect(reverse("desks:assistance_filing", args=[filing.pk]) + "#materials")


@require_POST
@login_required
@permission_required(ASSISTANT, raise_exception=True)
def submit(request, pk):
    filing = _followed(request, pk)
    try:
        assistance.submit_assisted(filing_id=filing.pk, actor=request.user, client_ip=client_ip(request))
    except REFUSED as error:
        _refused(request, error)
    else:
        messages.success(request, _("Submitted: the filing waits for a window's pre-review."))
    return redirect("desks:assistance_filing", filing.pk)


@require_POST
@login_required
@permission_required(ASSISTANT, raise_exception=True)
def hand_over(request, pk):
    filing = _followed(request, pk)
    form = HandOverForm(
        request.POST, choices=assistance.assistants_at(filing.centre_id, besides=request.user)
    )
    if not form.is_valid():
        for line in problems(form):
            messages.error(request, line)
        return redirect("desks:assistance_filing", filing.pk)
    try:
        filing = assistance.hand_over(
            filing_id=filing.pk,
            to_user_id=form.cleaned_data["to_user"],
            note=form.cleaned_data["note"],
            actor=request.user,
            client_ip=client_ip(request),
        )
    except REFUSED as error:
        _refused(request, error)
        return redirect("desks:assistance_filing", filing.pk)
    messages.success(request, _("Handed over to %(colleague)s.") % {"colleague": filing.assistant})
    # The filing is the other assistant's now: back to the queue.
    return redirect("desks:assistance_queue")


@require_POST
@login_required
def set_green_channel(request, pk, action):
    """Flag (``flag``) or unflag (``unflag``) a filing's green channel, from whichever desk page it
    was posted (``next``); a filing the user may not flag is a 404."""
    if action not in ("flag", "unflag"):
        raise BadRequest(_("“%(action)s” is not one of this page's actions.") % {"action": action[:60]})
    filing = get_object_or_404(green_channel.flaggable_by(request.user), pk=pk)
    form = GreenChannelForm(request.POST)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("desks:home")
    if not form.is_valid():
        for line in problems(form):
            messages.error(request, line)
        return redirect(back)
    service = green_channel.flag_green_channel if action == "flag" else green_channel.unflag_green_channel
    try:
        service(
            filing_id=filing.pk,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            client_ip=client_ip(request),
        )
    except REFUSED as error:
        _refused(request, error)
    else:
        done = _("Put in the green channel.") if action == "flag" else _("Taken out of the green channel.")
        messages.success(request, done)
    return redirect(back)


urlpatterns = [
    path("assistance/", queue, name="assistance_queue"),
    path("assistance/new/", new_filing, name="assistance_new"),
    path("assistance/filings/<int:pk>/", filing, name="assistance_filing"),
    path("assistance/filings/<int:pk>/materials/<int:material_id>/upload/", upload, name="assistance_upload"),
    path("assistance/filings/<int:pk>/submit/", submit, name="assistance_submit"),
    path("assistance/filings/<int:pk>/hand-over/", hand_over, name="assistance_hand_over"),
    path("filings/<int:pk>/green-channel/<str:action>/", set_green_channel, name="green_channel"),
]
