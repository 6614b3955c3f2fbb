from django.urls import path

from aftersales.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_search, name="list"),
    path("export.xlsx", views.customer_export, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/<str:key>/commit/", views.import_commit, name="import_commit"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("equipment/<int:pk>/", views.equipment_detail, name="equipment"),
]
