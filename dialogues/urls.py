from django.urls import path

from dialogues import views

app_name = "dialogues"
urlpatterns = [
    # Staff, leaders, MTTQ, village heads
    path("", views.dialogue_list, name="list"),
    path("tao-moi/", views.dialogue_create, name="create"),
    path("<int:pk>/", views.dialogue_detail, name="detail"),
    path("<int:pk>/sua/", views.dialogue_edit, name="edit"),
    path("<int:pk>/thao-tac/<slug:action>/", views.dialogue_transition, name="transition"),
    path("<int:pk>/dai-bieu/", views.attendance, name="attendance"),
    path("<int:pk>/dieu-hanh/", views.console, name="console"),
    path("<int:pk>/dieu-hanh/phat-bieu/", views.speaker_add, name="speaker_add"),
    path("<int:pk>/dieu-hanh/phat-bieu/<int:speaker_pk>/bo-qua/", views.speaker_skip, name="speaker_skip"),
    path("<int:pk>/dieu-hanh/kien-nghi/<int:petition_pk>/", views.prepared_resolve, name="prepared_resolve"),
    path("<int:pk>/ket-qua/", views.dialogue_report, name="report"),
    path("<int:pk>/tai-lieu-chu-tri.pdf", views.briefing_pdf, name="briefing"),
    path("<int:pk>/kien-nghi.xlsx", views.dialogue_xlsx, name="xlsx"),
    path("<int:pk>/giam-sat/", views.supervision_add, name="supervision_add"),
    path("<int:pk>/khao-sat/", views.survey_manage, name="survey"),
    path("<int:pk>/khao-sat/ma-qr/", views.survey_qr_print, name="survey_qr"),
    path("cap-tren/", views.overseer_overview, name="overseer"),
    path("nam/<int:year>/", views.year_report, name="year_report"),
    path("nam/<int:year>/bao-cao/", views.year_report_create, name="year_report_create"),
    path("nam/<int:year>/kien-nghi.xlsx", views.year_xlsx, name="year_xlsx"),
    path("kien-nghi/", views.petition_list, name="petitions"),
    path("kien-nghi/ghi-nhan/", views.petition_record, name="petition_record"),
    path("kien-nghi/<int:pk>/", views.petition_detail, name="petition"),
    path("kien-nghi/<int:pk>/tra-loi/<int:answer_pk>/minh-chung/", views.answer_proof, name="answer_proof"),
    path("kien-nghi/<int:pk>/<slug:action>/", views.petition_action, name="petition_action"),
    # Public
    path("cong-khai/<int:pk>/", views.public_dialogue, name="public"),
    path("gui-kien-nghi/<str:code>/", views.petition_submit, name="petition_submit"),
    path("kien-nghi-cua-toi/<str:code>/", views.my_petition, name="my_petition"),
    path("khao-sat/<str:token>/", views.survey_public, name="survey_public"),
]
