"""The online filing wizard (在线申请): applicant, materials, declaration, submit."""

urlpatterns = []
