"""The chaos report names what a client missed, so that a rare miss can be traced in the logs."""

from typing import Any

from chaos.checks import State, delivered
from chaos.sockets import LiveClient
from tests.accounts import Account


def _notification(notification_id: str, recipient: str) -> dict[str, Any]:
    return {"_id": notification_id, "type": "booking.confirmed", "recipient": recipient, "data": {}}


def test_a_missed_notification_is_named_with_its_client() -> None:
    state = State(
        bookings=[],
        capacity={},
        payments=[],
        unsent_sql=0,
        unsent_mongo={},
        queued={},
        notifications=[_notification("n1", "u1"), _notification("n2", "u1")],
    )
    client = LiveClient(cluster=None, account=Account(id="u1", username="u1", token=""))  # type: ignore[arg-type]
    client.received["n1"] += 1
    client.connects, client.last_id = 2, "n1"

    finding = delivered(state, [client])

    assert not finding.ok
    assert "1 missed" in finding.figures
    assert (
        "missed: n2 (booking.confirmed) for u1, whose socket connected 2 times, last at id n1"
        in finding.figures
    )
