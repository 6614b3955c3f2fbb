from django.urls import path

from aftersales.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.cards, name="cards"),
    path("cards/<int:pk>/enter/", views.card_enter, name="card_enter"),
    path("opinions/", views.items, name="items"),
    path("opinions/<int:pk>/", views.item, name="item"),
    path("opinions/<int:pk>/reply/", views.item_reply, name="item_reply"),
    path("opinions/<int:pk>/forward/", views.item_forward, name="item_forward"),
    path("opinions/<int:pk>/chase/", views.item_chase, name="item_chase"),
    path("opinions/<int:pk>/letter.pdf", views.item_letter, name="item_letter"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="task_assign"),
    path("tasks/<int:pk>/chase/", views.task_chase, name="task_chase"),
    path("ratings/", views.ratings, name="ratings"),
]
