from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.contest_list, name="list"),
    path("bo-tieu-chi/", views.criteria_list, name="criteria_list"),
    path("bo-tieu-chi/<int:pk>/", views.criteria_detail, name="criteria_detail"),
    path("tao-moi/", views.contest_create, name="create"),
    path("giam-khao/", views.judge_home, name="judge_home"),
    path("<int:pk>/", views.contest_detail, name="contest"),
    path("<int:pk>/don-vi/", views.participant_add, name="participant_add"),
    path("<int:pk>/dang-ky-tham-gia/", views.contest_join, name="join"),
    path("<int:pk>/phan-cong/", views.judge_add, name="judge_add"),
    path("<int:pk>/tong-ket/", views.contest_finalize, name="finalize"),
    path("<int:pk>/thao-tac/<slug:action>/", views.contest_action, name="contest_action"),
    path("<int:pk>/tieu-de-van-ban/", views.contest_letterhead, name="letterhead"),
    path("<int:pk>/khen-thuong/", views.award_add, name="award_add"),
    path("<int:pk>/van-ban/<slug:kind>/", views.document_make, name="document_make"),
    path("<int:pk>/van-ban/<slug:kind>/ban-hanh/", views.document_issue, name="document_issue"),
    path("<int:pk>/van-ban/<slug:kind>.pdf", views.document_pdf, name="document_pdf"),
    path("<int:pk>/giay-khen/<int:award_pk>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("<int:pk>/xep-hang/", views.ranking, name="ranking"),
    path("<int:pk>/ket-qua/", views.public_results, name="public_results"),
    path("don-vi/<int:pk>/", views.participant_detail, name="participant"),
    path("don-vi/<int:pk>/minh-chung/<int:cid>/", views.evidence_add, name="evidence_add"),
    path("don-vi/<int:pk>/tep/<int:eid>/", views.evidence_file, name="evidence_file"),
    path("don-vi/<int:pk>/thao-tac/<slug:action>/", views.participant_action, name="participant_action"),
    path("don-vi/<int:pk>/cham/", views.judge_sheet, name="judge_sheet"),
    path("mo-hinh/<int:pk>/<slug:action>/", views.initiative_action, name="initiative_action"),
]
