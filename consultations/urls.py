from django.urls import path

from consultations import views

app_name = "consultations"
urlpatterns = [
    # Public
    path("", views.public_list, name="public_list"),
    path("tra-cuu/", views.track, name="track"),
    path("<int:pk>/", views.public_detail, name="public_detail"),
    path("<int:pk>/gop-y/", views.comment_submit, name="comment_submit"),
    path("<int:pk>/da-nhan/<str:code>/", views.receipt, name="receipt"),
    path("<int:pk>/ket-qua.json", views.results_json, name="results_json"),
    # Staff
    path("quan-ly/", views.consultation_list, name="list"),
    path("quan-ly/tao-moi/", views.consultation_create, name="create"),
    path("<int:pk>/quan-ly/", views.consultation_manage, name="manage"),
    path("<int:pk>/sua/", views.consultation_edit, name="edit"),
    path("<int:pk>/thao-tac/<slug:action>/", views.consultation_transition, name="transition"),
    path("<int:pk>/du-thao/moi/", views.version_create, name="version_create"),
    path("<int:pk>/du-thao/<int:number>/", views.version_detail, name="version_detail"),
    path("<int:pk>/cong-khai/", views.postings, name="postings"),
    path("niem-yet/", views.my_postings, name="my_postings"),
    path("niem-yet/<int:posting_pk>/", views.posting_confirm, name="posting_confirm"),
    path("truyen-thanh/", views.radio_home, name="radio"),
    path("truyen-thanh/<int:posting_pk>/", views.broadcast_log, name="broadcast_log"),
    path("<int:pk>/y-kien/", views.comment_list, name="comments"),
    path("<int:pk>/y-kien/them/", views.comment_record, name="comment_record"),
    path("<int:pk>/y-kien/<int:comment_pk>/", views.comment_detail, name="comment_detail"),
    path("<int:pk>/y-kien/<int:comment_pk>/<slug:action>/", views.comment_action, name="comment_action"),
    path("<int:pk>/hoi-nghi/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/nhap/", views.import_comments, name="import"),
    path("<int:pk>/nhap/<int:batch_pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/nhap/<int:batch_pk>/thu-lai/", views.import_retry, name="import_retry"),
    path("<int:pk>/ket-qua/", views.results, name="results"),
    path("<int:pk>/xuat.<str:fmt>", views.export, name="export"),
    # MTTQ / Công đoàn
    path("<int:pk>/giam-sat/", views.review, name="review"),
    path("<int:pk>/giam-sat/tong-hop/", views.summary_save, name="summary"),
]
