"""The operators' example manifests (deploy/operators/) hold what the services and the chart expect.

Their custom resources (RabbitMQ, CloudNativePG, MongoDB) have no schema here, so each is checked field
by field: the queues and bindings the consumers declare, the broker users of scripts/make_env.py, and
the names the chart's values point at. The plain Kubernetes objects are validated as the chart's are.
"""

import re
from typing import Any

import kubernetes_validate
import pytest

import notification_service.messages  # noqa: F401  (its types join the catalogue)
from scripts.make_env import BROKER_ACCESS, EXCHANGE, broker_permissions
from scripts.topology import service_consumers
from shared.queues import DELIVERY_LIMIT, QUORUM, UNROUTABLE_ARGUMENTS
from tests.backends import QUEUE_FAMILIES
from tests.deploy.helm import Manifest, default_values, of_kind, operator_manifests

RABBITMQ = "rabbitmq.com/v1beta1"
CNPG = "postgresql.cnpg.io/v1"
MONGODB = "mongodbcommunity.mongodb.com/v1"
CUSTOM_KINDS = {
    "RabbitmqCluster",
    "Exchange",
    "Queue",
    "Binding",
    "Policy",
    "User",
    "Permission",
    "TopicPermission",
    "Cluster",
    "Database",
    "Pooler",
    "MongoDBCommunity",
}
# The durable queues of every consumer: `<service>.<family>`, as the services name them by default.
CONSUMER_QUEUES = {
    f"{service}.{family}": service for service, families in QUEUE_FAMILIES.items() for family in families
}


@pytest.fixture(scope="module")
def manifests() -> list[Manifest]:
    return operator_manifests()


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    return default_values()


def _specs(manifests: list[Manifest], kind: str, api_version: str = RABBITMQ) -> list[dict[str, Any]]:
    found = [item for item in manifests if item["kind"] == kind]
    assert found and {item["apiVersion"] for item in found} == {api_version}, kind
    return [item["spec"] for item in found]


def _services_using(values: dict[str, Any], store: str) -> dict[str, dict[str, Any]]:
    return {name: service for name, service in values["services"].items() if store in service["stores"]}


def test_every_plain_object_is_valid_kubernetes_and_every_other_is_a_known_custom_resource(
    manifests: list[Manifest],
) -> None:
    names = [(item["kind"], item["metadata"]["name"]) for item in manifests]

    assert len(names) == len(set(names)), "two objects of one kind share a name"
    for manifest in manifests:
        if manifest["kind"] in CUSTOM_KINDS:
            assert manifest["apiVersion"] in {RABBITMQ, CNPG, MONGODB}
        else:
            kubernetes_validate.validate(manifest, "1.33.0", strict=True)


def test_rabbitmq_runs_three_nodes_behind_the_chart_host(
    manifests: list[Manifest], values: dict[str, Any]
) -> None:
    (cluster,) = of_kind(manifests, "RabbitmqCluster").values()

    assert cluster["spec"]["replicas"] == 3
    assert cluster["metadata"]["name"] == values["stores"]["rabbitmq"]["host"]
    topology = [
        item for item in manifests if item["apiVersion"] == RABBITMQ and item["kind"] != "RabbitmqCluster"
    ]
    assert topology
    for item in topology:
        assert item["spec"]["rabbitmqClusterReference"] == {"name": cluster["metadata"]["name"]}


def test_every_consumer_queue_and_its_dead_letter_queue_are_quorum_queues(manifests: list[Manifest]) -> None:
    queues = {spec["name"]: spec for spec in _specs(manifests, "Queue")}

    assert set(queues) == {
        *CONSUMER_QUEUES,
        *(f"{queue}.dlq" for queue in CONSUMER_QUEUES),
        f"{EXCHANGE}.unroutable",
    }
    for name, spec in queues.items():
        assert (spec["type"], spec["durable"], spec["autoDelete"], spec["vhost"]) == (
            "quorum",
            True,
            False,
            "/",
        ), name
    declared = {
        name: arguments
        for service in QUEUE_FAMILIES
        for consumer in service_consumers(service)
        for name, arguments in consumer.durable_queues.items()
    }
    declared[f"{EXCHANGE}.unroutable"] = UNROUTABLE_ARGUMENTS
    for name, spec in queues.items():  # the operator adds the type to the arguments the services declare
        assert {**QUORUM, **spec.get("arguments", {})} == declared[name], name


