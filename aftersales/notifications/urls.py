from django.urls import path

from aftersales.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notices, name="list"),
    path("read/", views.mark_all_read, name="read_all"),
    path("<id:pk>/", views.open_notice, name="open"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<id:pk>/retry/", views.outbox_retry, name="outbox_retry"),
]
