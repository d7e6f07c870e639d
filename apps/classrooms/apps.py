from django.apps import AppConfig


class ClassroomsConfig(AppConfig):
    name = "apps.classrooms"
    label = "classrooms"
