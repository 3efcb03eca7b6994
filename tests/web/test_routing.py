"""The one origin routes alike in both ways of running: nginx in Compose, Vite's preview in `make run`.

deploy/nginx.conf and web/proxy.json are parsed, each location must have its Vite key going to the same
service, and every path of every service's OpenAPI document (and each app path) must land in the same
place under both, with nginx's order of matching and Vite's.
"""

import json
import re
from pathlib import Path

import pytest

from scripts import openapi
from scripts.run import SERVICES
from tests.deploy.nginx import Location, locations, route

ROOT = Path(__file__).resolve().parents[2]
NGINX = ROOT / "deploy" / "nginx.conf"
PROXY = json.loads((ROOT / "web" / "proxy.json").read_text())
APP_ROUTES = re.findall(r'^route\("([^"]+)"', (ROOT / "web" / "src" / "main.ts").read_text(), re.MULTILINE)
APP = "the app"  # where a path no API location takes goes: index.html or a static file


def api_locations() -> list[Location]:
    return [location for location in locations(NGINX) if location.upstream is not None]


def _escape(path: str) -> str:
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", path)


def vite_key(location: Location) -> str:
    """The Vite proxy context that matches what `location` matches (Vite sees the query string too)."""
    if location.modifier == "=":
        return f"^{_escape(location.pattern)}(\\?|$)"
    if location.modifier == "~":
        return location.pattern.replace("$", "(\\?|$)")
    return location.pattern


def nginx_route(path: str) -> str:
    """Where nginx sends `path` (it matches the path alone, never the query)."""
    location = route(path.split("?")[0], locations(NGINX))
    return (location.upstream if location else None) or APP


def vite_route(url: str) -> str:
    """Where Vite's proxy sends `url`: the first context matching, in order; else the app."""
    for context, service in PROXY["routes"].items():
        if re.search(context, url) if context.startswith("^") else url.startswith(context):
            return service
    return APP


def sample_paths() -> list[str]:
    """Each path of each service's API with its parameters filled in, bare and with a query."""
    paths = {"/ws"}
    for service in openapi.SERVICES:
        for template in openapi.document(service)["paths"]:
            paths.add(re.sub(r"\{[^}]+\}", "a1b2", template))
    return sorted(paths)


def test_every_nginx_location_is_in_the_vite_table_going_to_the_same_service() -> None:
    proxied = api_locations()
    assert len(proxied) > 10

    for location in proxied:
        key = vite_key(location)
        assert PROXY["routes"].get(key) == location.upstream, f"{location} needs {key!r} in web/proxy.json"
    assert set(PROXY["routes"]) == {vite_key(location) for location in proxied}


def test_the_websocket_location_is_proxied_as_a_websocket() -> None:
    websockets = [item for item in api_locations() if "proxy_set_header Upgrade" in item.body]
    assert [vite_key(item) for item in websockets] == PROXY["websockets"] == ["^/ws(\\?|$)"]


@pytest.mark.parametrize("path", sample_paths())
@pytest.mark.parametrize("query", ["", "?limit=5&offset=0"])
def test_an_api_path_goes_to_the_same_service_in_both(path: str, query: str) -> None:
    assert vite_route(path + query) == nginx_route(path)


@pytest.mark.parametrize("route", APP_ROUTES)
def test_an_app_path_is_no_api_path_in_either(route: str) -> None:
    path = re.sub(r":\w+", "a1b2", route)
    assert nginx_route(path) == APP
    assert vite_route(path) == APP
    assert vite_route(f"{path}?q=jazz") == APP


def test_the_proxy_targets_are_the_ports_make_run_starts_the_services_on() -> None:
    assert PROXY["services"] == {name: f"http://127.0.0.1:{port}" for name, port in SERVICES.items()}
