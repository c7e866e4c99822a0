"""/api/v1/auth handlers: parse, one service call, serialize."""

from __future__ import annotations

from aiohttp import web

from sync_server.http.keys import SETTINGS, claims, repos, services
from sync_server.http.parsing import json_response, parse_body
from sync_server.http.routing import Access, RouteTable
from sync_server.schemas.auth import (
    ForgotPasswordRequest,
    LoginRequest,
    LoginResponse,
    ResetPasswordRequest,
    UserOut,
)
from sync_server.services.auth import user_payload

routes = RouteTable()
P = "/api/v1/auth"


def client_ip(request: web.Request) -> str:
    """The proxy's client-address header when one is configured (and present), else the peer."""
    header = request.app[SETTINGS].client_ip_header
    return (header and request.headers.get(header)) or request.remote or "unknown"


@routes.route(
    "POST",
    f"{P}/login",
    access=Access.PUBLIC,
    tag="auth",
    summary="Log in",
    request_model=LoginRequest,
    response_model=LoginResponse,
)
async def login(request: web.Request) -> web.Response:
    body = await parse_body(request, LoginRequest)
    result = await services(request).auth.login(body.email, body.password, client_ip(request))
    return json_response(result)


@routes.route(
    "POST",
    f"{P}/forgot-password",
    access=Access.PUBLIC,
    tag="auth",
    status=202,
    summary="Mail a password-reset link (same answer whether or not the account exists)",
    request_model=ForgotPasswordRequest,
)
async def forgot_password(request: web.Request) -> web.Response:
    body = await parse_body(request, ForgotPasswordRequest)
    await services(request).auth.forgot_password(body.email, client_ip(request))
    return json_response({"status": "accepted"}, status=202)


@routes.route(
    "POST",
    f"{P}/reset-password",
    access=Access.PUBLIC,
    tag="auth",
    status=204,
    summary="Set a new password with a reset token",
    request_model=ResetPasswordRequest,
)
async def reset_password(request: web.Request) -> web.Response:
    body = await parse_body(request, ResetPasswordRequest)
    await services(request).auth.reset_password(body.token, body.password)
    return web.Response(status=204)


@routes.route(
    "POST",
    f"{P}/logout",
    access=Access.USER,
    tag="auth",
    status=204,
    summary="Revoke the presented token",
)
async def logout(request: web.Request) -> web.Response:
    await services(request).auth.logout(repos(request), claims(request))
    return web.Response(status=204)


@routes.route(
    "GET",
    f"{P}/me",
    access=Access.USER,
    tag="auth",
    summary="The current user",
    response_model=UserOut,
)
async def me(request: web.Request) -> web.Response:
    r = repos(request)
    user = await r.users.get(r.ctx.actor_id)
    assert user is not None  # check_live guarantees it
    return json_response(user_payload(user, sorted(r.ctx.roles)))
