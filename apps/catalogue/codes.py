"""Code lists of GB/T 39046-2020 (政务服务平台基础数据规范) and of material requirements.

Codes are stored as the standard's own codes so that exports and data exchange use them unchanged.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.worktime.codes import SpecialProcedure as _SpecialProcedure


class ItemType(models.TextChoices):
    """事项类型, code list A.1."""

    LICENSING = "01", _("Administrative licensing")  # 行政许可
    PENALTY = "02", _("Administrative penalty")  # 行政处罚
    COERCION = "03", _("Administrative coercion")  # 行政强制
    LEVY = "04", _("Administrative levy")  # 行政征收
    PAYMENT = "05", _("Administrative payment")  # 行政给付
    INSPECTION = "06", _("Administrative inspection")  # 行政检查
    CONFIRMATION = "07", _("Administrative confirmation")  # 行政确认
    REWARD = "08", _("Administrative reward")  # 行政奖励
    ADJUDICATION = "09", _("Administrative adjudication")  # 行政裁决
    OTHER = "10", _("Other administrative power")  # 其他行政权力
    PUBLIC_SERVICE = "20", _("Public service")  # 公共服务


class ExerciseLevel(models.TextChoices):
    """行使层级, code list A.2 (7: managed at several levels)."""

    NATIONAL = "1", _("National")  # 国家级
    PROVINCIAL = "2", _("Provincial")  # 省级
    CITY = "3", _("City")  # 市级
    COUNTY = "4", _("County")  # 县级
    TOWN = "5", _("Town / street")  # 镇(乡、街道)级
    VILLAGE = "6", _("Village / community")  # 村(社区)级
    TIERED = "7", _("Managed at several levels")  # 分级管理


class ServiceObject(models.TextChoices):
    """服务对象, code list A.4."""

    PERSON = "1", _("Natural person")  # 自然人
    ENTERPRISE = "2", _("Enterprise legal person")  # 企业法人
    INSTITUTION = "3", _("Public institution")  # 事业法人
    SOCIAL_ORGANISATION = "4", _("Social organisation")  # 社会组织法人
    GOVERNMENT = "5", _("Government body")  # 行政机关
    OTHER = "6", _("Other organisation")  # 其他组织


class Channel(models.TextChoices):
    """办理形式, code list A.5."""

    WINDOW = "1", _("At a window")  # 窗口办理
    ONLINE = "2", _("Online (PC)")  # 网上办理
    MOBILE = "3", _("Mobile")  # 移动端
    POST = "4", _("By post")  # 快递申请


class HandlingType(models.TextChoices):
    """办件类型, code list A.6."""

    IMMEDIATE = "1", _("Decided on the spot")  # 即办件
    PROMISED = "2", _("Decided within the promised limit")  # 承诺件


class Visits(models.IntegerChoices):
    """到办事现场次数."""

    NONE = 0, _("No visit (零跑动)")
    ONE = 1, _("At most one visit (最多跑一次)")
    MORE = 2, _("More than one visit")


# The procedures that stop the clock are the working-day clock's vocabulary; items name which apply.
SpecialProcedure = _SpecialProcedure


class Necessity(models.TextChoices):
    """Whether a material must be handed in; ordered from strictest to loosest (see STRICTNESS)."""

    REQUIRED = "required", _("Required")  # 必要
    DEFERRABLE = "deferrable", _("May follow later")  # 容缺后补
    OPTIONAL = "optional", _("Optional")  # 非必要


# Merging requirements of several items keeps the strictest necessity.
NECESSITY_STRICTNESS = {Necessity.REQUIRED: 2, Necessity.DEFERRABLE: 1, Necessity.OPTIONAL: 0}


class MaterialForm(models.TextChoices):
    PAPER = "paper", _("Paper")  # 纸质
    ELECTRONIC = "electronic", _("Electronic")  # 电子
    BOTH = "both", _("Paper and electronic")  # 纸质+电子


class MaterialType(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate or proof")  # 证件证书证明
    FORM = "form", _("Application form or document")  # 申请表格文书
    OTHER = "other", _("Other")  # 其他


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("Provided by the applicant")  # 申请人自备
    GOVERNMENT = "government", _("Issued by a government body")  # 政府部门核发


class ItemKind(models.TextChoices):
    BASE = "base", _("Base catalogue item")  # 基本目录
    IMPLEMENTATION = "implementation", _("Implementation")  # 实施清单


class ItemState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    RETIRED = "retired", _("Retired")


OPEN_STATES = (ItemState.DRAFT, ItemState.IN_REVIEW)


# How the steps of a service item's version read in the audit log (the admin's buttons say the same:
# apps.catalogue.admin.ACTIONS): its graph's transitions, written one by one or by an import
# (apps.catalogue.transfer.writing), and the maintainers' edits (apps.catalogue.services).
ITEM_STEPS = {
    "draft_created": _("Draft created"),
    "draft_edited": _("Draft edited"),
    "version_started": _("New version started"),
    "submit_for_review": _("Submitted for review"),
    "return_to_draft": _("Returned to draft"),
    "publish": _("Published"),
    "supersede": _("Superseded"),
    "retire": _("Retired"),
}

# … and of a bundle (一件事).
BUNDLE_STEPS = {
    "bundle_created": _("Bundle created"),
    "bundle_edited": _("Bundle edited"),
    "publish": _("Published"),
    "retire": _("Retired"),
}
