from django.urls import path

from . import views

app_name = "classrooms"
urlpatterns = [
    path("classes/", views.class_list, name="class_list"),
    path("classes/<id:classroom_id>/", views.class_detail, name="class_detail"),
    path("classes/<id:classroom_id>/assignments/", views.assignment_save, name="assignment_save"),
    path(
        "classes/<id:classroom_id>/assignments/<id:assignment_id>/delete/",
        views.assignment_delete,
        name="assignment_delete",
    ),
    path("classes/<id:classroom_id>/code/", views.code_regenerate, name="code_regenerate"),
    path(
        "classes/<id:classroom_id>/students/<id:student_id>/remove/",
        views.student_remove,
        name="student_remove",
    ),
    path("classes/<id:classroom_id>/rename/", views.class_rename, name="class_rename"),
    path("classes/<id:classroom_id>/archive/", views.class_archive, name="class_archive"),
    path("classes/<id:classroom_id>/delete/", views.class_delete, name="class_delete"),
    path("classes/<id:classroom_id>/co-teachers/", views.co_teacher_add, name="co_teacher_add"),
    path(
        "classes/<id:classroom_id>/co-teachers/<id:teacher_id>/remove/",
        views.co_teacher_remove,
        name="co_teacher_remove",
    ),
    path("classes/<id:classroom_id>/students/new/", views.students_new, name="students_new"),
    path(
        "classes/<id:classroom_id>/students/<id:student_id>/password/",
        views.student_password,
        name="student_password",
    ),
    path("classes/<id:classroom_id>/export.csv", views.class_export, name="class_export"),
    path("classes/<id:classroom_id>/summary/", views.class_summary, name="class_summary"),
    path(
        "classes/<id:classroom_id>/students/<id:student_id>/",
        views.student_detail,
        name="student_detail",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/classes/<id:classroom_id>/leave/", views.leave, name="leave"),
    path("dashboard/classes/<id:classroom_id>/share/", views.share, name="share"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join_link, name="join_link"),
]
