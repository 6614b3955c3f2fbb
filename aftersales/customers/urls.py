from django.urls import path

from aftersales.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_search, name="list"),
    path("export.xlsx", views.customer_export, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/<str:key>/commit/", views.import_commit, name="import_commit"),
    path("new/", views.customer_create_view, name="create"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("duplicates/<id:pk>/merge/", views.duplicate_merge, name="duplicate_merge"),
    path("duplicates/<id:pk>/dismiss/", views.duplicate_dismiss, name="duplicate_dismiss"),
    path("<id:pk>/", views.customer_detail, name="detail"),
    path("<id:pk>/edit/", views.customer_edit_view, name="edit"),
    path("<id:pk>/phones/", views.customer_add_phone_view, name="add_phone"),
    path("<id:pk>/addresses/", views.customer_add_address_view, name="add_address"),
    path("<id:pk>/equipment/new/", views.equipment_create_view, name="equipment_create"),
    path("<id:pk>/labels.pdf", views.customer_labels_pdf, name="labels"),
    path("equipment/<id:pk>/", views.equipment_detail, name="equipment"),
    path("equipment/<id:pk>/label.pdf", views.equipment_label_pdf, name="equipment_label"),
    path("equipment/<id:pk>/invoice/", views.equipment_invoice, name="equipment_invoice"),
    path("equipment/<id:pk>/reissue-label/", views.equipment_reissue_label, name="equipment_reissue_label"),
]
