from django.http import Http404


def class_list(request):
    raise Http404


def dashboard(request):
    raise Http404
