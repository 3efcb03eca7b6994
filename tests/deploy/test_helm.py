"""The Helm chart, rendered offline: valid Kubernetes 1.33 objects that run the services the repository has.

No cluster runs here, so every rendered object is checked against the Kubernetes 1.33 schemas in strict
mode, custom resources (the HTTPRoute) field by field, and what the chart wires (settings, probes,
budgets, autoscalers, network policies, the gateway's routes) against the code and deploy/nginx.conf.
"""

import re
from typing import Any

import helm_python
import kubernetes_validate
import pytest
from sqlalchemy.engine import make_url

from scripts.make_env import production_env
from shared.settings import MongoServiceSettings, ServiceSettings, SqlServiceSettings
from tests.deploy.helm import (
    CHART,
    CREDENTIAL_PARTS,
    NAMESPACE,
    ROOT,
    Manifest,
    component_name,
    component_of,
    default_values,
    expand,
    of_kind,
    render,
    repo_services,
)

KUBERNETES = "1.33.0"
SERVICES = repo_services()
# Custom resources the Kubernetes schemas do not know; each is checked field by field below.
CUSTOM_KINDS = {"HTTPRoute"}
COLLECTOR = "http://otel-collector.monitoring:4318"
EVERYTHING_ON: dict[str, Any] = {
    "ingress": {
        "enabled": True,
        "tlsSecretName": "tickets-tls",
        "annotations": {"example.com/team": "tickets"},
    },
    "httpRoute": {"hostnames": ["tickets.example.com"]},
    "tracing": {"otlpEndpoint": COLLECTOR},
    "imagePullSecrets": [{"name": "registry"}],
    "nodeSelector": {"kubernetes.io/os": "linux"},
    "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "tickets", "effect": "NoSchedule"}],
    "services": {
        "notification_service": {
            "extraEgress": [
                {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 587, "protocol": "TCP"}]}
            ]
        }
    },
}
EVERYTHING_OFF: dict[str, Any] = {
    "httpRoute": {"enabled": False},
    "networkPolicy": {"enabled": False, "metricsFrom": []},
    "topologySpread": False,
    "gateway": {"autoscaling": {"enabled": False}},
    "services": {name: {"autoscaling": {"enabled": False}} for name in SERVICES},
}


@pytest.fixture(scope="module")
def manifests() -> list[Manifest]:
    return render()


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    return default_values()


def _secret_settings() -> set[str]:
    """Every setting that holds a secret, in any service: its name, in upper case."""
    return {
        name.upper()
        for settings_class in SERVICES.values()
        for name in (*settings_class.secret_fields, *settings_class.model_fields)
        if name in settings_class.secret_fields or re.search("password|secret", name)
    }


