import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import ValidationError

from shared.auth import CurrentUser, require_roles
from shared.errors import add_error_table
from user_service import service
from user_service.deps import PasswordsDep, RateLimitsDep, SessionDep, SettingsDep, SigningKeyDep
from user_service.models import User
from user_service.passwords import HashingBusyError
from user_service.rate_limit import (
    LimitsUnavailableError,
    RateLimitedError,
    limit_login_attempts,
    limit_registrations,
)
from user_service.schemas import Jwks, LoginRequest, RolesUpdate, Token, UserCreate, UserPublic

router = APIRouter(tags=["users"])
client_basic_auth = HTTPBasic(auto_error=False)

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_PASSWORD_FORM_SCHEMA = {
    "type": "object",
    "required": ["username", "password"],
    "properties": {
        "username": {"type": "string", "description": "Username or email"},
        "password": {"type": "string", "format": "password"},
        "grant_type": {"type": "string", "enum": ["password"]},
    },
}
_UNAUTHORIZED = {401: {"description": "Missing, invalid or expired token"}}

# How each domain error is answered; routes let them propagate.
_ERROR_STATUS: dict[type[Exception], int] = {
    service.DuplicateUserError: status.HTTP_409_CONFLICT,
    service.UserNotFoundError: status.HTTP_404_NOT_FOUND,
    RateLimitedError: status.HTTP_429_TOO_MANY_REQUESTS,
    HashingBusyError: status.HTTP_503_SERVICE_UNAVAILABLE,
    LimitsUnavailableError: status.HTTP_503_SERVICE_UNAVAILABLE,
}
_LIMITS_DOWN = "Redis, where the limits are counted, does not answer; see `Retry-After`"


@router.post(
    "/register",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(limit_registrations)],
    responses={
        409: {"description": "The username or email is taken"},
        429: {"description": "Too many registrations from this client; see `Retry-After`"},
        503: {
            "description": f"Too many registrations in progress, or {_LIMITS_DOWN}; or the database is down"
        },
    },
)
async def register_user(user_in: UserCreate, session: SessionDep, passwords: PasswordsDep) -> UserPublic:
    """Creates an account with the `attendee` role."""
    user = await service.create(session, user_in=user_in, passwords=passwords)
    return UserPublic.model_validate(user)


async def _read_credentials(request: Request) -> LoginRequest:
    """Reads JSON credentials, or the OAuth2 password form that the `/docs` Authorize button sends."""
    data: Any
    if request.headers.get("content-type", "").startswith(_FORM_TYPES):
        form = await request.form()
        data = {"username": form.get("username"), "password": form.get("password")}
    else:
        try:
            data = await request.json()
        except ValueError as exc:
            raise RequestValidationError(
                [
                    {
                        "type": "json_invalid",
                        "loc": ("body",),
                        "msg": "Send JSON or an OAuth2 password form",
                        "input": None,
                    }
                ]
            ) from exc
    try:
        return LoginRequest.model_validate(data)
    except ValidationError as exc:
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from exc


async def _authenticated_user(
    request: Request, session: SessionDep, passwords: PasswordsDep, limits: RateLimitsDep
) -> User:
    """Returns the user whose username (or email) and password the request carries; 401 otherwise."""
    credentials = await _read_credentials(request)
    user = await service.authenticate(
        session, login=credentials.login, password=credentials.password, passwords=passwords, limits=limits
    )
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


@router.post(
    "/login",
    response_model=Token,
    dependencies=[Depends(limit_login_attempts)],
    responses={
        401: {"description": "Wrong username, email or password"},
        # Declared by hand: the body is read in the handler, so FastAPI cannot see it can be invalid.
        422: {
            "description": "Neither JSON nor a password form, or not exactly one of username and email",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
        },
        429: {
            "description": "Too many attempts from this client, or too many failed logins for this account "
            "(whatever address they came from); see `Retry-After`"
        },
        503: {"description": f"{_LIMITS_DOWN}; or the database is down"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": LoginRequest.model_json_schema()},
                "application/x-www-form-urlencoded": {"schema": _PASSWORD_FORM_SCHEMA},
            },
        }
    },
)
async def login(
    user: Annotated[User, Depends(_authenticated_user)], settings: SettingsDep, key: SigningKeyDep
) -> Token:
    """Exchanges a username (or email) and password for an access token."""
    return service.issue_token(key, settings, subject=str(user.id), username=user.username, roles=user.roles)


async def _authenticated_client(
    settings: SettingsDep,
    grant_type: Annotated[Literal["client_credentials"], Form()],
    client_id: Annotated[str | None, Form(max_length=100)] = None,
    client_secret: Annotated[str | None, Form(max_length=200)] = None,
    basic: Annotated[HTTPBasicCredentials | None, Depends(client_basic_auth)] = None,
) -> str:
    """Returns the id of the service client the form or HTTP Basic authenticates; 401 otherwise."""
    if basic is not None:
        client_id, client_secret = basic.username, basic.password
    if (
        not client_id
        or client_secret is None
        or not service.client_is_valid(settings, client_id=client_id, client_secret=client_secret)
    ):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Invalid client credentials", headers={"WWW-Authenticate": "Basic"}
        )
    return client_id


@router.post(
    "/token",
    response_model=Token,
    responses={401: {"description": "Unknown client or wrong secret"}},
)
async def create_service_token(
    client_id: Annotated[str, Depends(_authenticated_client)], settings: SettingsDep, key: SigningKeyDep
) -> Token:
    """Issues a token to a service identity (OAuth2 client credentials, in the form or HTTP Basic)."""
    return service.issue_service_token(key, settings, client_id=client_id)


@router.get(
    "/users/me",
    response_model=UserPublic,
    responses={**_UNAUTHORIZED, 403: {"description": "A service identity has no profile"}},
)
async def read_user_me(current_user: CurrentUser, session: SessionDep) -> UserPublic:
    """Returns the calling user's profile."""
    user = await service.get(session, user_id=uuid.UUID(current_user.id))
    if user is None:
        raise service.UserNotFoundError
    return UserPublic.model_validate(user)


@router.patch(
    "/users/{user_id}/roles",
    response_model=UserPublic,
    dependencies=[Depends(require_roles())],
    responses={
        **_UNAUTHORIZED,
        403: {"description": "Only admins change roles"},
        404: {"description": "No such user"},
    },
)
async def update_user_roles(user_id: uuid.UUID, roles_in: RolesUpdate, session: SessionDep) -> UserPublic:
    """Replaces a user's roles (admin only)."""
    user = await service.set_roles(session, user_id=user_id, roles=list(roles_in.roles))
    return UserPublic.model_validate(user)


@router.get("/.well-known/jwks.json", response_model=Jwks, tags=["keys"])
async def read_jwks(key: SigningKeyDep) -> Jwks:
    """The public keys that verify access tokens."""
    return Jwks(keys=[key.public_jwk])


def add_error_handlers(app: FastAPI) -> None:
    """Answers each domain error with its status from the table; limits and a full queue say when to retry."""
    add_error_table(app, _ERROR_STATUS)
