from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(sender, using, apps=None, **kwargs):
    from django.apps import apps as global_apps

    from apps.accounts.roles import sync_role_groups

    # `migrate` passes the migration state's apps; `flush` (as in transactional tests) passes none.
    sync_role_groups(apps or global_apps, using=using)


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self):
        # Setup, not business logic: keeps role groups equal to roles.ROLE_PERMISSIONS after every
        # migrate, once all apps' permissions exist.
        post_migrate.connect(_sync_roles_after_migrate, sender=self, dispatch_uid="accounts.sync_roles")