def test_each_queue_is_bound_to_the_types_its_consumer_handles(manifests: list[Manifest]) -> None:
    bindings: dict[str, set[str]] = {}
    for spec in _specs(manifests, "Binding"):
        assert (spec["source"], spec["destinationType"], spec["vhost"]) == (EXCHANGE, "queue", "/")
        bindings.setdefault(spec["destination"], set()).add(spec["routingKey"])

    assert set(bindings) == set(CONSUMER_QUEUES)
    declared = {
        consumer.queue: set(consumer.routing_keys)
        for service in QUEUE_FAMILIES
        for consumer in service_consumers(service)
        if not consumer.exclusive
    }
    for queue, keys in bindings.items():
        if queue in declared:
            assert keys == declared[queue], queue
        owner = CONSUMER_QUEUES[queue]  # and the broker lets its owner bind each one
        assert all(re.search(BROKER_ACCESS[owner].consumes, key) for key in keys), queue


def test_the_policy_dead_letters_at_least_once_after_a_delivery_limit(manifests: list[Manifest]) -> None:
    (policy,) = _specs(manifests, "Policy")
    queues = {spec["name"] for spec in _specs(manifests, "Queue")}

    assert policy["applyTo"] == "quorum_queues"
    assert {queue for queue in queues if re.search(policy["pattern"], queue)} == set(CONSUMER_QUEUES)
    definition = policy["definition"]
    assert definition["dead-letter-strategy"] == "at-least-once"
    assert definition["overflow"] == "reject-publish", "at-least-once dead-lettering needs reject-publish"
    assert definition["delivery-limit"] == DELIVERY_LIMIT, "the services declare the same limit"


def test_the_exchange_is_the_services_topic_exchange(
    manifests: list[Manifest], values: dict[str, Any]
) -> None:
    (exchange,) = _specs(manifests, "Exchange")

    assert (exchange["name"], exchange["type"], exchange["durable"]) == (EXCHANGE, "topic", True)
    assert values["commonEnv"]["EVENT_EXCHANGE"] == EXCHANGE


def test_each_service_has_its_broker_user_with_the_grants_of_make_env(
    manifests: list[Manifest], values: dict[str, Any]
) -> None:
    users = {item["metadata"]["name"]: item["spec"] for item in manifests if item["kind"] == "User"}
    permissions = {spec["userReference"]["name"]: spec for spec in _specs(manifests, "Permission")}
    topics = {spec["userReference"]["name"]: spec for spec in _specs(manifests, "TopicPermission")}

    assert set(users) == set(permissions) == set(topics) == {name.replace("_", "-") for name in BROKER_ACCESS}
    for service, access in BROKER_ACCESS.items():
        user = service.replace("_", "-")
        assert users[user]["tags"] == []
        assert users[user]["importCredentialsSecret"] == {
            "name": values["services"][service]["secrets"]["rabbitmq"]
        }
        assert permissions[user]["permissions"] == broker_permissions(service)
        assert topics[user]["permissions"] == {
            "exchange": EXCHANGE,
            "write": access.publishes,
            "read": access.consumes,
        }
        assert permissions[user]["vhost"] == topics[user]["vhost"] == "/"


