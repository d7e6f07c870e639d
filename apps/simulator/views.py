from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from apps.accounts.readers import reader_for_write, reader_of_request
from apps.core.http import refuse
from apps.core.page_cache import cached_for_anonymous

from . import content, services
from .selectors import simulator_context, simulator_finished_at

TEMPLATE = "simulator/simulator.html"


@require_safe
@cached_for_anonymous
def simulator(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATE, simulator_context(scenario=content.scenario(), session=request.session))


@vary_on_headers("HX-Request")
@require_POST
def act(request: HttpRequest, post_key: str) -> HttpResponse:
    action, _colon, value = request.POST.get("set", "").partition(":")
    scenario = content.scenario()
    try:
        services.simulation_act(
            session=request.session, scenario=scenario, post_key=post_key, action=action, value=value
        )
    except services.SimulationRefused as refusal:
        return refuse(request, str(refusal))
    if not request.htmx:
        return redirect(f"{reverse('simulator:simulator')}#post-{post_key}")
    context = simulator_context(scenario=scenario, session=request.session, changed_post=post_key)
    return render(request, f"{TEMPLATE}#post-response", context)


@vary_on_headers("HX-Request")
@require_POST
def switches(request: HttpRequest) -> HttpResponse:
    try:
        services.simulation_switches_set(session=request.session, switches=request.POST.getlist("switch"))
    except services.SimulationRefused as refusal:
        return refuse(request, str(refusal))
    if not request.htmx:
        return redirect(f"{reverse('simulator:simulator')}#settings")
    context = simulator_context(scenario=content.scenario(), session=request.session, settings_changed=True)
    return render(request, f"{TEMPLATE}#settings-response", context)


@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    services.simulation_clear(session=request.session)
    return redirect("simulator:simulator")


@require_safe
def debrief(request: HttpRequest) -> HttpResponse:
    context = simulator_context(scenario=content.scenario(), session=request.session, debrief=True)
    context["finished_at"] = simulator_finished_at(reader=reader_of_request(request))
    return render(request, "simulator/debrief.html", context)


@require_POST
def finish(request: HttpRequest) -> HttpResponse:
    if services.simulation_of(request.session).is_empty:
        return refuse(request, _("Try the simulator first: there is nothing to finish yet."))
    with transaction.atomic():
        services.simulator_finish(reader=reader_for_write(request))
    return redirect(f"{reverse('simulator:debrief')}#finished")
