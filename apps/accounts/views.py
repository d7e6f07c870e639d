from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from apps.core.http import client_address

from . import services
from .forms import AccountDeleteForm, ChosenPasswordChangeForm, DisplayNameForm, SignUpForm


def _safe_next(request: HttpRequest, default: str = "pages:home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _refused(request: HttpRequest) -> int:
    """The status of a form page shown again: 422 when it answers a refused POST."""
    return 422 if request.method == "POST" else 200


class _RefusedFormStatus:
    """Django's class-based auth views show a refused form with 200; ours say 422, like every form."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_sign_up(form=form, address=client_address(request))
        except ValidationError as error:  # a look-alike username won a race since the form's check
            form.add_error("username", error)
        else:
            services.user_log_in(request=request, user=user)
            messages.success(request, _("Welcome, %(name)s! Your account is ready.") % {"name": user})
            return redirect(_safe_next(request))
    context = {"form": form, "next": _safe_next(request, "")}
    return render(request, "accounts/signup.html", context, status=_refused(request))


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        services.user_log_in(request=request, user=user)
        # A teacher's day starts with their classes; a learner's with where they left off.
        return redirect(_safe_next(request, "classrooms:class_list" if user.is_teacher else "pages:home"))
    context = {"form": form, "next": _safe_next(request, "")}
    return render(request, "accounts/login.html", context, status=_refused(request))


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        messages.info(request, _("You are logged out."))
        return redirect("pages:home")
    return render(request, "accounts/logout.html")


@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = ChosenPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        services.user_password_changed(user=user)
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("pages:home")
    return render(request, "accounts/password_change.html", {"form": form}, status=_refused(request))


def _account_page(
    request: HttpRequest, *, name_form=None, delete_form=None, status: int = 200
) -> HttpResponse:
    context = {
        "name_form": name_form or DisplayNameForm(initial={"display_name": request.user.display_name}),
        "delete_form": delete_form or AccountDeleteForm(request.user),
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@login_required
@require_http_methods(["POST"])
def display_name(request: HttpRequest) -> HttpResponse:
    form = DisplayNameForm(request.POST)
    if not form.is_valid():
        return _account_page(request, name_form=form, status=422)
    services.user_display_name_set(user=request.user, display_name=form.cleaned_data["display_name"])
    messages.success(request, _("Your display name has been saved."))
    return redirect("accounts:account")


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["POST"])
def delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.user, request.POST)
    if not form.is_valid():
        return _account_page(request, delete_form=form, status=422)
    services.user_delete(user=request.user)
    logout(request)
    messages.success(request, _("Your account and all its data have been deleted."))
    return redirect("pages:home")


# Django's own password reset by email, with our templates and namespaced URLs. Readers who gave no
# email ask their teacher, who can reset a student's password.
class PasswordResetView(_RefusedFormStatus, auth_views.PasswordResetView):
    def form_valid(self, form):
        email, address = form.cleaned_data["email"], client_address(self.request)
        if not services.password_reset_may_send(email=email, address=address):
            return redirect(self.get_success_url())  # the same page as when a mail goes: nothing revealed
        return super().form_valid(form)


password_reset = PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


class PasswordResetConfirmView(_RefusedFormStatus, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=form.user)
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
