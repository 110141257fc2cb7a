from django.urls import path

from portal.publicity import views

app_name = "publicity"
urlpatterns = [
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/thao-tac/<slug:action>/", views.publication_action, name="action"),
    path("<int:pk>/tep.pdf", views.publication_file, name="file"),
    path("<int:pk>/van-ban.pdf", views.publication_document_pdf, name="document_pdf"),
    path("niem-yet/", views.my_postings, name="my_postings"),
    path("niem-yet/<int:posting_pk>/", views.posting_confirm, name="posting_confirm"),
    path("niem-yet/<int:posting_pk>/go/", views.posting_take_down, name="posting_take_down"),
    path("truyen-thanh/", views.radio_home, name="radio"),
    path("truyen-thanh/<int:posting_pk>/", views.broadcast_log, name="broadcast_log"),
]
