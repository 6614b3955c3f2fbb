from django.urls import path

from aftersales.care import views

app_name = "care"
urlpatterns = [
    path("", views.due_list, name="due"),
    path("visits/<id:pk>/", views.visit_detail, name="visit"),
    path("visits/<id:pk>/take/", views.visit_take, name="take"),
    path("visits/<id:pk>/skip/", views.visit_skip, name="skip"),
    path("reports/", views.reports, name="reports"),
    path("reports.xlsx", views.reports_xlsx, name="reports_xlsx"),
    path("reminders/", views.reminders, name="reminders"),
    path("rules/", views.rules, name="rules"),
]
