from rest_framework.routers import SimpleRouter

from apps.catalogue.api import imports, views

router = SimpleRouter()
router.register("catalogue/categories", views.ApprovalCategoryViewSet, basename="catalogue-category")
router.register("catalogue/materials", views.MaterialViewSet, basename="catalogue-material")
router.register("catalogue/items", views.ServiceItemViewSet, basename="catalogue-item")
router.register("catalogue/imports", imports.ImportJobViewSet, basename="catalogue-import")
router.register("catalogue/bundles", views.BundleViewSet, basename="catalogue-bundle")
urlpatterns = router.urls
