from django.urls import path

from aftersales.configuration import views

app_name = "configuration"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/notice/", views.calendar_notice, name="notice"),
    path("calendar/<id:year>/confirm/", views.calendar_confirm, name="confirm"),
    path("calendar/<id:year>/reopen/", views.calendar_reopen, name="reopen"),
    path("calendar/<id:year>/day/", views.calendar_day, name="day"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/<str:key>/history/", views.rule_history, name="rule_history"),
]
