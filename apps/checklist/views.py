import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import selectors, services
from .forms import PathReportForm, PlatformsForm

STATES = {"done": True, "not-done": False}


@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest) -> HttpResponse:
    owner = request.user if request.user.is_authenticated else None
    form = PlatformsForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose platforms from the list."))
        services.checklist_platforms_set(
            owner=owner, session=request.session, groups=list(form.cleaned_data["platforms"])
        )
        messages.success(request, _("Saved: your platforms come first."))
        return redirect("checklist:overview")
    groups = selectors.group_list_for_reader(request=request)
    form = PlatformsForm(initial={"platforms": [g.pk for g in groups if g.is_chosen]})
    context = {"groups": groups, "totals": selectors.totals(groups), "form": form}
    return render(request, "checklist/checklist_overview.html", context)


@require_safe
def group(request: HttpRequest, group_slug: str) -> HttpResponse:
    groups = selectors.group_list_for_reader(request=request)
    group = selectors.group_pick(groups=groups, slug=group_slug)
    context = {
        "group": group,
        "items": selectors.items_for_reader(request=request, groups=[group]),
        "totals": selectors.totals(groups),
    }
    return render(request, "checklist/checklist_group.html", context)


@require_POST
def item(request: HttpRequest, group_slug: str, item_key: str) -> HttpResponse:
    item = selectors.item_get(group_slug=group_slug, item_key=item_key)
    # A checkbox form sends a hidden "not-done" then, when ticked, "done": the last value wins.
    values = request.POST.getlist("state")
    if not values or any(value not in STATES for value in values):
        return HttpResponseBadRequest(_("The state must be “done” or “not-done”."))
    done = STATES[values[-1]]
    if request.user.is_authenticated:
        services.checklist_item_set(
            owner=request.user, item=item, done=done, reconfirm=request.POST.get("reconfirm") == "1"
        )
    else:
        services.checklist_item_set_in_session(session=request.session, item=item, done=done)
    if not request.htmx:
        return redirect(f"{item.group.get_absolute_url()}#item-{item.key}")
    groups = selectors.group_list_for_reader(request=request)
    context = {
        "group": selectors.group_pick(groups=groups, slug=item.group.slug),
        "item": selectors.items_for_reader(request=request, item=item)[0],
        "totals": selectors.totals(groups),
    }
    return render(request, "checklist/checklist_group.html#item-response", context)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, group_slug: str, item_key: str) -> HttpResponse:
    item = selectors.item_get(group_slug=group_slug, item_key=item_key)
    form = PathReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.path_report_submit(user=request.user, item=item, note=form.cleaned_data["note"])
        messages.success(request, _("Thank you. We will check this setting's path again."))
        return redirect(f"{item.group.get_absolute_url()}#item-{item.key}")
    status = 422 if request.method == "POST" else 200
    return render(request, "checklist/pathreport_form.html", {"item": item, "form": form}, status=status)


@require_safe
def print_view(request: HttpRequest) -> HttpResponse:
    groups = selectors.group_list_for_reader(request=request)
    items = selectors.items_for_reader(request=request)
    for group in groups:
        group.reader_items = [i for i in items if i.group_id == group.pk]
    context = {"groups": groups, "totals": selectors.totals(groups)}
    return render(request, "checklist/checklist_print.html", context)


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="data-trail-checklist.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # byte-order mark: spreadsheet programs then read Arabic correctly
    writer = csv.writer(response)
    writer.writerow(
        [_("Platform"), _("Setting"), _("Status"), _("Done on"), _("Where to find it"), _("Help page")]
    )
    for entry in selectors.items_for_reader(request=request):
        if entry.done_at is None:
            status = _("To do")
        elif entry.is_due:
            status = _("Due for review")
        else:
            status = _("Done")
        writer.writerow(
            [
                entry.group.title,
                entry.title,
                status,
                date_format(entry.done_at, "SHORT_DATE_FORMAT") if entry.done_at else "",
                " > ".join(entry.steps),
                entry.link,
            ]
        )
    return response
