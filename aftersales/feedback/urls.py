from django.urls import path

from aftersales.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.cards, name="cards"),
    path("cards/<id:pk>/enter/", views.card_enter, name="card_enter"),
    path("opinions/", views.items, name="items"),
    path("opinions/<id:pk>/", views.item, name="item"),
    path("opinions/<id:pk>/reply/", views.item_reply, name="item_reply"),
    path("opinions/<id:pk>/forward/", views.item_forward, name="item_forward"),
    path("opinions/<id:pk>/chase/", views.item_chase, name="item_chase"),
    path("opinions/<id:pk>/letter.pdf", views.item_letter, name="item_letter"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<id:pk>/", views.task, name="task"),
    path("tasks/<id:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<id:pk>/assign/", views.task_assign, name="task_assign"),
    path("tasks/<id:pk>/chase/", views.task_chase, name="task_chase"),
    path("ratings/", views.ratings, name="ratings"),
]
