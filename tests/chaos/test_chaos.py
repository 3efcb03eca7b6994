"""The chaos run, small: two replicas of the booking, event and notification services behind the
balancer, under bookings, event changes and live sockets, while one replica is killed, another
stopped with SIGTERM, every broker connection cut and PostgreSQL cut; then every check of
`make chaos` must hold.

Real: the services as processes, HAProxy (or, where it is not installed, the TCP balancer),
PostgreSQL, RabbitMQ and an embedded MongoDB. Nothing is mocked.
"""

import pytest

from chaos.faults import KINDS
from chaos.run import Scenario, run

SCENARIO = Scenario(
    duration=150.0,  # an upper bound: the load stops once the four faults are done
    replicas={
        "user_service": 1,
        "payment_service": 1,
        "booking_service": 2,
        "event_service": 2,
        "notification_service": 2,
    },
    clients=40,
    booking_concurrency=4,
    events=2,
    capacity=1000,
    change_every=3.0,
    fault_interval=(5.0, 8.0),
    cut_seconds=(2.0, 4.0),
    fault_limit=len(KINDS),
    settle_timeout=120.0,
    # A booking left pending by a cut is resolved within seconds instead of a minute, to keep the test short.
    settings={"booking_service": {"PENDING_TIMEOUT_SECONDS": "10", "SWEEP_INTERVAL_SECONDS": "2"}},
)


# Starting eight replicas takes half a minute on two cores, the four faults about a minute.
@pytest.mark.timeout(300)
async def test_nothing_is_lost_oversold_or_told_twice_through_the_faults() -> None:
    outcome = await run(SCENARIO)
    print(outcome.report())

    assert sorted(fault.kind for fault in outcome.faults) == sorted(KINDS)
    assert outcome.settled_after is not None, outcome.report()
    assert outcome.ok, outcome.report()
