"""(stub: being built for issue 17) The window evaluation pad (评价器)."""

urlpatterns = []
