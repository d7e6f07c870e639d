import pytest
from django.test import RequestFactory

from apps.core.http import client_address

BALANCER = "10.0.0.2"


def _request(forwarded_for: str | None = None, remote_address: str = BALANCER):
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=remote_address, **headers)


@pytest.mark.parametrize("forwarded_for", [None, "203.0.113.7", "198.51.100.1, 203.0.113.7", "garbage"])
def test_without_trusted_proxies_only_the_peer_counts(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(forwarded_for, remote_address="192.0.2.10")) == "192.0.2.10"


@pytest.mark.parametrize(
    "count,forwarded_for,client",
    [
        # One proxy: the address it appended, the last one, is the client.
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "203.0.113.7,198.51.100.1", "198.51.100.1"),
        (1, "  203.0.113.7 ,  198.51.100.1  ", "198.51.100.1"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "2001:DB8:0::1", "2001:db8::1"),
        # client -> CDN (appends the client) -> balancer (appends the CDN) -> the site
        (2, "203.0.113.7, 10.1.0.5", "203.0.113.7"),
        (2, "1.1.1.1, 203.0.113.7, 10.1.0.5", "203.0.113.7"),
    ],
)
def test_behind_n_proxies_the_nth_entry_from_the_right_is_the_client(settings, count, forwarded_for, client):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(_request(forwarded_for)) == client


@pytest.mark.parametrize(
    "spoofed",
    [
        "1.1.1.1",
        "1.1.1.1, 2.2.2.2",
        "1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4",
        "127.0.0.1",
        "not-an-address",
        "",
    ],
)
def test_a_client_cannot_choose_its_address_through_the_header(settings, spoofed):
    """Whatever the client sends, the proxy appends the real address; that one is used."""
    settings.TRUSTED_PROXY_COUNT = 1
    header = f"{spoofed}, 203.0.113.7" if spoofed else "203.0.113.7"
    assert client_address(_request(header)) == "203.0.113.7"


@pytest.mark.parametrize("count", [1, 2])
def test_the_balancer_address_is_never_the_client(settings, count):
    settings.TRUSTED_PROXY_COUNT = count
    proxies = ["10.1.0.5"] * (count - 1)
    header = ", ".join(["1.1.1.1", "203.0.113.7", *proxies])
    assert client_address(_request(header)) == "203.0.113.7"


@pytest.mark.parametrize(
    "forwarded_for",
    [
        None,
        "",
        "203.0.113.7",  # one entry where two proxies should have written two
        "203.0.113.7:4711, 10.1.0.5",
        "[2001:db8::1], 10.1.0.5",
        "unknown, 10.1.0.5",
        "203.0.113.7; 10.1.0.5",
        "203.0.113.999, 10.1.0.5",
        ", 10.1.0.5",
    ],
)
def test_malformed_or_short_header_falls_back_to_the_peer(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(_request(forwarded_for, remote_address="192.0.2.10")) == "192.0.2.10"
