"""The citizen account pages' forms: what was typed, in fields; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import AuthorisationKind


def _phone_field():
    return forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


def _code_field(required=True):
    return forms.CharField(
        label=_("SMS code"),
        max_length=6,
        required=required,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


def _password_field(label, autocomplete="new-password"):
    return forms.CharField(
        label=label, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": autocomplete})
    )


class CodeForm(forms.Form):
    """The "send me a code" part every code page starts with."""

    phone = _phone_field()


class RegisterForm(forms.Form):
    full_name = forms.CharField(
        label=_("Name (as on your identity card)"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = _phone_field()
    code = _code_field()
    password = _password_field(_("Password"))
    password2 = _password_field(_("Password again"))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class CodeLoginForm(forms.Form):
    phone = _phone_field()
    code = _code_field()


class PasswordResetForm(forms.Form):
    phone = _phone_field()
    code = _code_field()
    password = _password_field(_("New password"))
    password2 = _password_field(_("New password again"))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class OrganisationForm(forms.Form):
    organisation_name = forms.CharField(label=_("Organisation name"), max_length=200)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("You act as"),
        choices=AuthorisationKind.choices,
        widget=forms.RadioSelect,
        initial=AuthorisationKind.AGENT,
    )
    letter = forms.FileField(
        label=_("Letter of authorisation (PDF or image)"),
        required=False,
        help_text=_("Required for an agent; a legal representative may add one."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required for an agent: the end date written in the letter."),
    )


def add_refusal(form: forms.Form, error) -> None:
    """A service's ValidationError on the form: under the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
