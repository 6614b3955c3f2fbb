from django.urls import path

from aftersales.performance import views

app_name = "performance"
urlpatterns = [
    path("", views.month, name="month"),
    path("scores.xlsx", views.month_xlsx, name="month_xlsx"),
    path("<id:pk>/", views.sheet, name="sheet"),
    path("<id:pk>/pdf/", views.sheet_pdf, name="sheet_pdf"),
    path("<id:pk>/xlsx/", views.sheet_xlsx, name="sheet_xlsx"),
    path("<id:pk>/<slug:action>/", views.sheet_action, name="sheet_action"),
    path("attendance/", views.attendance, name="attendance"),
    path("attendance/import/", views.attendance_import, name="attendance_import"),
    path("attendance/import/<str:key>/", views.attendance_import_commit, name="attendance_import_commit"),
    path("regions/", views.regions, name="regions"),
    path("costs/", views.costs, name="costs"),
]
