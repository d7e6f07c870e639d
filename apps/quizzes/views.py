from django.http import Http404


def take(request, module_slug):
    raise Http404
