"""Admin user management: ``/api/v1/admin/users`` (rules in services/users_admin.py)."""

from __future__ import annotations

import uuid

from aiohttp import web

from sync_server.http.keys import repos, services
from sync_server.http.parsing import json_response, parse_body, path_id, query_params, validate
from sync_server.http.routing import Access, Handler, RouteTable
from sync_server.schemas.users import (
    ReassignRequest,
    ReassignResponse,
    UserAdminList,
    UserAdminRead,
    UserCreate,
    UserCreated,
    UsersQuery,
    UserUpdate,
)
from sync_server.services import users_admin

routes = RouteTable()
U = "/api/v1/admin/users"
TAG = "admin"


def user_id(request: web.Request) -> uuid.UUID:
    return path_id(request, "user")


def _user_response(
    data: dict[str, object], model: type[UserAdminRead] = UserAdminRead
) -> web.Response:
    return json_response(model.model_validate(data).model_dump(mode="json"))


@routes.route(
    "GET",
    U,
    access=Access.ADMIN,
    tag=TAG,
    summary="Users of the tenant with roles, state and last sync (admin)",
    query_model=UsersQuery,
    response_model=UserAdminList,
)
async def list_users(request: web.Request) -> web.Response:
    query = validate(UsersQuery, query_params(request))
    page = await users_admin.list_users(repos(request), query)
    return json_response(UserAdminList.model_validate(page).model_dump(mode="json"))


@routes.route(
    "POST",
    U,
    access=Access.ADMIN,
    tag=TAG,
    status=201,
    summary="Create a user, or invite one by mail when no password is given (admin)",
    request_model=UserCreate,
    response_model=UserCreated,
)
async def create_user(request: web.Request) -> web.Response:
    body = await parse_body(request, UserCreate)
    s = services(request)
    inviter = users_admin.Inviter(s.auth.resets, s.mailer, s.settings.public_url)
    data = await users_admin.create_user(repos(request), body, s.settings.bcrypt_rounds, inviter)
    created = UserCreated.model_validate(data).model_dump(mode="json")
    return json_response(created, status=201)


@routes.route(
    "PATCH",
    f"{U}/{{id}}",
    access=Access.ADMIN,
    tag=TAG,
    summary="Rename a user or set their roles; the last active admin keeps theirs (admin)",
    request_model=UserUpdate,
    response_model=UserAdminRead,
)
async def update_user(request: web.Request) -> web.Response:
    body = await parse_body(request, UserUpdate)
    data = await users_admin.update_user(repos(request), user_id(request), body)
    return _user_response(data)


def _set_active(active: bool) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        data = await users_admin.set_active(repos(request), user_id(request), active=active)
        return _user_response(data)

    return handler


for _action, _active, _summary in (
    ("deactivate", False, "Deactivate a user: tokens and devices stop working; nothing is deleted"),
    ("reactivate", True, "Reactivate a deactivated user (admin)"),
):
    routes.add(
        "POST",
        f"{U}/{{id}}/{_action}",
        _set_active(_active),
        access=Access.ADMIN,
        tag=TAG,
        summary=_summary,
        response_model=UserAdminRead,
    )


@routes.route(
    "POST",
    f"{U}/{{id}}/reassign",
    access=Access.ADMIN,
    tag=TAG,
    summary="Hand all of a user's leads, clients and projects to another user (admin)",
    request_model=ReassignRequest,
    response_model=ReassignResponse,
)
async def reassign(request: web.Request) -> web.Response:
    body = await parse_body(request, ReassignRequest)
    data = await users_admin.reassign(repos(request), user_id(request), body.to_user_id)
    return json_response(ReassignResponse.model_validate(data).model_dump(mode="json"))
