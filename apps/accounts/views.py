"""Account pages that Django provides, with what the hall adds to them: the audit log entry."""

from django.contrib.auth import views as auth_views
from django.db import transaction

from apps.audit.requests import client_ip
from apps.audit.services import record_step


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, logged (who, when, from which address) with the change itself."""

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        record_step(form.user, step="password_changed", actor=form.user, client_ip=client_ip(self.request))
        return response
