"""Which addresses the network policy lets dzenpress connect to: public unicast ones only."""

from __future__ import annotations

import ipaddress
import socket

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_ip(host: str) -> Address | None:
    """The address a URL host spells literally (`127.0.0.1`, `[::1]`), or None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def why_not_public(ip: Address) -> str | None:
    """None for a public unicast address; else what it is (loopback, private, link-local, …)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            return why_not_public(embedded)
    for test, name in ((ip.is_loopback, "a loopback"), (ip.is_link_local, "a link-local"),
                       (ip.is_multicast, "a multicast"), (ip.is_unspecified, "an unspecified"),
                       (ip.is_private, "a private"), (ip.is_reserved, "a reserved")):
        if test:
            return f"{name} address"
    if not ip.is_global:
        return "not a public address"
    return None


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to (a literal address resolves to itself)."""
    literal = parse_ip(host)
    if literal is not None:
        return [literal]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[Address] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in found:
            found.append(ip)
    return found
