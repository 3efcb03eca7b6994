"""The arguments of every durable queue: quorum queues, dead-lettered at least once.

A quorum queue keeps each message on a majority of the broker's nodes, so a node may fail or restart
without losing or stopping anything. Its type and arguments are fixed when it is first declared, and
RabbitMQ refuses a later declaration that differs (PRECONDITION_FAILED): the Messaging Topology
Operator's manifests (deploy/operators/rabbitmq-topology.yaml) declare the same, and
docs/quorum-queues.md moves a broker that still holds classic queues over.
"""

from typing import Any

QUORUM: dict[str, Any] = {"x-queue-type": "quorum"}

# Dead-lettering is at least once: the dead-letter queue confirms a message before its source forgets
# it. RabbitMQ allows that only on a queue that refuses publishes when full rather than dropping its
# oldest message (`reject-publish`); none of these queues has a length limit, so nothing is refused.
AT_LEAST_ONCE: dict[str, Any] = {
    **QUORUM,
    "x-dead-letter-strategy": "at-least-once",
    "x-overflow": "reject-publish",
}

# How often a consumer's queue hands out one message before dead-lettering it. A failed attempt never
# counts: the consumer acks it once a copy waits in a delay queue, and that copy starts at zero
# (shared/messaging.py, `RetryPolicy`). A database outage is such a failure: every attempt meets the
# store's timeout (a few seconds), its copy waits at most TRANSIENT_RETRY_MAX_SECONDS (10 s), and it is
# dead-lettered only after TRANSIENT_RETRY_LIMIT_SECONDS (a day), so an outage of minutes delays
# messages. What counts is a consumer that loses a message it holds: before RabbitMQ 4.3 every return
# (its replica killed, its connection or the broker cut), from 4.3 only a return that says it failed.
# Each such return is one of a few per fault, and a copy is held only for one attempt (seconds): 50 is
# far beyond what replicas killed or a broker restarted every few seconds throughout one attempt return,
# and still ends the loop of a message that kills every consumer it reaches (RabbitMQ 4's default is 20).
DELIVERY_LIMIT = 50


def consumer_queue_arguments(dead_letter_queue: str) -> dict[str, Any]:
    """The arguments of a consumer's durable queue, whose rejected messages go to `dead_letter_queue`."""
    return {
        **AT_LEAST_ONCE,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": dead_letter_queue,
        "x-delivery-limit": DELIVERY_LIMIT,
    }


def delay_queue_name(queue: str, seconds: float) -> str:
    """The queue where messages of `queue` wait `seconds` before they return to it."""
    return f"{queue}.retry.{seconds:g}s"


def delay_queue_arguments(queue: str, seconds: float) -> dict[str, Any]:
    """The arguments of the queue where a message waits `seconds`, then returns to `queue` (at least once)."""
    return {
        **AT_LEAST_ONCE,
        "x-message-ttl": max(1, round(seconds * 1000)),
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": queue,
    }


# The newest messages kept in `<exchange>.unroutable`: types nobody consumes (`payment.succeeded`) must
# not fill the broker's disk; past it the oldest are dropped. A policy with a smaller `max-length`
# lowers it.
UNROUTABLE_MAX_MESSAGES = 100_000
UNROUTABLE_ARGUMENTS: dict[str, Any] = {**QUORUM, "x-max-length": UNROUTABLE_MAX_MESSAGES}
