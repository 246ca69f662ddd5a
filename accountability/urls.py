from django.urls import path

from accountability import views

app_name = "accountability"

urlpatterns = [
    path("", views.home, name="home"),
]
