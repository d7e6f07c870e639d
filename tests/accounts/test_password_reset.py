"""Resetting a forgotten password by email, end to end (Django's views, our templates, both languages)."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from apps.accounts.models import User
from tests.factories import PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-58"


def reset_link(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body)[1]


def test_the_log_in_page_links_to_the_reset_page(client):
    body = client.get("/en/accounts/login/").content.decode()
    assert 'href="/en/accounts/password-reset/"' in body
    assert "Forgot your password?" in body


def test_the_reset_page_tells_readers_without_an_email_to_ask_their_teacher(client):
    body = client.get("/en/accounts/password-reset/").content.decode()
    assert "No email on your account? Ask your teacher" in body
    assert 'name="email"' in body


def test_reset_by_email_end_to_end(client):
    user = StudentFactory(username="lina", email="lina@example.org", must_change_password=True)
    response = client.post("/en/accounts/password-reset/", {"email": "LINA@example.org"})
    assert response.status_code == 302
    assert response.url == "/en/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lina@example.org"]
    assert "lina" in message.body  # several accounts may share one family address
    assert "\n" not in message.subject

    link = reset_link(message)
    assert link.startswith("/en/accounts/password-reset/")
    form_url = client.get(link).url  # Django moves the token into the session
    assert 'name="new_password1"' in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == "/en/accounts/password-reset/done/"

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.must_change_password  # a password they chose themselves
    fresh = Client()
    assert fresh.post("/en/accounts/login/", {"username": "lina", "password": PASSWORD}).status_code == 422
    assert (
        fresh.post("/en/accounts/login/", {"username": "lina", "password": NEW_PASSWORD}).status_code == 302
    )
    # The link worked once.
    assert "does not work any more" in Client().get(link).content.decode()


def test_an_unknown_email_sends_nothing_and_says_the_same(client):
    StudentFactory(username="lina", email="lina@example.org")
    response = client.post("/en/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.url == "/en/accounts/password-reset/sent/"
    assert mail.outbox == []
    assert "If an account has that email address" in client.get(response.url).content.decode()


def test_an_account_without_an_email_gets_nothing(client):
    StudentFactory(username="lina", email="")
    client.post("/en/accounts/password-reset/", {"email": ""})
    assert mail.outbox == []


def test_the_email_and_its_link_are_in_arabic_from_an_arabic_page(client):
    StudentFactory(username="lina", email="lina@example.org")
    client.post("/ar/accounts/password-reset/", {"email": "lina@example.org"})
    link = reset_link(mail.outbox[0])
    assert link.startswith("/ar/accounts/password-reset/")
    form_url = client.get(link).url
    body = client.get(form_url).content.decode()
    assert 'lang="ar"' in body and 'dir="rtl"' in body


def test_a_made_up_link_shows_how_to_ask_again(client):
    body = client.get("/en/accounts/password-reset/MQ/not-a-token/").content.decode()
    assert "does not work any more" in body
    assert 'href="/en/accounts/password-reset/"' in body


def test_a_weak_new_password_is_refused(client):
    user = StudentFactory(username="lina", email="lina@example.org")
    client.post("/en/accounts/password-reset/", {"email": "lina@example.org"})
    form_url = client.get(reset_link(mail.outbox[0])).url
    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 422
    assert "This password is too common." in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_the_sign_up_form_promises_only_what_exists(client):
    body = client.get("/en/accounts/signup/").content.decode()
    assert "Only used to send you a link if you forget your password." in body
    assert 'href="/en/accounts/password-reset/"' in client.get("/en/accounts/login/").content.decode()


# Throttles: nobody may fill someone's inbox through the form.


def ask_reset(client: Client, email: str, address: str = "203.0.113.9"):
    return client.post("/en/accounts/password-reset/", {"email": email}, REMOTE_ADDR=address)


def test_a_fourth_mail_within_the_hour_is_not_sent_and_the_page_says_the_same(client):
    StudentFactory(username="lina", email="lina@example.org")
    responses = [ask_reset(client, "lina@example.org", f"203.0.113.{n}") for n in range(1, 5)]
    assert [r.status_code for r in responses] == [302] * 4
    assert {r.url for r in responses} == {"/en/accounts/password-reset/sent/"}
    assert len(mail.outbox) == 3
    # The count is per address however it is typed.
    ask_reset(client, " LINA@Example.org ", "203.0.113.99")
    assert len(mail.outbox) == 3


def test_the_mails_to_one_address_start_again_after_an_hour(client):
    StudentFactory(username="lina", email="lina@example.org")
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        for _ in range(4):
            ask_reset(client, "lina@example.org")
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, 1, tzinfo=datetime.UTC), tick=False):
        ask_reset(client, "lina@example.org")
    assert len(mail.outbox) == 4


def test_an_unknown_address_counts_like_a_known_one():
    from apps.accounts import services

    for _ in range(3):
        assert services.password_reset_may_send(email="nobody@example.org", address="198.51.100.1")
    assert not services.password_reset_may_send(email="nobody@example.org", address="198.51.100.2")


def test_one_network_asking_for_many_addresses_is_answered_429_and_sends_nothing_more(client):
    for n in range(30):
        StudentFactory(username=f"pupil{n}", email=f"pupil{n}@example.org")
        assert ask_reset(client, f"pupil{n}@example.org").status_code == 302
    StudentFactory(username="one-more", email="one-more@example.org")
    response = ask_reset(client, "one-more@example.org")
    assert response.status_code == 429
    assert "Too many password resets" in response.content.decode()
    assert len(mail.outbox) == 30
    assert ask_reset(client, "one-more@example.org", "192.0.2.7").status_code == 302
    assert len(mail.outbox) == 31


def test_only_hashes_of_the_email_and_the_network_are_kept():
    from apps.accounts import services
    from apps.core.models import RateEvent

    services.password_reset_may_send(email="lina@example.org", address="203.0.113.9")
    keys = " ".join(RateEvent.objects.values_list("key", flat=True))
    assert RateEvent.objects.count() == 2
    assert "lina" not in keys and "example" not in keys and "203.0.113" not in keys
