from django.urls import path

from aftersales.dailyreports import views

app_name = "dailyreports"
urlpatterns = [
    path("", views.report_board, name="board"),
    path("list/", views.report_board, name="list"),
    path("mine/", views.open_my_report, name="open_mine"),
    path("technician/<id:pk>/", views.technician_report, name="technician"),
    path("technician/<id:pk>/<slug:action>/", views.technician_action, name="technician_action"),
    path("centre/", views.open_centre_report, name="open_centre"),
    path("centre/<id:pk>/", views.centre_report, name="centre"),
    path("centre/<id:pk>/<slug:action>/", views.centre_action, name="centre_action"),
]
