from django.urls import path

from portal.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("tao/", views.document_create, name="create"),
    path("so-van-ban/", views.register_book, name="register"),
    path("so-van-ban/giu-so/", views.register_reserve, name="register_reserve"),
    path("xuat-goi/", views.bundle_request, name="bundle_request"),
    path("goi/<str:token>/", views.bundle_download, name="bundle"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/sua/", views.document_edit, name="edit"),
    path("<int:pk>/xem-truoc/", views.document_preview, name="preview"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("<int:pk>/yaml/", views.document_yaml, name="yaml"),
    path("<int:pk>/ban-hanh/", views.document_issue, name="issue"),
    path("<int:pk>/phien-ban-moi/", views.document_new_version, name="new_version"),
    path("<int:pk>/sao-chep/", views.document_copy, name="copy"),
    path("<int:pk>/bao-cao-thuc-hien/", views.document_plan_report, name="plan_report"),
    path("<int:pk>/muc/them/", views.section_add, name="section_add"),
    path("muc/<int:sid>/sua/", views.section_edit, name="section_edit"),
    path("muc/<int:sid>/di-chuyen/", views.section_move, name="section_move"),
    path("muc/<int:sid>/xoa/", views.section_delete, name="section_delete"),
    path("<int:pk>/nhiem-vu/them/", views.task_add, name="task_add"),
    path("nhiem-vu/<int:tid>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:tid>/xoa/", views.task_delete, name="task_delete"),
    path("nhiem-vu/<int:tid>/bao-cao/", views.task_report, name="task_report"),
    path("minh-chung/<int:rid>/", views.evidence_download, name="evidence"),
    path("nhiem-vu/<int:tid>/su-kien/", views.task_trigger, name="task_trigger"),
]
