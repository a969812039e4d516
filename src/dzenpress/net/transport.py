"""The httpx client every dzenpress request goes through: every pool (direct or through a proxy) connects via
the guarded backend, and the test host map sends chosen host names to local servers."""

from __future__ import annotations

from typing import Any

import httpx

from dzenpress.net.backend import GuardedBackend


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport with its connection pool using our network backend. httpx takes no backend
    argument, so it is set on the pool it built (httpx is pinned; tests check the backend is the one used)."""

    def __init__(self, backend: GuardedBackend, **kwargs: Any) -> None:
        super().__init__(retries=0, **kwargs)
        pool: Any = self._pool
        if not hasattr(pool, "_network_backend"):
            raise RuntimeError("this httpcore version has no network backend hook: the network policy cannot hold")
        pool._network_backend = backend


class MappedTransport(httpx.BaseTransport):
    """Sends requests for mapped hosts to another base URL; responses keep the original request URL."""

    def __init__(self, host_map: dict[str, httpx.URL], inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.host_map = host_map

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        base = self.host_map.get(request.url.host)
        if base is not None:
            url = request.url.copy_with(scheme=base.scheme, host=base.host, port=base.port)
            headers = httpx.Headers(request.headers)
            headers["x-original-host"] = request.url.host
            request = httpx.Request(request.method, url, headers=headers, stream=request.stream,
                                    extensions=request.extensions)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's default


class GuardedClient(httpx.Client):
    """httpx.Client whose every pool connects through the guarded backend: the direct one (checking addresses)
    and the proxy ones from HTTPS_PROXY and the like (keeping the deadlines; the addresses are the proxy's
    business). A `transport=` argument would turn the environment's proxies off, hence the overrides."""

    def _init_transport(self, verify: Any = True, cert: Any = None, trust_env: bool = True, http1: bool = True,
                        http2: bool = False, limits: httpx.Limits = _LIMITS,
                        transport: httpx.BaseTransport | None = None) -> httpx.BaseTransport:
        return GuardedTransport(GuardedBackend(), verify=verify, cert=cert, trust_env=trust_env,
                                http1=http1, http2=http2, limits=limits)

    def _init_proxy_transport(self, proxy: httpx.Proxy, verify: Any = True, cert: Any = None,
                              trust_env: bool = True, http1: bool = True, http2: bool = False,
                              limits: httpx.Limits = _LIMITS) -> httpx.BaseTransport:
        return GuardedTransport(GuardedBackend(check_addresses=False), verify=verify, cert=cert, trust_env=trust_env,
                                http1=http1, http2=http2, limits=limits, proxy=proxy)


def make_client(host_map: dict[str, httpx.URL], *, headers: dict[str, str], timeout: httpx.Timeout,
                trust_env: bool) -> httpx.Client:
    """Mapped hosts go straight to their server (never through a proxy), on a pool of their own that may
    connect to those servers' addresses and to no other non-public one."""
    trusted = {(url.host, url.port or (443 if url.scheme == "https" else 80)) for url in host_map.values()}
    mapped = MappedTransport(host_map, GuardedTransport(GuardedBackend(trusted)))
    return GuardedClient(headers=headers, timeout=timeout, trust_env=trust_env, follow_redirects=False,
                         mounts={f"all://{host}": mapped for host in host_map})
