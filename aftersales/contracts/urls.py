from django.urls import path

from aftersales.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/<int:customer_pk>/", views.contract_create, name="create"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/renew/", views.contract_renew, name="renew"),
    path("<int:pk>/decline/", views.renewal_decline, name="decline"),
    path("<int:pk>/terminate/", views.contract_terminate, name="terminate"),
    path("<int:pk>/expiry-notice.pdf", views.expiry_notice, name="expiry_notice"),
]
