"""Accounts as pages, in the site's layout: sign up, verify, sign in and out, change and reset
the password, followed through the e-mails as a user would (Django's test client)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db
EMAIL = "ada@example.com"
PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "staple-battery-horse"


def link_in_last_mail(to: str) -> str:
    """The path of the link in the last message to `to`."""
    message = mail.outbox[-1]
    assert message.to == [to]
    [link] = re.findall(r"https?://\S+", str(message.body))
    assert link.startswith("http://testserver/")  # absolute, on this site
    return str(link).removeprefix("http://testserver")


def sign_up_and_verify(client: Client) -> None:
    response = client.post("/accounts/signup/", {"email": EMAIL, "password1": PASSWORD})
    assert response.status_code == 302, response.content
    assert response["Location"] == "/accounts/confirm-email/"
    confirm = link_in_last_mail(EMAIL)
    page = client.get(confirm)
    assert page.status_code == 200
    assert EMAIL in page.content.decode()
    assert client.post(confirm).status_code == 302
    assert EmailAddress.objects.get(email=EMAIL).verified


def sign_in(client: Client, password: str = PASSWORD) -> int:
    return client.post("/accounts/login/", {"login": EMAIL, "password": password}).status_code


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/accounts/login/", "Sign In"),
        ("/accounts/signup/", "Signup"),
        ("/accounts/password/reset/", "Password Reset"),
    ],
)
def test_the_forms_render_in_the_site_layout(client: Client, path: str, title: str) -> None:
    page = client.get(path).content.decode()
    assert re.search(rf"<title>\s*{title}\s* · ", page)
    assert 'class="site-header"' in page
    assert '<form method="post" class="stacked"' in page
    assert '<div class="field">' in page
    assert '<button class="button" type="submit">' in page


def test_help_made_of_a_list_sits_in_a_block(client: Client) -> None:
    # The password rules are a <ul>, which a <p> cannot hold.
    page = client.get("/accounts/signup/").content.decode()
    assert '<div class="help" id="id_password1_helptext"><ul>' in page


def test_sign_up_verify_sign_in_and_out(client: Client) -> None:
    sign_up_and_verify(client)
    page = client.get("/").content.decode()
    assert f"<strong>{EMAIL}</strong>" in page  # verifying signed the user in
    assert '<form method="post" action="/accounts/logout/">' in page
    assert client.post("/accounts/logout/").status_code == 302
    assert "Signed in as" not in client.get("/").content.decode()
    assert sign_in(client) == 302
    assert "Signed in as" in client.get("/").content.decode()


def test_an_unverified_user_cannot_sign_in(client: Client) -> None:
    client.post("/accounts/signup/", {"email": EMAIL, "password1": PASSWORD})
    other = Client()
    response = other.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert response["Location"] == "/accounts/confirm-email/"  # told to verify first
    assert "Signed in as" not in other.get("/").content.decode()


def test_a_wrong_password_is_refused_with_a_message(client: Client) -> None:
    sign_up_and_verify(client)
    response = Client().post("/accounts/login/", {"login": EMAIL, "password": "wrong"})
    assert response.status_code == 200
    assert 'class="form-errors" role="alert"' in response.content.decode()


def test_password_change(client: Client) -> None:
    sign_up_and_verify(client)
    change = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post("/accounts/password/change/", change).status_code == 302
    assert sign_in(Client()) == 200  # refused: the form again, with its errors
    assert sign_in(Client(), NEW_PASSWORD) == 302


def test_password_reset_through_the_mailed_link(client: Client) -> None:
    sign_up_and_verify(client)
    anonymous = Client()
    requested = anonymous.post("/accounts/password/reset/", {"email": EMAIL})
    assert requested.status_code == 302
    link = link_in_last_mail(EMAIL)
    form = anonymous.get(link, follow=True)  # the key moves into the session, out of the URL
    assert form.status_code == 200
    set_password = form.redirect_chain[-1][0]
    new = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert anonymous.post(set_password, new).status_code == 302
    assert sign_in(Client()) == 200  # the old password is refused
    assert sign_in(Client(), NEW_PASSWORD) == 302
    used = Client().get(link, follow=True)
    assert "Bad Token" in used.content.decode()  # a used link is refused


def test_sign_in_is_throttled(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "auth": "2/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    for _ in range(2):
        assert sign_in(client, "wrong") == 200
    response = client.post("/accounts/login/", {"login": EMAIL, "password": "wrong"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()
