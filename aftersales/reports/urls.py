from django.urls import path

from aftersales.reports import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("monthly/", views.monthly, name="monthly"),
    path("monthly/xlsx/", views.monthly_xlsx, name="monthly_xlsx"),
    path("monthly/pdf/", views.monthly_pdf, name="monthly_pdf"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("quarterly/pdf/", views.quarterly_pdf, name="quarterly_pdf"),
    path("quarterly/docx/", views.quarterly_docx, name="quarterly_docx"),
    path("exports/", views.export_start, name="export_start"),
    path("exports/<id:pk>/", views.export, name="export"),
    path("exports/<id:pk>/download/", views.export_download, name="export_download"),
]
