from django.urls import path

from aftersales.portal import views

app_name = "portal"
urlpatterns = [
    path("q/<str:token>/", views.scan, name="scan"),
    path("q/<str:token>/confirm/<str:ticket>/", views.confirm, name="confirm"),
    path("t/<str:token>/", views.track, name="track"),
    path("r/<str:token>/", views.receipt, name="receipt"),
    path("my/", views.home, name="home"),
    path("my/login/", views.login, name="login"),
    path("my/login/<str:ticket>/", views.login_confirm, name="login_confirm"),
    path("my/logout/", views.logout, name="logout"),
]
