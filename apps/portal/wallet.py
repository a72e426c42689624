"""wallet pages of the online hall."""

urlpatterns = []
