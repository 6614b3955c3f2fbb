from django.urls import path

from aftersales.workorders.views import mobile

app_name = "mobile"
urlpatterns = [
    path("", mobile.my_jobs, name="jobs"),
    path("jobs/<id:pk>/", mobile.job, name="job"),
    path("jobs/<id:pk>/bill/", mobile.bill_fragment, name="bill"),
]
