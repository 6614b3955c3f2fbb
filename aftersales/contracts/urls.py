from django.urls import path

from aftersales.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/<id:customer_pk>/", views.contract_create, name="create"),
    path("<id:pk>/", views.contract_detail, name="detail"),
    path("<id:pk>/renew/", views.contract_renew, name="renew"),
    path("<id:pk>/decline/", views.renewal_decline, name="decline"),
    path("<id:pk>/terminate/", views.contract_terminate, name="terminate"),
    path("<id:pk>/expiry-notice.pdf", views.expiry_notice, name="expiry_notice"),
]
