from django.urls import path

from portal.publicity import register_views, views

app_name = "publicity"
urlpatterns = [
    path("", register_views.register_list, name="register"),
    path("tao/", register_views.publication_create, name="create"),
    path("ke-hoach/<int:year>/", register_views.plan, name="plan"),
    path("ke-hoach/<int:year>/van-ban/", register_views.plan_document, name="plan_document"),
    path("ke-hoach/dong/<int:entry_pk>/bo/", register_views.plan_entry_withdraw, name="plan_entry_withdraw"),
    path("danh-sach-quy/", register_views.quarterly, name="quarterly"),
    path("bao-cao-hdnd/", register_views.report, name="report"),
    path("yeu-cau/", register_views.requests, name="requests"),
    path("yeu-cau/<int:request_pk>/tra-loi/", register_views.request_answer, name="request_answer"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/thao-tac/<slug:action>/", views.publication_action, name="action"),
    path("<int:pk>/tep.pdf", views.publication_file, name="file"),
    path("<int:pk>/van-ban.pdf", views.publication_document_pdf, name="document_pdf"),
    path("niem-yet/", views.my_postings, name="my_postings"),
    path("niem-yet/<int:posting_pk>/", views.posting_confirm, name="posting_confirm"),
    path("niem-yet/<int:posting_pk>/anh/", views.posting_photo, name="posting_photo"),
    path("niem-yet/<int:posting_pk>/go/", views.posting_take_down, name="posting_take_down"),
    path("truyen-thanh/", views.radio_home, name="radio"),
    path("truyen-thanh/<int:posting_pk>/", views.broadcast_log, name="broadcast_log"),
]
