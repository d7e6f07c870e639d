from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.readers import reader_for_write, reader_of_request
from apps.core.http import refuse
from apps.core.page_cache import cached_for_anonymous
from apps.core.spreadsheet import csv_response

from . import selectors, services
from .forms import PathReportForm, PlatformsForm

STATES = {"done": True, "not-done": False}


@require_http_methods(["GET", "POST"])
@cached_for_anonymous
def overview(request: HttpRequest) -> HttpResponse:
    form = PlatformsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            return refuse(request, _("Choose platforms from the list."))
        groups = list(form.cleaned_data["platforms"])
        with transaction.atomic():
            services.checklist_platforms_set(reader=reader_for_write(request), groups=groups)
        messages.success(request, _("Saved: your platforms come first."))
        return redirect("checklist:overview")
    groups = selectors.group_list_for_reader(reader=reader_of_request(request))
    form = PlatformsForm(initial={"platforms": [g.pk for g in groups if g.is_chosen]})
    context = {"groups": groups, "totals": selectors.totals(groups), "form": form}
    return render(request, "checklist/checklist_overview.html", context)


@require_safe
@cached_for_anonymous
def group(request: HttpRequest, group_slug: str) -> HttpResponse:
    reader = reader_of_request(request)
    groups = selectors.group_list_for_reader(reader=reader)
    group = selectors.group_pick(groups=groups, slug=group_slug)
    context = {
        "group": group,
        "items": selectors.items_for_reader(reader=reader, groups=[group]),
        "totals": selectors.totals(groups),
    }
    return render(request, "checklist/checklist_group.html", context)


@require_POST
def item(request: HttpRequest, group_slug: str, item_key: str) -> HttpResponse:
    item = selectors.item_get(group_slug=group_slug, item_key=item_key)
    # A checkbox form sends a hidden "not-done" then, when ticked, "done": the last value wins.
    values = request.POST.getlist("state")
    if not values or any(value not in STATES for value in values):
        return refuse(request, _("The state must be “done” or “not-done”."))
    done, reconfirm = STATES[values[-1]], request.POST.get("reconfirm") == "1"
    reader = reader_of_request(request)
    # Already as asked (a double click, a second tab): nothing to write, so no write lock is taken.
    if (done and reconfirm) or not selectors.item_is_as_asked(reader=reader, item=item, done=done):
        with transaction.atomic():
            reader = reader_for_write(request)
            services.checklist_item_set(reader=reader, item=item, done=done, reconfirm=reconfirm)
    if not request.htmx:
        return redirect(f"{item.group.get_absolute_url()}#item-{item.key}")
    groups = selectors.groups_counted_for_reader(reader=reader)
    context = {
        "group": selectors.group_pick(groups=groups, slug=item.group.slug),
        "item": selectors.items_for_reader(reader=reader, item=item)[0],
        "totals": selectors.totals(groups),
    }
    return render(request, "checklist/checklist_group.html#item-response", context)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, group_slug: str, item_key: str) -> HttpResponse:
    item = selectors.item_get(group_slug=group_slug, item_key=item_key)
    form = PathReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            reader = reader_for_write(request)
            services.path_report_submit(reader=reader, item=item, note=form.cleaned_data["note"])
        messages.success(request, _("Thank you. We will check this setting's path again."))
        return redirect(f"{item.group.get_absolute_url()}#item-{item.key}")
    status = 422 if request.method == "POST" else 200
    return render(request, "checklist/pathreport_form.html", {"item": item, "form": form}, status=status)


@require_safe
def print_view(request: HttpRequest) -> HttpResponse:
    reader = reader_of_request(request)
    groups = selectors.group_list_for_reader(reader=reader)
    items = selectors.items_for_reader(reader=reader)
    for group in groups:
        group.reader_items = [i for i in items if i.group_id == group.pk]
    context = {"groups": groups, "totals": selectors.totals(groups)}
    return render(request, "checklist/checklist_print.html", context)


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    header = [_("Platform"), _("Setting"), _("Status"), _("Done on"), _("Where to find it"), _("Help page")]
    rows = [
        [
            entry.group.title,
            entry.title,
            _item_status(entry),
            date_format(entry.done_at, "SHORT_DATE_FORMAT") if entry.done_at else "",
            " > ".join(entry.steps),
            entry.help_link,
        ]
        for entry in selectors.items_for_reader(reader=reader_of_request(request))
    ]
    return csv_response(filename="data-trail-checklist.csv", header=header, rows=rows)


def _item_status(entry) -> str:
    if entry.done_at is None:
        return _("To do")
    return _("Due for review") if entry.is_due else _("Done")
