"""Who is asking, for fair admission (store/admission.py): each request's client address and kind, set as
the store's CALLER for the request's thread.

The client is the TCP peer's address, unless that peer is a proxy named in CPS_TRUSTED_PROXIES (addresses or
networks such as `10.0.0.0/8`): then it is the address that proxy says it forwarded for, read from the
right of `Forwarded: for=...` (RFC 7239) or else `X-Forwarded-For`, skipping further trusted proxies. A
forwarded address from anyone else is ignored, so a client cannot claim a fresh address per request.
IPv6 clients count per /64 (one host usually holds a whole /64).

The kind is SPARQL for the endpoint, the Graph Store and the dumps (anyone's queries) and SITE for the rest
(the browser's pages, the stored-query API); /readyz is SITE without a client, so a load balancer's probe
never uses up a client's share.
"""

from __future__ import annotations

import ipaddress
import re

from flask import request

from ..config import words
from ..store.admission import CALLER, SITE, SPARQL, Caller

SPARQL_BLUEPRINTS = {"sparql", "graphstore"}
UNCOUNTED_PATHS = {"/readyz", "/healthz"}
FORWARDED_FOR = re.compile(r'for=(?:"([^"]*)"|([^;,\s]*))', re.IGNORECASE)


def init_app(app) -> None:
    networks = [ipaddress.ip_network(item, strict=False) for item in words(app.config["TRUSTED_PROXIES"])]
    app.extensions["cpsgraph.trusted_proxies"] = networks

    @app.before_request
    def _caller() -> None:
        kind = SPARQL if request.blueprint in SPARQL_BLUEPRINTS else SITE
        client = None if request.path in UNCOUNTED_PATHS else client_address(request, networks)
        CALLER.set(Caller(client, kind))

    @app.teardown_request
    def _forget(_exc=None) -> None:
        CALLER.set(None)


def client_address(req, trusted: list) -> str:
    """The client's address as the module's docstring says (an IPv6 address as its /64)."""
    peer = _parse(req.remote_addr or "")
    if peer is None:
        return req.remote_addr or "unknown"
    if trusted and _trusted(peer, trusted):
        for hop in reversed(_forwarded_chain(req)):
            address = _parse(hop)
            if address is None:
                break  # `unknown`, an obfuscated name or garbage: the last trusted proxy is the client
            peer = address
            if not _trusted(address, trusted):
                break
    return _key(peer)


def _forwarded_chain(req) -> list[str]:
    forwarded = req.headers.getlist("Forwarded")
    if forwarded:
        return [quoted or bare for header in forwarded for quoted, bare in FORWARDED_FOR.findall(header)]
    return [hop.strip() for header in req.headers.getlist("X-Forwarded-For") for hop in header.split(",")]


def _parse(text: str):
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:4711 (Forwarded)
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # 192.0.2.1:4711
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address, trusted: list) -> bool:
    return any(address in network for network in trusted if network.version == address.version)


def _key(address) -> str:
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))
