"""Events stored by the release before ticket types sell one default type once the service starts."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from bson import ObjectId
from pymongo import AsyncMongoClient

from event_service.settings import EventSettings
from scripts.embedded_mongo import drop_databases
from tests.conftest import Account
from tests.event_service.conftest import client_for
from tests.event_service.test_storage import started_on


def _previous_release_event(owner: Account) -> dict[str, Any]:
    """An event as the previous release stored it: no ticket types, time zone or hold minutes."""
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "_id": ObjectId(),
        "title": "Old Jazz",
        "description": "",
        "venue": "Cellar",
        "category": "music",
        "starts_at": now + timedelta(days=20),
        "ends_at": now + timedelta(days=20, hours=3),
        "capacity": 80,
        "price": 1500,
        "currency": "EUR",
        "max_tickets_per_booking": 4,
        "status": "scheduled",
        "owner_id": owner.id,
        "created_at": now,
        "updated_at": now,
        "version": 3,
        "deleted_at": None,
        "outbox": [],
    }


async def test_an_event_of_the_previous_release_gets_its_default_type_at_start(
    event_settings: EventSettings, organizer: Account
) -> None:
    database = f"test_event_db_{uuid.uuid4().hex[:12]}"
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(event_settings.mongo_url)
    old = _previous_release_event(organizer)
    event_id = str(old["_id"])
    try:
        await mongo[database]["events"].insert_one(old)

        for _ in range(2):  # starting again changes nothing more
            async with started_on(event_settings, database) as app, client_for(app) as client:
                event = (await client.get(f"/events/{event_id}")).json()
                listed = (await client.get(f"/events/{event_id}/ticket-types")).json()

            assert (event["timezone"], event["hold_minutes"], event["version"]) == ("UTC", 15, 3)
            assert (
                event["ticket_types"]
                == listed
                == [
                    {
                        "id": event_id,
                        "name": "Admission",
                        "description": "",
                        "price": 1500,
                        "sales_start": None,
                        "sales_end": None,
                        "min_per_booking": 1,
                        "max_per_booking": 4,
                        "hidden": False,
                        "position": 0,
                    }
                ]
            )

        async with started_on(event_settings, database) as app, client_for(app) as client:
            # The migrated event is a whole one: its price still moves its default type's.
            changed = await client.patch(
                f"/events/{event_id}", json={"price": 1700}, headers=organizer.headers
            )
        assert changed.json()["ticket_types"][0]["price"] == 1700
        stored = await mongo[database]["events"].find_one({"_id": old["_id"]})
        assert stored is not None
        assert (stored["quotas"], stored["vouchers"], stored["sold_ticket_type_ids"]) == ([], [], [])
    finally:
        await mongo.close()
        await drop_databases(event_settings.mongo_url, database)
