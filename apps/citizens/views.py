"""Citizen account pages: registration, login by SMS code, password reset by SMS code.

Each page works without JavaScript: its "send code" button posts the same form (``send``), the page
comes back with what was typed and says where the code went; the main button does the action.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from apps.accounts.identifiers import mask_phone
from apps.audit.requests import client_ip
from apps.citizens import forms, services
from apps.citizens.models import CodePurpose
from apps.notifications.phones import mobile_number

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(default)


def _send(request, form_class, purpose: str):
    """The "send code" button: the page again with what was typed, the code on its way (or the
    refusal under the phone field)."""
    form = form_class(request.POST)
    form.errors.clear()  # only the phone is asked for now
    phone = request.POST.get("phone", "")
    try:
        services.request_code(phone=phone, purpose=purpose, client_ip=client_ip(request))
    except ValidationError as error:
        forms.add_refusal(form, error)
    else:
        messages.success(
            request,
            _("If %(phone)s may receive it, a code is on its way: it is good for 5 minutes.")
            % {"phone": mask_phone(mobile_number(phone))},
        )
    return form


@sensitive_post_parameters("password", "password2", "code")
@require_http_methods(["GET", "POST"])
def register(request):
    """注册: real-name details, the mobile number proved by a code, a password."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST":
        if "send" in request.POST:
            form = _send(request, forms.RegisterForm, CodePurpose.REGISTER)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                user = services.register(
                    full_name=data["full_name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    code=data["code"],
                    password=data["password"],
                    client_ip=client_ip(request),
                )
            except ValidationError as error:
                forms.add_refusal(form, error)
            else:
                login(request, user, backend=MODEL_BACKEND)
                messages.success(
                    request, _("Your account is ready. Verify it at any window with your identity card.")
                )
                return redirect(_next_url(request, "portal:home"))
    return render(
        request,
        "citizens/register.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_with_code(request):
    """登录 with an SMS code instead of the password."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = forms.CodeLoginForm(request.POST or None)
    if request.method == "POST":
        if "send" in request.POST:
            form = _send(request, forms.CodeLoginForm, CodePurpose.LOGIN)
        elif form.is_valid():
            try:
                user = services.login_with_code(
                    phone=form.cleaned_data["phone"],
                    code=form.cleaned_data["code"],
                    client_ip=client_ip(request),
                )
            except ValidationError as error:
                forms.add_refusal(form, error)
            else:
                login(request, user, backend=MODEL_BACKEND)
                return redirect(_next_url(request, settings.LOGIN_REDIRECT_URL))
    return render(
        request,
        "citizens/login_code.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@sensitive_post_parameters("password", "password2", "code")
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """找回密码: a new password, proved by a code to the account's mobile number."""
    form = forms.PasswordResetForm(request.POST or None)
    if request.method == "POST":
        if "send" in request.POST:
            form = _send(request, forms.PasswordResetForm, CodePurpose.RESET)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.reset_password(
                    phone=data["phone"],
                    code=data["code"],
                    password=data["password"],
                    client_ip=client_ip(request),
                )
            except ValidationError as error:
                forms.add_refusal(form, error)
            else:
                messages.success(request, _("Your password is changed: log in with it."))
                return redirect("accounts:login")
    return render(request, "citizens/password_reset.html", {"form": form})
