"""Events: the rules for changing them, and each change written together with the message it publishes."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from beanie import PydanticObjectId
from bson import ObjectId

from event_service.models import (
    DEFAULT_TICKET_TYPE_NAME,
    LISTING,
    Event,
    TicketType,
)
from event_service.schemas import (
    EventCreate,
    EventPage,
    EventPublic,
    EventQuery,
    EventUpdate,
    check_in_future,
    check_schedule,
    check_ticket_limit,
)
from shared.auth import Principal
from shared.messages import (
    EventCancelled,
    EventCreated,
    EventDeleted,
    EventSnapshot,
    EventUpdated,
    MessageData,
    QuotaFacts,
    TicketTypeFacts,
    VoucherFacts,
)
from shared.mongo import stored_now
from shared.mongo_outbox import room_for, stage_messages, with_messages

# Without `If-Match`, a write that lost a race with another one is re-read, re-checked and retried.
MAX_WRITE_ATTEMPTS = 5
_LIVE = {"deleted_at": None}

Versions = frozenset[int] | None  # the versions a conditional request accepts; None accepts any


class EventNotFoundError(LookupError):
    def __init__(self) -> None:
        super().__init__("Event not found")


class NotEventOwnerError(PermissionError):
    def __init__(self) -> None:
        super().__init__("Only the event's owner or an admin may change it")


class EventCancelledError(Exception):
    def __init__(self) -> None:
        super().__init__("The event is cancelled; a cancelled event is final and cannot be changed")


class VersionMismatchError(Exception):
    def __init__(self, current: int) -> None:
        super().__init__(f"The event has changed (it is now version {current}); fetch it and retry")


class ConcurrentChangeError(Exception):
    def __init__(self) -> None:
        super().__init__("The event is being changed by others; retry")


class InvalidEventError(ValueError):
    """The event as changed would break a rule; `field` is the changed field to blame."""

    def __init__(self, field: str, message: str, value: Any) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


@dataclass(frozen=True)
class Change:
    fields: dict[str, Any]
    message: Callable[[Event], MessageData]  # built from the event as changed
    # More the stored event must match for the write to apply: a rule on what others write meanwhile.
    conditions: dict[str, Any] = field(default_factory=dict)


Plan = Callable[[Event, datetime], Change | None]  # None: nothing to write


def _object_id(event_id: str) -> PydanticObjectId | None:
    return PydanticObjectId(event_id) if ObjectId.is_valid(event_id) else None


_CATALOGUE_FIELDS = ("event_id", "ticket_types", "quotas", "vouchers")


def snapshot(event: Event) -> dict[str, Any]:
    """Returns the whole event as its messages carry it, ticket types, quotas and vouchers included."""
    fields = {
        name: getattr(event, name) for name in EventSnapshot.model_fields if name not in _CATALOGUE_FIELDS
    }
    return {
        "event_id": str(event.id),
        **fields,
        "ticket_types": [
            TicketTypeFacts(
                ticket_type_id=ticket_type.id, **ticket_type.model_dump(exclude={"id", "description"})
            )
            for ticket_type in event.ticket_types
        ],
        "quotas": [
            QuotaFacts(quota_id=quota.id, **quota.model_dump(exclude={"id"})) for quota in event.quotas
        ],
        "vouchers": [VoucherFacts(**voucher.model_dump()) for voucher in event.vouchers],
    }


def default_ticket_type(event: Event) -> TicketType | None:
    """Returns the type made with the event, whose id is the event's and whose price is the event's."""
    return next((ticket_type for ticket_type in event.ticket_types if ticket_type.id == str(event.id)), None)


async def get(*, event_id: str) -> Event | None:
    """Returns the event with this id, or None if there is none, it was deleted, or the id is malformed."""
    object_id = _object_id(event_id)
    if object_id is None:
        return None
    return await Event.find_one({"_id": object_id}, _LIVE)


# The stored fields the API shows: reads leave out the outbox, which only the relay needs.
_PUBLIC_FIELDS = {name: True for name in EventPublic.model_fields if name != "id"}


async def get_public(*, event_id: str) -> EventPublic | None:
    """Returns what the API shows of an event, or None as `get` does.

    Read straight from the collection: the hottest route skips building the whole document.
    """
    object_id = _object_id(event_id)
    if object_id is None:
        return None
    stored = await Event.get_pymongo_collection().find_one({"_id": object_id, **_LIVE}, _PUBLIC_FIELDS)
    return None if stored is None else EventPublic.model_validate({**stored, "id": stored["_id"]})


def _conditions(query: EventQuery) -> dict[str, Any]:
    conditions: dict[str, Any] = dict(_LIVE)
    if query.q is not None:
        conditions["title"] = {"$regex": re.escape(query.q), "$options": "i"}
    for name in ("category", "owner_id", "status"):
        if (value := getattr(query, name)) is not None:
            conditions[name] = value
    starts: dict[str, datetime] = {}
    if query.starts_after is not None:
        starts["$gte"] = query.starts_after
    if query.starts_before is not None:
        starts["$lt"] = query.starts_before
    if starts:
        conditions["starts_at"] = starts
    return conditions


async def get_all_public(*, query: EventQuery) -> EventPage:
    """Returns one page of what the API shows of the events matching `query`, by start time, and how
    many match in all."""
    page, total = await LISTING.page_of_fields(
        Event, _conditions(query), fields=_PUBLIC_FIELDS, offset=query.offset, limit=query.limit
    )
    items = [{**stored, "id": stored["_id"]} for stored in page]
    return EventPage.model_validate(
        {"items": items, "total": total, "limit": query.limit, "offset": query.offset}
    )


async def create(*, event_in: EventCreate, owner_id: str) -> Event:
    """Returns the new event, inserted together with its `event.created`."""
    now = stored_now()
    event_id = PydanticObjectId()
    admission = TicketType(
        id=str(event_id),
        name=DEFAULT_TICKET_TYPE_NAME,
        price=event_in.price,
        max_per_booking=event_in.max_tickets_per_booking or 1,
    )
    event = Event(
        id=event_id,
        **event_in.model_dump(),
        ticket_types=[admission],
        owner_id=owner_id,
        created_at=now,
        updated_at=now,
    )
    stage_messages(event, EventCreated(**snapshot(event)))
    await event.insert()
    return event


async def update(*, event_id: str, changes: EventUpdate, actor: Principal, if_match: Versions) -> Event:
    """Returns the event with `changes` applied; unchanged when they change nothing."""

    def plan(event: Event, now: datetime) -> Change | None:
        if event.status == "cancelled":
            raise EventCancelledError
        if changes.status == "cancelled":
            return _cancellation()
        requested = changes.model_dump(exclude_unset=True, exclude={"status"})
        fields = {name: value for name, value in requested.items() if getattr(event, name) != value}
        if not fields:
            return None
        _check_changed_event(event.model_copy(update=fields), fields)
        changed = list(fields)
        ticket_types = _types_following(event, fields)
        if ticket_types != event.ticket_types:
            fields["ticket_types"] = ticket_types
            changed.append("ticket_types")
        return Change(fields, lambda after: EventUpdated(**snapshot(after), changed=changed))

    return await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)


async def cancel(*, event_id: str, actor: Principal, if_match: Versions) -> Event:
    """Returns the cancelled event; cancelling it again changes nothing and publishes nothing."""

    def plan(event: Event, now: datetime) -> Change | None:
        return None if event.status == "cancelled" else _cancellation()

    return await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)


async def delete(*, event_id: str, actor: Principal, if_match: Versions) -> Event:
    """Deletes the event, leaving a tombstone that carries its `event.deleted` to the relay; returns it."""

    def plan(event: Event, now: datetime) -> Change:
        return Change({"deleted_at": now}, lambda after: EventDeleted(**snapshot(after)))

    return await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)


def _types_following(event: Event, fields: dict[str, Any]) -> list[TicketType]:
    """Returns the ticket types as a change of the event's price or booking limit leaves them.

    The default type's price is the event's price. A lower booking limit lowers every type's limit
    to it; the default type's limit follows the event's up too, as it did when the event sold one type.
    """
    price = fields.get("price", event.price)
    limit = fields.get("max_tickets_per_booking", event.max_tickets_per_booking)
    following = []
    for ticket_type in event.ticket_types:
        changes: dict[str, Any] = {}
        if ticket_type.id == str(event.id):
            changes["price"] = price
            if ticket_type.max_per_booking == event.max_tickets_per_booking:
                changes["max_per_booking"] = limit
        maximum = min(changes.get("max_per_booking", ticket_type.max_per_booking), limit)
        changes["max_per_booking"] = maximum
        changes["min_per_booking"] = min(ticket_type.min_per_booking, maximum)
        following.append(ticket_type.model_copy(update=changes))
    return following


def _cancellation() -> Change:
    return Change({"status": "cancelled"}, lambda after: EventCancelled(**snapshot(after)))


def _check_changed_event(event: Event, changed: dict[str, Any]) -> None:
    """Raises `InvalidEventError`, naming a changed field, when the changed event breaks a rule.

    A rule is checked only when one of its fields changed: otherwise it held before and still does.
    """
    rules = (
        (("starts_at",), lambda: check_in_future(event.starts_at)),
        (("ends_at", "starts_at"), lambda: check_schedule(event.starts_at, event.ends_at)),
        (
            ("max_tickets_per_booking", "capacity"),
            lambda: check_ticket_limit(event.max_tickets_per_booking, event.capacity),
        ),
    )
    for names, check in rules:
        blamed = next((name for name in names if name in changed), None)
        if blamed is None:
            continue
        try:
            check()
        except ValueError as exc:
            raise InvalidEventError(blamed, str(exc), changed[blamed]) from exc


async def write_change(*, event_id: str, actor: Principal, if_match: Versions, plan: Plan) -> Event:
    """Applies `plan` to the current version and writes it with its message in one conditional update."""
    for _ in range(MAX_WRITE_ATTEMPTS):
        event = await _get_to_change(event_id=event_id, actor=actor, if_match=if_match)
        now = stored_now()
        change = plan(event, now)
        if change is None:
            return event
        after = event.model_copy(update={**change.fields, "updated_at": now, "version": event.version + 1})
        update = {"$set": {**change.fields, "updated_at": now}, "$inc": {"version": 1}}
        # Matching the version read means nobody changed the event since, so the rules checked still hold.
        unchanged = {"_id": event.id, "version": event.version, **room_for(event), **change.conditions}
        result = await Event.find_one(unchanged, _LIVE).update(
            with_messages(Event, update, change.message(after))
        )
        if result.matched_count == 1:
            return after
    raise ConcurrentChangeError


async def _get_to_change(*, event_id: str, actor: Principal, if_match: Versions) -> Event:
    event = await get(event_id=event_id)
    if event is None:
        raise EventNotFoundError
    if not (actor.is_admin or event.owner_id == actor.id):
        raise NotEventOwnerError
    if if_match is not None and event.version not in if_match:
        raise VersionMismatchError(event.version)
    return event
