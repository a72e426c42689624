"""The client address of a request: what the audit log records, what the login lockout counts and
what the verification rate limit keys on (django-axes calls ``client_ip`` too: AXES_CLIENT_IP_CALLABLE).

X-Forwarded-For is anyone's to write. It is believed only when the socket's peer is one of the
reverse proxies in HALL_TRUSTED_PROXIES, and then read from the right: each trusted proxy appends
the address it saw, so the first entry from the right that is not a trusted proxy is the client.
Anything there that is not a plain IP address (a port, a zone, words, markup) means the header
cannot be trusted at all, and the peer is the client.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """HALL_TRUSTED_PROXIES parsed (checked when the settings load: hall.environment.env_networks)."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def parse_address(value: str | None) -> Address | None:
    """``value`` as an IP address the log can hold, or None."""
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    if getattr(address, "scope_id", None):  # fe80::1%eth0: an interface name is not an address
        return None
    return address


def client_ip(request) -> str | None:
    """The client's address as a string, or None when the peer's address is unreadable."""
    peer = parse_address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    networks = trusted_networks(tuple(settings.HALL_TRUSTED_PROXIES))

    def trusted(address: Address) -> bool:
        return any(address in network for network in networks)

    if not trusted(peer):
        return str(peer)
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_address(hop)
        if address is None:
            return str(peer)
        client = address
        if not trusted(address):
            break
    return str(client)
