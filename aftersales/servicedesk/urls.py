from django.urls import path

from aftersales.servicedesk import views

app_name = "servicedesk"
urlpatterns = [
    path("", views.register_list, name="list"),
    path("new/", views.register_call, name="register"),
    path("lookup/", views.phone_lookup, name="lookup"),
    path("register.pdf", views.register_day_pdf, name="register_pdf"),
    path("<id:pk>/", views.request_detail, name="detail"),
    path("<id:pk>/override-category/", views.override_category, name="override"),
    path("<id:pk>/cancel/", views.cancel_request, name="cancel"),
    path("<id:pk>/chase/", views.chase, name="chase"),
]
