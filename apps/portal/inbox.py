"""inbox pages of the online hall."""

urlpatterns = []
