"""Helpers on HTTP requests that every app may use."""

import ipaddress

from django.conf import settings


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    return address is not None and any(
        address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy, the nearest address
    in X-Forwarded-For that is not one (each proxy appends the address it saw)."""
    remote = request.META.get("REMOTE_ADDR", "")
    nearest = _address(remote)
    if not _trusted(nearest):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # not written by a proxy of ours
        nearest = address
        if not _trusted(address):
            break
    return str(nearest)
