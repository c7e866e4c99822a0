"""Middlewares, outermost first: request id + access log + metrics, errors, CORS and headers,
authentication with the request's unit of work."""

from __future__ import annotations

import time
import uuid

import sentry_sdk
import structlog
from aiohttp import web
from aiohttp.typedefs import Handler as AioHandler
from sqlalchemy.exc import TimeoutError as SqlPoolTimeout

from sync_server.db.repositories import Repositories
from sync_server.errors import ApiError, ErrorCode
from sync_server.http.keys import CLAIMS, DB, METRICS, REPOS, REQUEST_ID, ROUTES, SERVICES, SETTINGS
from sync_server.http.parsing import json_response
from sync_server.http.routing import Access
from sync_server.services.pokes import PokeHub
from sync_server.tenancy import TenantContext, mint_from_token

log = structlog.get_logger("sync_server.http")

_HTTP_CODES = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    429: ErrorCode.RATE_LIMITED,
}


def _route_name(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def observe(request: web.Request, handler: AioHandler) -> web.StreamResponse:
    request_id = request.headers.get("X-Request-ID", "")[:100] or uuid.uuid4().hex
    request[REQUEST_ID] = request_id
    structlog.contextvars.bind_contextvars(request_id=request_id)
    start = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers["X-Request-ID"] = request_id
        return response
    finally:
        elapsed = time.perf_counter() - start
        route = _route_name(request)
        request.app[METRICS].observe(request.method, route, status, elapsed)
        claims = request.get(CLAIMS)
        log.info(
            "request",
            method=request.method,
            route=route,
            status=status,
            duration_ms=round(elapsed * 1000, 2),
            tenant_id=str(claims.tenant_id) if claims else None,
            user_id=str(claims.user_id) if claims else None,
        )
        structlog.contextvars.clear_contextvars()


def error_response(exc: ApiError, request: web.Request) -> web.Response:
    headers = dict(exc.headers)
    headers["X-Request-ID"] = request.get(REQUEST_ID, "")
    return json_response(exc.body(), status=exc.status, headers=headers)


@web.middleware
async def errors(request: web.Request, handler: AioHandler) -> web.StreamResponse:
    """Every failure leaves in the one JSON shape, with no internals."""
    # Error responses never pass through ``headers_and_cors`` (the exception skips it), so they
    # get the same security, cache and CORS headers here.
    try:
        return await handler(request)
    except ApiError as exc:
        return add_headers(request, error_response(exc, request))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _HTTP_CODES.get(exc.status, ErrorCode.BAD_REQUEST)
        message = exc.reason if exc.status != 413 else "Request body is too large"
        err = ApiError(code, message)
        response = json_response(err.body(), status=exc.status)
        if exc.status == 405 and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        response.headers["X-Request-ID"] = request.get(REQUEST_ID, "")
        return add_headers(request, response)
    except SqlPoolTimeout:
        # Every connection busy for pool_timeout: overload, not a bug. Tell clients to come back.
        log.warning("database_pool_exhausted")
        busy = ApiError(
            ErrorCode.UNAVAILABLE,
            "The server is busy; try again shortly",
            headers={"Retry-After": "2"},
        )
        return error_response(busy, request)
    except Exception as exc:
        log.exception("unhandled_error", error_type=type(exc).__name__)
        sentry_sdk.capture_exception(exc)
        internal = ApiError(ErrorCode.INTERNAL, "Internal server error")
        return add_headers(request, error_response(internal, request))


def _origin_allowed(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    return origin is not None and origin in request.app[SETTINGS].cors_origins


@web.middleware
async def headers_and_cors(request: web.Request, handler: AioHandler) -> web.StreamResponse:
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        if _origin_allowed(request):
            response: web.StreamResponse = web.Response(status=204)
        else:
            refused = ApiError(ErrorCode.FORBIDDEN, "Origin not allowed")
            response = error_response(refused, request)
    else:
        response = await handler(request)
    return add_headers(request, response)


def add_headers(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    allowed = _origin_allowed(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith("/api/"):
        # Tenant data must never sit in a shared or browser cache.
        response.headers["Cache-Control"] = "no-store"
    if allowed and origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
        response.headers["Access-Control-Allow-Headers"] = (
            "Authorization, Content-Type, If-Match, X-Request-ID"
        )
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
        response.headers["Access-Control-Expose-Headers"] = "ETag, X-Request-ID, Retry-After"
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def bearer_token(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(ErrorCode.UNAUTHORIZED, "Authentication required")
    return token.strip()


@web.middleware
async def authenticate(request: web.Request, handler: AioHandler) -> web.StreamResponse:
    """Mint the TenantContext from a verified token and run the handler inside the request's one
    transaction (committed when the handler returns, rolled back when it raises)."""
    spec = request.app[ROUTES].get(request.match_info.handler)
    if spec is None or spec.access is Access.PUBLIC:
        return await handler(request)
    auth = request.app[SERVICES].auth
    claims = auth.verify(bearer_token(request))
    request[CLAIMS] = claims
    structlog.contextvars.bind_contextvars(
        tenant_id=str(claims.tenant_id), user_id=str(claims.user_id)
    )
    ctx = mint_from_token(claims.tenant_id, claims.user_id, claims.roles)
    async with request.app[DB].session(ctx, snapshot=spec.snapshot) as session:
        # Roles are read live, so a role change or deactivation takes effect at once, not at the
        # token's expiry.
        roles = await auth.check_live(Repositories(ctx, session), claims)
        ctx = mint_from_token(claims.tenant_id, claims.user_id, roles)
        repos = Repositories(ctx, session)
        if spec.access is Access.ADMIN and not ctx.is_admin:
            raise ApiError(ErrorCode.FORBIDDEN, "This needs the admin role")
        if spec.roles and not spec.roles <= ctx.roles:
            raise ApiError(
                ErrorCode.FORBIDDEN, "This needs roles: " + ", ".join(sorted(spec.roles))
            )
        request[REPOS] = repos
        response = await handler(request)
        await _poke_after_commit(request.app[SERVICES].pokes, repos)
    for hook in repos.after_commit:
        await hook()
    return response


async def _poke_after_commit(hub: PokeHub, repos: Repositories) -> None:
    """Every request that changed what some devices may see pokes them once it has committed,
    whatever the route (REST, admin, Trash...). A handler that schedules its own poke (push:
    it knows the seq, and the fault tests hook there) sets ``repos.poke_scheduled``."""
    touched = set(repos.records.touched)
    if not touched or repos.poke_scheduled:
        return
    seq, tenant_id = await repos.clock.current(), repos.ctx.tenant_id

    async def poke() -> None:
        await hub.publish(tenant_id, touched, seq)

    repos.after_commit.append(poke)


async def context_for_token(app: web.Application, token: str) -> TenantContext:
    """For connections that cannot send headers (WebSocket): the same checks as ``authenticate``
    in a short transaction of its own."""
    auth = app[SERVICES].auth
    claims = auth.verify(token)
    ctx = mint_from_token(claims.tenant_id, claims.user_id, claims.roles)
    async with app[DB].session(ctx) as session:
        roles = await auth.check_live(Repositories(ctx, session), claims)
    return mint_from_token(claims.tenant_id, claims.user_id, roles)