def test_postgresql_is_three_instances_with_a_database_and_role_per_service_behind_a_transaction_pooler(
    manifests: list[Manifest], values: dict[str, Any]
) -> None:
    (cluster,) = (item for item in manifests if item["kind"] == "Cluster" and item["apiVersion"] == CNPG)
    (pooler,) = _specs(manifests, "Pooler", CNPG)
    databases = {spec["name"]: spec for spec in _specs(manifests, "Database", CNPG)}
    roles = {role["name"]: role for role in cluster["spec"]["managed"]["roles"]}
    services = _services_using(values, "postgres")

    assert cluster["spec"]["instances"] == 3
    assert set(roles) == set(services)
    assert set(databases) == {service["database"] for service in services.values()}
    for name, service in services.items():
        assert roles[name]["passwordSecret"] == {"name": service["secrets"]["postgres"]}
        assert roles[name]["login"] and roles[name]["ensure"] == "present"
        assert databases[service["database"]]["owner"] == name
        assert databases[service["database"]]["cluster"] == {"name": cluster["metadata"]["name"]}
    assert pooler["cluster"] == {"name": cluster["metadata"]["name"]}
    assert (pooler["type"], pooler["pgbouncer"]["poolMode"]) == ("rw", "transaction")
    assert of_kind(manifests, "Pooler").keys() == {values["stores"]["postgres"]["host"]}
    assert values["networkPolicy"]["stores"]["postgres"]["to"] == [
        {"podSelector": {"matchLabels": {"cnpg.io/poolerName": values["stores"]["postgres"]["host"]}}}
    ]


def test_mongodb_is_a_three_member_replica_set_with_a_user_per_service(
    manifests: list[Manifest], values: dict[str, Any]
) -> None:
    (replica_set,) = of_kind(manifests, "MongoDBCommunity").values()
    name, spec = replica_set["metadata"]["name"], replica_set["spec"]
    users = {user["name"]: user for user in spec["users"]}
    services = _services_using(values, "mongodb")
    mongodb = values["stores"]["mongodb"]

    assert (spec["members"], spec["type"]) == (3, "ReplicaSet")
    assert set(users) == set(services)
    for service_name, service in services.items():
        assert users[service_name]["roles"] == [{"name": "readWrite", "db": service["database"]}]
        assert users[service_name]["connectionStringSecretName"] == service["secrets"]["mongodb"]
    assert mongodb["hosts"] == [f"{name}-{member}.{name}-svc:27017" for member in range(spec["members"])]
    assert f"replicaSet={name}" in mongodb["options"].split("&")
    assert "w=majority" in mongodb["options"].split("&")
    assert values["networkPolicy"]["stores"]["mongodb"]["to"] == [
        {"podSelector": {"matchLabels": {"app": f"{name}-svc"}}}
    ]


def test_redis_is_the_official_image_behind_the_chart_url(
    manifests: list[Manifest], values: dict[str, Any]
) -> None:
    (redis,) = of_kind(manifests, "StatefulSet").values()
    (container,) = redis["spec"]["template"]["spec"]["containers"]

    assert re.fullmatch(r"redis:\d+\.\d+-alpine", container["image"])
    assert values["stores"]["redis"]["url"] == f"redis://{redis['metadata']['name']}:6379/0"
    assert redis["metadata"]["name"] in of_kind(manifests, "Service")
    labels = redis["spec"]["template"]["metadata"]["labels"]
    assert values["networkPolicy"]["stores"]["redis"]["to"] == [{"podSelector": {"matchLabels": labels}}]


def test_only_the_services_that_use_a_store_reach_it(
    manifests: list[Manifest], values: dict[str, Any]
) -> None:
    policies = of_kind(manifests, "NetworkPolicy")
    allowed = {
        "event-platform-pg-pooler": "postgres",
        "event-platform-mongodb": "mongodb",
        "event-platform-rabbitmq": "rabbitmq",
        "event-platform-redis": "redis",
    }

    for policy_name, store in allowed.items():
        rule = policies[policy_name]["spec"]["ingress"][0]
        selector = rule["from"][0]["podSelector"]
        components = selector.get("matchLabels", {}).get("app.kubernetes.io/component")
        if components is None:
            (instance, component) = selector["matchExpressions"]
            assert instance == {
                "key": "app.kubernetes.io/instance",
                "operator": "In",
                "values": ["event-platform"],
            }
            components = component["values"]
        expected = {name.replace("_", "-") for name in _services_using(values, store)}
        assert set([components] if isinstance(components, str) else components) == expected, store
        assert rule["ports"] == [
            {"port": values["networkPolicy"]["stores"][store]["port"], "protocol": "TCP"}
        ]
