"""organisations pages of the online hall."""

urlpatterns = []