@pytest.mark.parametrize("variant", [None, EVERYTHING_ON, EVERYTHING_OFF], ids=["defaults", "on", "off"])
def test_every_rendered_object_is_valid_kubernetes_1_33(variant: dict[str, Any] | None) -> None:
    rendered = render(variant)

    unknown = set()
    for manifest in rendered:
        try:
            kubernetes_validate.validate(manifest, KUBERNETES, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            unknown.add(manifest["kind"])
    assert unknown <= CUSTOM_KINDS
    assert rendered


def test_lint_is_clean() -> None:
    report = helm_python.lint(CHART, None, strict=True, namespace=NAMESPACE)

    assert report["errors"] == []
    # Severity 1 is information (an icon is recommended); warnings (2) and errors (3) would fail.
    assert [message for message in report["messages"] if message["severity"] > 1] == []


REFUSED = {
    "unknown top-level key": ({"replicaCount": 3}, "replicaCount"),
    "unknown service key": ({"services": {"user_service": {"replica": 3}}}, "replica"),
    "unknown service": ({"services": {"ticket_service": {"port": 8009}}}, "ticket_service"),
    "no replica": ({"services": {"booking_service": {"replicas": 0}}}, "replicas"),
    "port as text": ({"services": {"event_service": {"port": "8000"}}}, "port"),
    "port out of range": ({"gateway": {"port": 70000}}, "port"),
    "a secret as a value": (
        {"services": {"user_service": {"env": {"ADMIN_PASSWORD": "hunter2"}}}},
        "ADMIN_PASSWORD",
    ),
    "a URL with a password": ({"commonEnv": {"RABBITMQ_URL": "amqp://a:b@rabbitmq/"}}, "RABBITMQ_URL"),
    "a setting that is not text": (
        {"services": {"booking_service": {"env": {"DATABASE_POOL_SIZE": 10}}}},
        "DATABASE_POOL_SIZE",
    ),
    "no broker": ({"services": {"payment_service": {"stores": ["mongodb"]}}}, "stores"),
    "no database credentials": (
        {"services": {"checkin_service": {"secrets": {"postgres": None}}}},
        "postgres",
    ),
    "two databases": (
        {"services": {"user_service": {"stores": ["postgres", "mongodb", "rabbitmq"]}}},
        "stores",
    ),
    "an unknown store": ({"services": {"user_service": {"stores": ["mysql", "rabbitmq"]}}}, "stores"),
    "a bad budget": ({"services": {"user_service": {"pdb": {"maxUnavailable": "most"}}}}, "maxUnavailable"),
    "a bad pull policy": ({"image": {"pullPolicy": "Sometimes"}}, "pullPolicy"),
    "no parent gateway": ({"httpRoute": {"parentRefs": []}}, "parentRefs"),
    "a negative drain": ({"shutdown": {"drainSeconds": -1}}, "drainSeconds"),
    "a collector that is no URL": ({"tracing": {"otlpEndpoint": "collector:4318"}}, "otlpEndpoint"),
    "a CPU target over 100%": (
        {"gateway": {"autoscaling": {"targetCPUUtilizationPercentage": 150}}},
        "target",
    ),
    # What the schema cannot say, the templates refuse.
    "fewer pods at most than at least": (
        {"services": {"notification_service": {"autoscaling": {"minReplicas": 5, "maxReplicas": 3}}}},
        "minReplicas",
    ),
    "a call to a service left out": (
        {"services": {"payment_service": {"enabled": False}}},
        "payment_service",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_value_the_chart_refuses_fails_the_render(case: str) -> None:
    bad, named = REFUSED[case]

    with pytest.raises(helm_python.HelmError) as refused:
        render(bad)
    assert named in str(refused.value)


def test_every_service_of_the_repository_is_in_the_chart_on_its_port(values: dict[str, Any]) -> None:
    assert set(values["services"]) == set(SERVICES)
    for name, settings_class in SERVICES.items():
        assert values["services"][name]["port"] == settings_class.model_fields["port"].default, name
        assert values["services"][name]["enabled"], name


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_uses_the_stores_and_calls_its_settings_name(
    values: dict[str, Any], service: str
) -> None:
    settings_class: type[ServiceSettings] = SERVICES[service]
    chart = values["services"][service]
    fields = settings_class.model_fields
    database = {
        issubclass(settings_class, SqlServiceSettings): "postgres",
        issubclass(settings_class, MongoServiceSettings): "mongodb",
    }.get(True)
    expected = {"rabbitmq", database, *(["redis"] if "redis_url" in fields else [])} - {None}

    assert set(chart["stores"]) == expected
    if database == "postgres":
        assert chart["database"] == make_url(fields["database_url"].default).database
    if database == "mongodb":
        assert chart["database"] == fields["mongo_database"].default
    called = {name.removesuffix("_url") for name in fields if re.fullmatch(r"\w+_service_url", name)}
    assert set(chart["calls"]) == called


def _environment(manifests: list[Manifest], service: str) -> dict[str, str]:
    """Returns the environment a service's container gets, with made-up credentials and secrets."""
    deployment = of_kind(manifests, "Deployment")[component_name(service)]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    variables: dict[str, str] = {}
    for source in container["envFrom"]:
        if "configMapRef" in source:
            variables |= of_kind(manifests, "ConfigMap")[source["configMapRef"]["name"]]["data"]
        else:  # the service's own secrets, as `make env` makes them
            fields = {name.upper() for name in SERVICES[service].model_fields}
            variables |= {name: value for name, value in production_env().items() if name in fields}
    for variable in container["env"]:
        if "valueFrom" in variable:
            key = variable["valueFrom"]["secretKeyRef"]["key"]
            variables[variable["name"]] = service if key == "username" else "a-generated-password"
        else:
            variables[variable["name"]] = expand(variable["value"], variables)
    return variables


@pytest.mark.parametrize("service", SERVICES)
def test_every_variable_the_chart_sets_is_a_setting_of_its_service(
    manifests: list[Manifest], service: str
) -> None:
    fields = {name.upper() for name in SERVICES[service].model_fields}

    assert set(_environment(manifests, service)) - CREDENTIAL_PARTS <= fields


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_starts_in_production_from_the_chart_environment(
    manifests: list[Manifest], values: dict[str, Any], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in _environment(manifests, service).items():
        monkeypatch.setenv(name, value)

    settings = SERVICES[service](_env_file=None)

    assert settings.env == "production"
    assert (settings.host, settings.port) == ("0.0.0.0", values["services"][service]["port"])
    assert settings.jwks_url == "http://event-platform-user-service:8003/.well-known/jwks.json"
    assert settings.rabbitmq_url == f"amqp://{service}:a-generated-password@event-platform-rabbitmq:5672/"
    for callee in values["services"][service]["calls"]:
        port = values["services"][callee]["port"]
        assert getattr(settings, f"{callee}_url") == f"http://{component_name(callee)}:{port}"
    if isinstance(settings, SqlServiceSettings):
        url = make_url(settings.database_url)
        assert (url.drivername, url.host, url.username) == (
            "postgresql+asyncpg",
            "event-platform-pg-pooler-rw",
            service,
        )
        assert url.database == values["services"][service]["database"]
    if isinstance(settings, MongoServiceSettings):
        assert settings.mongo_url.startswith(
            f"mongodb://{service}:a-generated-password@event-platform-mongodb-0."
        )
        assert "replicaSet=event-platform-mongodb" in settings.mongo_url


def test_no_secret_is_a_value_of_the_chart(manifests: list[Manifest]) -> None:
    secrets = _secret_settings()

    assert of_kind(manifests, "Secret") == {}
    for config_map in of_kind(manifests, "ConfigMap").values():
        assert secrets.isdisjoint(config_map["data"]), config_map["metadata"]["name"]
    for deployment in of_kind(manifests, "Deployment").values():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            for variable in container.get("env", []):
                if "value" in variable:  # a URL whose credentials are a Secret's keys, never written out
                    assert variable["name"] not in secrets | CREDENTIAL_PARTS
                    credentials = re.match(r"\w+(\+\w+)?://([^@/]*)@", variable["value"])
                    assert credentials and re.fullmatch(r"\$\(\w+\):\$\(\w+_PASSWORD\)", credentials.group(2))
                else:
                    assert set(variable["valueFrom"]) == {"secretKeyRef"}
    assert {"ADMIN_PASSWORD", "SIGNING_KEY", "SERVICE_CLIENT_SECRET", "TICKET_SIGNING_KEY"} <= secrets


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_probes_a_drain_a_budget_and_an_autoscaler(
    manifests: list[Manifest], values: dict[str, Any], service: str
) -> None:
    name = component_name(service)
    pod = of_kind(manifests, "Deployment")[name]["spec"]["template"]
    container = pod["spec"]["containers"][0]
    shutdown = values["shutdown"]

    assert container["args"] == [service]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 300, "migrations may take minutes"
    assert container["lifecycle"]["preStop"]["sleep"]["seconds"] == shutdown["preStopSeconds"]
    assert pod["spec"]["terminationGracePeriodSeconds"] == sum(shutdown.values())
    assert (
        pod["spec"]["terminationGracePeriodSeconds"] > shutdown["preStopSeconds"] + shutdown["drainSeconds"]
    )
    settings = of_kind(manifests, "ConfigMap")[name]["data"]
    assert float(settings["SHUTDOWN_DRAIN_SECONDS"]) == shutdown["drainSeconds"], "uvicorn's graceful timeout"

    budget = of_kind(manifests, "PodDisruptionBudget")[name]["spec"]
    assert budget["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    autoscaler = of_kind(manifests, "HorizontalPodAutoscaler")[name]["spec"]
    assert autoscaler["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
    assert 1 <= autoscaler["minReplicas"] <= autoscaler["maxReplicas"]
    (metric,) = autoscaler["metrics"]
    if service == "notification_service":  # sockets, not CPU, are what a replica holds
        assert metric["type"] == "Pods"
        assert metric["pods"]["metric"]["name"] == "ws_connections"
    else:
        assert metric["resource"]["name"] == "cpu"


def _callers(values: dict[str, Any], service: str) -> set[str]:
    """The components that call `service`: the gateway, the services that name it, everyone for the keys."""
    callers = {"gateway"} | {
        name.replace("_", "-")
        for name, other in values["services"].items()
        if service in other["calls"] or service == "user_service"
    }
    return callers


@pytest.mark.parametrize("service", SERVICES)
def test_only_the_gateway_and_its_callers_reach_a_service_which_reaches_only_what_it_uses(
    manifests: list[Manifest], values: dict[str, Any], service: str
) -> None:
    policy = of_kind(manifests, "NetworkPolicy")[component_name(service)]["spec"]
    chart = values["services"][service]
    port = [{"port": chart["port"], "protocol": "TCP"}]

    assert policy["policyTypes"] == ["Ingress", "Egress"]
    assert policy["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == service.replace("_", "-")
    api, metrics = policy["ingress"]
    assert {component_of(peer) for peer in api["from"]} == _callers(values, service)
    assert (api["ports"], metrics["ports"], metrics["from"]) == (
        port,
        port,
        values["networkPolicy"]["metricsFrom"],
    )

    stores = values["networkPolicy"]["stores"]
    dns, *egress = policy["egress"]
    assert dns["to"] == values["networkPolicy"]["dns"]
    reached = {
        (
            component_of(rule["to"][0]) or next(s for s in stores if stores[s]["to"] == rule["to"]),
            rule["ports"][0]["port"],
        )
        for rule in egress
    }
    callees = {*chart["calls"], "user_service"}
    assert reached == {(store, stores[store]["port"]) for store in chart["stores"]} | {
        (callee.replace("_", "-"), values["services"][callee]["port"]) for callee in callees
    }
    assert all(rule.get("to") for rule in policy["egress"]), (
        "an egress rule without `to` would open everything"
    )


def test_the_gateway_reaches_every_service_and_nothing_else(
    manifests: list[Manifest], values: dict[str, Any]
) -> None:
    policy = of_kind(manifests, "NetworkPolicy")[component_name("gateway")]["spec"]

    (ingress,) = policy["ingress"]
    assert ingress["ports"] == [{"port": values["gateway"]["port"], "protocol": "TCP"}]
    _, *egress = policy["egress"]
    assert {(component_of(rule["to"][0]), rule["ports"][0]["port"]) for rule in egress} == {
        (name.replace("_", "-"), service["port"]) for name, service in values["services"].items()
    }


_UPSTREAM = re.compile(r"upstream\s+([\w-]+)\s*\{\s*server\s+([^;]+);\s*\}")


def _statements(config: str) -> list[str]:
    """The config's statements in order, comments and spacing left out."""
    text = re.sub(r"#[^\n]*", "", config)
    return [" ".join(part.split()) for part in re.split(r"(?<=[;{}])", text) if part.strip()]


def test_the_gateway_routes_exactly_as_deploy_nginx_conf_with_the_chart_hosts(
    manifests: list[Manifest], values: dict[str, Any]
) -> None:
    compose = (ROOT / "deploy" / "nginx.conf").read_text()
    chart = of_kind(manifests, "ConfigMap")[component_name("gateway")]["data"]["nginx.conf"]
    services = of_kind(manifests, "Service")

    assert set(dict(_UPSTREAM.findall(chart))) == set(dict(_UPSTREAM.findall(compose)))
    for upstream, server in _UPSTREAM.findall(chart):
        host, port = server.split(":")
        assert host == component_name(upstream) and host in services
        assert int(port) == services[host]["spec"]["ports"][0]["port"] == values["services"][upstream]["port"]
    expected = _statements(
        _UPSTREAM.sub("", compose).replace("listen 8080;", f"listen {values['gateway']['port']};")
    )
    assert _statements(_UPSTREAM.sub("", chart)) == expected


def test_the_gateway_runs_its_image_with_the_rendered_config(manifests: list[Manifest]) -> None:
    name = component_name("gateway")
    pod = of_kind(manifests, "Deployment")[name]["spec"]["template"]["spec"]
    (container,) = pod["containers"]

    assert container["image"].startswith(default_values()["gateway"]["image"]["repository"] + ":")
    assert {
        "mountPath": "/etc/nginx/nginx.conf",
        "name": "config",
        "subPath": "nginx.conf",
        "readOnly": True,
    } in (container["volumeMounts"])
    assert pod["volumes"] == [{"name": "config", "configMap": {"name": name}}]
    assert of_kind(manifests, "Service")[name]["spec"]["ports"][0]["port"] == 8080


def test_the_http_route_sends_every_path_to_the_gateway(values: dict[str, Any]) -> None:
    routes = of_kind(render(EVERYTHING_ON), "HTTPRoute")

    (route,) = routes.values()
    assert route["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert set(route) == {"apiVersion", "kind", "metadata", "spec"}
    assert set(route["spec"]) == {"parentRefs", "hostnames", "rules"}
    assert route["spec"]["parentRefs"] == values["httpRoute"]["parentRefs"]
    assert route["spec"]["hostnames"] == ["tickets.example.com"]
    (rule,) = route["spec"]["rules"]
    assert rule["matches"] == [{"path": {"type": "PathPrefix", "value": "/"}}]
    assert rule["backendRefs"] == [{"name": component_name("gateway"), "port": values["gateway"]["port"]}]


def test_the_ingress_keeps_quiet_websockets_open() -> None:
    (ingress,) = of_kind(render(EVERYTHING_ON), "Ingress").values()
    annotations = ingress["metadata"]["annotations"]

    assert annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"] == "3600"
    assert annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"] == "3600"
    assert annotations["example.com/team"] == "tickets"
    assert ingress["spec"]["tls"] == [{"hosts": ["tickets.example.com"], "secretName": "tickets-tls"}]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": component_name("gateway"), "port": {"name": "http"}}


@pytest.mark.parametrize("service", SERVICES)
def test_spans_are_exported_to_the_collector_only_when_one_is_named(service: str) -> None:
    name = component_name(service)
    for endpoint in ("", COLLECTOR):
        rendered = render({"tracing": {"otlpEndpoint": endpoint}})
        settings = of_kind(rendered, "ConfigMap")[name]["data"]
        egress = of_kind(rendered, "NetworkPolicy")[name]["spec"]["egress"]
        to_collector = [rule for rule in egress if rule["ports"] == [{"port": 4318, "protocol": "TCP"}]]

        assert settings.get("OTLP_ENDPOINT") == (endpoint or None)
        assert len(to_collector) == (1 if endpoint else 0)
