"""No Docker engine runs here, so the deployment files are checked against the code instead.

docker-compose.yml, the nginx gateway and the Dockerfile must agree with the services' settings,
ports and OpenAPI routes; a production start with the secrets `make env` writes must pass every
service's settings validation.
"""

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.routing import APIWebSocketRoute

from booking_service.main import create_app as booking_app
from booking_service.settings import BookingSettings
from checkin_service.main import create_app as checkin_app
from checkin_service.settings import CheckinSettings
from event_service.main import create_app as event_app
from event_service.settings import EventSettings
from notification_service.main import create_app as notification_app
from notification_service.settings import NotificationSettings
from payment_service.main import create_app as payment_app
from payment_service.settings import PaymentSettings
from scripts.make_env import production_env
from shared.settings import ServiceSettings
from tests.deploy.nginx import locations, route, upstreams
from user_service.main import create_app as user_app
from user_service.settings import UserSettings

ROOT = Path(__file__).resolve().parents[2]
SERVICES: dict[str, tuple[type[ServiceSettings], Any]] = {
    "user_service": (UserSettings, user_app),
    "event_service": (EventSettings, event_app),
    "booking_service": (BookingSettings, booking_app),
    "payment_service": (PaymentSettings, payment_app),
    "notification_service": (NotificationSettings, notification_app),
    "checkin_service": (CheckinSettings, checkin_app),
}
PROBES = {"/health", "/ready"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def secrets() -> dict[str, str]:
    return production_env()


def _interpolate(value: str, variables: dict[str, str]) -> str:
    """Resolves `${NAME}`, `${NAME:-default}` and `${NAME:?error}` as Compose does."""

    def resolve(match: re.Match[str]) -> str:
        name, operator, fallback = match.group(1), match.group(2), match.group(3)
        if name in variables:
            return variables[name]
        assert operator != ":?", f"Compose would refuse to start: {name} is not set ({fallback})"
        return fallback or ""

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", resolve, value)


def _environment(compose: dict[str, Any], service: str, secrets: dict[str, str]) -> dict[str, str]:
    declared = compose["services"][service]["environment"]
    return {name: _interpolate(str(value), secrets) for name, value in declared.items()}


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_its_package_on_its_port(compose: dict[str, Any], service: str) -> None:
    settings_class, _ = SERVICES[service]
    definition = compose["services"][service]

    assert definition["command"] == [service]
    assert int(definition["environment"]["PORT"]) == settings_class.model_fields["port"].default
    assert "container_name" not in definition
    assert "ports" not in definition, "published ports would stop the service from scaling out"


@pytest.mark.parametrize("service", SERVICES)
def test_every_variable_a_service_gets_is_a_setting_it_defines(compose: dict[str, Any], service: str) -> None:
    settings_class, _ = SERVICES[service]
    fields = {name.upper() for name in settings_class.model_fields}

    assert set(compose["services"][service]["environment"]) <= fields


def test_every_generated_secret_is_read_by_a_service_or_by_compose(
    compose: dict[str, Any], secrets: dict[str, str]
) -> None:
    fields = {name.upper() for settings_class, _ in SERVICES.values() for name in settings_class.model_fields}
    used_by_compose = set(re.findall(r"\$\{(\w+)", (ROOT / "docker-compose.yml").read_text()))

    assert set(secrets) <= fields | used_by_compose


@pytest.mark.parametrize("service", SERVICES)
def test_production_settings_start_with_the_generated_secrets(
    compose: dict[str, Any], secrets: dict[str, str], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_class, _ = SERVICES[service]
    for name, value in {**secrets, **_environment(compose, service, secrets)}.items():
        monkeypatch.setenv(name, value)

    settings = settings_class(_env_file=None)

    assert settings.env == "production"


@pytest.mark.parametrize("service", [name for name, (kind, _) in SERVICES.items() if kind.secret_fields])
def test_production_refuses_development_defaults(
    compose: dict[str, Any], secrets: dict[str, str], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_class, _ = SERVICES[service]
    for name, value in _environment(compose, service, secrets).items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ValueError, match="production"):
        settings_class(_env_file=None)


def test_postgres_creates_the_databases_the_services_use(
    compose: dict[str, Any], secrets: dict[str, str]
) -> None:
    created = set(compose["services"]["postgres"]["environment"]["POSTGRES_MULTIPLE_DATABASES"].split(","))
    used = {
        _environment(compose, service, secrets)["DATABASE_URL"].rsplit("/", 1)[1]
        for service in ("user_service", "booking_service", "checkin_service")
    }

    assert created == used == {"users_db", "booking_db", "checkin_db"}
    assert "/docker-entrypoint-initdb.d/" in " ".join(compose["services"]["postgres"]["volumes"])


def test_stack_has_healthchecks_named_volumes_and_waits_for_health(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("postgres", "mongo", "rabbitmq", "redis", "gateway"):
        assert "healthcheck" in services[name], name
    for name in SERVICES:
        conditions = {dependency["condition"] for dependency in services[name]["depends_on"].values()}
        assert conditions == {"service_healthy"}, name
    assert set(compose["volumes"]) == {"postgres-data", "mongo-data", "rabbitmq-data", "redis-data"}
    # The gateway alone is published: the broker's management UI too is reached from inside (README).
    assert [name for name, definition in services.items() if "ports" in definition] == ["gateway"]
    assert services["gateway"]["ports"] == ["8080:8080"]


def test_gateway_upstreams_point_at_each_service_port() -> None:
    config = ROOT / "deploy" / "nginx.conf"
    for name, (settings_class, _) in SERVICES.items():
        assert upstreams(config)[name] == f"{name}:{settings_class.model_fields['port'].default}"


def _public_paths(app: FastAPI) -> set[str]:
    """Every HTTP path in the OpenAPI document, and every WebSocket route, with ids filled in."""
    websockets = {route.path for route in app.routes if isinstance(route, APIWebSocketRoute)}
    paths = (set(app.openapi()["paths"]) | websockets) - PROBES
    return {re.sub(r"\{[^}]+\}", "some-id", path) for path in paths}


@pytest.mark.parametrize("service", SERVICES)
def test_gateway_routes_every_public_path_to_its_service(service: str) -> None:
    config = locations(ROOT / "deploy" / "nginx.conf")
    _, create_app = SERVICES[service]
    paths = _public_paths(create_app())

    misrouted = {path: getattr(route(path, config), "upstream", None) for path in paths}
    assert {path: upstream for path, upstream in misrouted.items() if upstream != service} == {}


def test_gateway_upgrades_websockets_on_ws() -> None:
    websocket = route("/ws", locations(ROOT / "deploy" / "nginx.conf"))

    assert websocket is not None
    assert "proxy_set_header Upgrade $http_upgrade" in websocket.body
    assert "proxy_set_header Connection $connection_upgrade" in websocket.body


def test_the_gateway_image_builds_the_web_app_with_node_and_serves_it_with_nginx(
    compose: dict[str, Any],
) -> None:
    gateway = compose["services"]["gateway"]
    assert gateway["build"] == {"context": ".", "dockerfile": "deploy/gateway.Dockerfile"}
    assert "volumes" not in gateway  # the configuration is baked in with the app it serves
    dockerfile = (ROOT / "deploy" / "gateway.Dockerfile").read_text()

    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?", dockerfile, re.M)
    assert [image.split(":")[0] for image, _ in stages] == ["node", "nginx"]
    assert "RUN npm ci" in dockerfile and "RUN npm run build" in dockerfile
    assert f"COPY --from={stages[0][1]} /web/dist /usr/share/nginx/html" in dockerfile
    assert "COPY deploy/nginx.conf /etc/nginx/nginx.conf" in dockerfile


def test_the_gateway_caches_hashed_assets_for_long_and_the_page_never() -> None:
    config = locations(ROOT / "deploy" / "nginx.conf")
    assets, page = route("/assets/index-AbC123.js", config), route("/event/some-id", config)

    assert assets is not None and page is not None
    assert 'Cache-Control "public, max-age=31536000, immutable"' in assets.body
    assert "try_files $uri =404;" in assets.body
    assert 'Cache-Control "no-cache"' in page.body
    assert "try_files $uri /index.html;" in page.body
    assert (assets.upstream, page.upstream) == (None, None)
    # The configuration replaces the image's own: without the types, scripts go out as text/plain.
    assert "include /etc/nginx/mime.types;" in (ROOT / "deploy" / "nginx.conf").read_text()


def test_dockerfile_is_multi_stage_non_root_with_a_healthcheck_and_every_service() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert len(re.findall(r"^FROM ", dockerfile, re.M)) >= 2
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert re.search(r"^HEALTHCHECK ", dockerfile, re.M)
    assert 'ENTRYPOINT ["python", "-m"]' in dockerfile
    for package in ("shared", *SERVICES):
        assert f"COPY {package} ./{package}" in dockerfile


def test_compose_runs_mongodb_7(compose: dict[str, Any]) -> None:
    assert compose["services"]["mongo"]["image"] == "mongo:7"


def test_the_embedded_mongodb_never_reaches_the_production_image() -> None:
    """The embedded server is a development dependency: the image installs the package without extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"]).lower()
    dockerfile = (ROOT / "Dockerfile").read_text()
    development = project["optional-dependencies"]["dev"]

    assert any(requirement.startswith("secantusdb==") for requirement in development)
    assert "secantus" not in runtime
    assert re.search(r"^RUN /venv/bin/pip install \.$", dockerfile, re.M)
    assert "scripts" not in dockerfile
