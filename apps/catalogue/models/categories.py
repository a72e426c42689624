from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovalCategory(models.Model):
    """后台分类: a back-office queue, e.g. 市场准入, 投资建设, 社会事务, 涉农事务, 文教卫生."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z0-9_]+$", _("A category code uses lower-case letters, digits and _."))
        ],
    )
    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("approval category")
        verbose_name_plural = _("approval categories")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
