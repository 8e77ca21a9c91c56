"""Public documents of verifiable credentials, at the site's root: did:web resolves
`did:web:<host>:issuers:<id>` to `/issuers/<id>/did.json`."""

from django.urls import path

from certificates.rest import views_credentials as vc

urlpatterns = [
    path("issuers/<int:pk>/did.json", vc.IssuerDidView.as_view(), name="issuer-did"),
    path("credentials/status/<int:pk>/<int:number>/", vc.StatusListView.as_view(),
         name="credentials-status-list"),
]
