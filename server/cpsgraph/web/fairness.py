"""Who is asking, for fair shares of the request threads (web/httpserver.py) and of the query workers
(store/admission.py): each request's client address and kind.

The client is the TCP peer's address, unless that peer is a proxy named in CPS_TRUSTED_PROXIES (addresses or
networks such as `10.0.0.0/8`): then it is the address that proxy says it forwarded for, read from the
right of `Forwarded: for=...` (RFC 7239) or else `X-Forwarded-For`, skipping further trusted proxies. A
forwarded address from anyone else is ignored, so a client cannot claim a fresh address per request.
IPv6 clients count per /64 (one host usually holds a whole /64).

The kind is SPARQL for the endpoint, the Graph Store and the dumps (anyone's queries) and SITE for the rest
(the browser's pages, the stored-query API); /readyz and /healthz are SITE without a client, so a load
balancer's probe never uses up a client's share.

`cpsgraph serve` decides who waits before a request thread takes the request (httpserver.FairDispatcher); a
request it held back past CPS_ADMISSION_WAIT reaches the app marked `cpsgraph.refusal` in its environ, and is
answered 429 or 503 with `Retry-After` here, before anything else is done for it.
"""

from __future__ import annotations

import ipaddress
import math
import re

from flask import request

from ..config import words
from ..errors import ConfigError, ServiceSaturated, TooManyRequests
from ..store.admission import CALLER, SITE, SPARQL, Caller

SPARQL_BLUEPRINTS = {"sparql", "graphstore"}
SPARQL_PATHS = ("/sparql", "/store")     # and /dumps/...: what the SPARQL blueprints serve (see is_endpoint)
UNCOUNTED_PATHS = {"/readyz", "/healthz"}
FORWARDED_FOR = re.compile(r'for=(?:"([^"]*)"|([^;,\s]*))', re.IGNORECASE)
CLIENT = "cpsgraph.client"     # environ key: the client as `cpsgraph serve` counted it (see client_address)
REFUSAL = "cpsgraph.refusal"   # environ key: why the server held the request back ("client", "fair", "full")


def trusted_proxies(setting: str) -> list:
    """CPS_TRUSTED_PROXIES as networks. Raises ConfigError for an entry that is not an address or network."""
    networks = []
    for item in words(setting):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(f"CPS_TRUSTED_PROXIES: {item[:80]!r} is not an IP address or network "
                              "(such as 10.0.0.1 or 10.0.0.0/8).") from None
    return networks


def is_endpoint(path: str) -> bool:
    """Whether `path` is served by the SPARQL endpoint, the Graph Store or the dumps (kind SPARQL)."""
    return path in SPARQL_PATHS or path.startswith("/dumps/")


def init_app(app) -> None:
    networks = trusted_proxies(app.config["TRUSTED_PROXIES"])
    app.extensions["cpsgraph.trusted_proxies"] = networks
    wait, retry = float(app.config["ADMISSION_WAIT"]), max(1, math.ceil(float(app.config["QUERY_TIMEOUT"])))
    share = int(app.config["CLIENT_QUERIES"])

    @app.before_request
    def _caller() -> None:
        kind = SPARQL if request.blueprint in SPARQL_BLUEPRINTS else SITE
        if request.path in UNCOUNTED_PATHS:
            client = None
        elif CLIENT in request.environ:
            client = request.environ[CLIENT]
        else:   # another WSGI server, or the test client
            client = client_address(request, networks)
        CALLER.set(Caller(client, kind))
        refusal = request.environ.get(REFUSAL)
        if refusal == "client":
            raise TooManyRequests(
                f"This client already has {share} requests being answered, its share of this service "
                "(CPS_CLIENT_QUERIES), and this one waited for them for "
                f"{wait:g} s (CPS_ADMISSION_WAIT); send it again when one of them has answered.", retry_after=retry,
                key="busy.client", values={"share": share, "wait": f"{wait:g}"})
        if refusal == "fair":
            raise TooManyRequests(
                "The SPARQL endpoint is busy and this client already holds its fair part of it (its request "
                f"threads shared among the clients asking); this request waited {wait:g} s (CPS_ADMISSION_WAIT). "
                "Send it again when one of this client's queries has answered.", retry_after=retry,
                key="busy.fair", values={"wait": f"{wait:g}"})
        if refusal == "full":
            raise ServiceSaturated(
                f"Every request thread the SPARQL endpoint may use stayed busy for {wait:g} s (CPS_ADMISSION_WAIT); "
                "try again in a moment.", retry_after=min(retry, 2 + math.ceil(wait)), key="busy.full",
                values={"wait": f"{wait:g}"})

    @app.teardown_request
    def _forget(_exc=None) -> None:
        CALLER.set(None)


def client_address(req, trusted: list) -> str:
    """The client's address as the module's docstring says (an IPv6 address as its /64)."""
    return client_key(req.remote_addr or "", req.headers.getlist("Forwarded"), req.headers.getlist("X-Forwarded-For"),
                      trusted)


def client_key(remote: str, forwarded: list[str], forwarded_for: list[str], trusted: list) -> str:
    """The client's address from the TCP peer `remote` and the `Forwarded` and `X-Forwarded-For` header values
    (each a list of the header's values), as the module's docstring says."""
    peer = _parse(remote)
    if peer is None:
        return remote or "unknown"
    if trusted and _trusted(peer, trusted):
        for hop in reversed(_forwarded_chain(forwarded, forwarded_for)):
            address = _parse(hop)
            if address is None:
                break  # `unknown`, an obfuscated name or garbage: the last trusted proxy is the client
            peer = address
            if not _trusted(address, trusted):
                break
    return _key(peer)


def _forwarded_chain(forwarded: list[str], forwarded_for: list[str]) -> list[str]:
    if forwarded:
        return [quoted or bare for header in forwarded for quoted, bare in FORWARDED_FOR.findall(header)]
    return [hop.strip() for header in forwarded_for for hop in header.split(",")]


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
