from django.urls import path

from portal.intake import views

urlpatterns = [path("", views.lookup, name="intake_lookup")]
