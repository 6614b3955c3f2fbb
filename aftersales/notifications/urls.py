from django.urls import path

from aftersales.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notices, name="list"),
    path("read/", views.mark_all_read, name="read_all"),
    path("<int:pk>/", views.open_notice, name="open"),
]
