"""The chart rendered offline, the operators' example manifests, and the services the repository has."""

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import helm_python
import yaml

from shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "event-platform"
OPERATORS = ROOT / "deploy" / "operators"
RELEASE = "event-platform"
NAMESPACE = "tickets"
# Variables the chart sets only to build a URL from a Secret's keys ($(NAME) in the URL's value).
CREDENTIAL_PARTS = {
    "RABBITMQ_USERNAME",
    "RABBITMQ_PASSWORD",
    "DATABASE_USERNAME",
    "DATABASE_PASSWORD",
    "MONGO_USERNAME",
    "MONGO_PASSWORD",
}

Manifest = dict[str, Any]


def render(values: dict[str, Any] | None = None) -> list[Manifest]:
    """Returns every object the chart renders with `values` over its defaults, as release `event-platform`."""
    rendered = helm_python.Chart.load(CHART).render(values, name=RELEASE, namespace=NAMESPACE)
    return [
        document
        for path, text in sorted(rendered.items())
        if path.endswith(".yaml")
        for document in yaml.safe_load_all(text)
        if document
    ]


def default_values() -> dict[str, Any]:
    return helm_python.Chart.load(CHART).values


def of_kind(manifests: list[Manifest], kind: str) -> dict[str, Manifest]:
    """Returns the objects of `kind` by name."""
    return {item["metadata"]["name"]: item for item in manifests if item["kind"] == kind}


def component_name(service: str) -> str:
    """The name of a service's objects in the release: `user_service` -> `event-platform-user-service`."""
    return f"{RELEASE}-{service.replace('_', '-')}"


def component_of(selector: dict[str, Any]) -> str | None:
    """The component a pod selector of the release picks, or None for any other selector."""
    labels = selector.get("podSelector", {}).get("matchLabels", {})
    if labels.get("app.kubernetes.io/instance") != RELEASE or set(selector) != {"podSelector"}:
        return None
    return labels.get("app.kubernetes.io/component")


def operator_manifests() -> list[Manifest]:
    return [
        document
        for path in sorted(OPERATORS.glob("*.yaml"))
        for document in yaml.safe_load_all(path.read_text())
        if document
    ]


def repo_services() -> dict[str, type[ServiceSettings]]:
    """Returns each `*_service` package of the repository and its settings class."""
    services: dict[str, type[ServiceSettings]] = {}
    for settings_file in sorted(ROOT.glob("*_service/settings.py")):
        package = settings_file.parent.name
        module = importlib.import_module(f"{package}.settings")
        (settings_class,) = (
            member
            for _, member in inspect.getmembers(module, inspect.isclass)
            if issubclass(member, ServiceSettings) and member.__module__ == module.__name__
        )
        services[package] = settings_class
    return services


def expand(value: str, variables: dict[str, str]) -> str:
    """Resolves `$(NAME)` from the variables defined before, as the kubelet does."""
    return re.sub(r"\$\((\w+)\)", lambda match: variables.get(match.group(1), match.group(0)), value)
