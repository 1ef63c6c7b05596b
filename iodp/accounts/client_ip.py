"""The client's address as the login throttle sees it: REMOTE_ADDR, or the trusted reverse proxy's header."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def meta_key(header_name: str) -> str:
    """The request.META key of an HTTP header ("X-Forwarded-For" -> "HTTP_X_FORWARDED_FOR")."""
    return "HTTP_" + header_name.strip().upper().replace("-", "_")


def client_ip_address(request: HttpRequest) -> str | None:
    """The address of the client that sent the request.

    With IODP_TRUSTED_PROXY_COUNT = 0 (no proxy in front) only REMOTE_ADDR counts, so a client cannot pick its
    own address by sending X-Forwarded-For. With N trusted proxies, each appending the address it received the
    request from to IODP_CLIENT_IP_HEADER, the client is the N-th entry from the right: entries further left
    came from the client and are not trusted. A header with fewer entries (or a malformed one) did not come
    through the proxies as configured, so REMOTE_ADDR is used.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    proxy_count = settings.IODP_TRUSTED_PROXY_COUNT
    if proxy_count <= 0:
        return remote_addr
    chain = [entry.strip() for entry in request.META.get(meta_key(settings.IODP_CLIENT_IP_HEADER), "").split(",")]
    chain = [entry for entry in chain if entry]
    if len(chain) < proxy_count:
        return remote_addr
    candidate = chain[-proxy_count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
