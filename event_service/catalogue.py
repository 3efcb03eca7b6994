"""What an event sells: its ticket types, the quotas they share and its vouchers, each change one write.

Every change rewrites the list it touches in the event document, together with the `event.updated`
that carries the whole event, so the booking service always reads a complete catalogue.
"""

import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from bson import ObjectId

from event_service.catalogue_schemas import (
    MAX_QUOTAS,
    MAX_TICKET_TYPES,
    MAX_VOUCHERS,
    QuotaCreate,
    QuotaUpdate,
    TicketTypeCreate,
    TicketTypeUpdate,
    VoucherCreate,
    VoucherQuery,
    VoucherUpdate,
    check_per_booking,
    check_sales_window,
    check_voucher_value,
)
from event_service.models import Event, Quota, TicketType, Voucher
from event_service.service import (
    Change,
    EventCancelledError,
    EventNotFoundError,
    InvalidEventError,
    NotEventOwnerError,
    Versions,
    get,
    snapshot,
    write_change,
)
from shared.auth import Principal
from shared.messages import EventUpdated

# Unambiguous to read aloud or type: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10

Item = TypeVar("Item")


class TicketTypeNotFoundError(LookupError):
    def __init__(self) -> None:
        super().__init__("The event has no ticket type with this id")


class QuotaNotFoundError(LookupError):
    def __init__(self) -> None:
        super().__init__("The event has no quota with this id")


class VoucherNotFoundError(LookupError):
    def __init__(self) -> None:
        super().__init__("The event has no voucher with this code")


class TicketTypeHasSalesError(Exception):
    def __init__(self) -> None:
        super().__init__("The ticket type has sales; hide it or end its sales instead")


class DefaultTicketTypeError(Exception):
    def __init__(self) -> None:
        super().__init__("The default ticket type carries the event's price and cannot be deleted; hide it")


class VoucherRedeemedError(Exception):
    def __init__(self) -> None:
        super().__init__("The voucher has been redeemed; disable it instead")


class VoucherCodeTakenError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(f"The event already has a voucher {code}")


class CatalogueFullError(Exception):
    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"An event has at most {limit} {what}")


def _updated(fields: dict[str, Any], conditions: dict[str, Any] | None = None) -> Change:
    changed = list(fields)
    return Change(fields, lambda after: EventUpdated(**snapshot(after), changed=changed), conditions or {})


def _open(event: Event) -> Event:
    if event.status == "cancelled":
        raise EventCancelledError
    return event


def _new_id() -> str:
    return str(ObjectId())


def _find(items: Iterable[Item], matches: Callable[[Item], bool], missing: Exception) -> Item:
    found = next((item for item in items if matches(item)), None)
    if found is None:
        raise missing
    return found


def _replaced(items: list[Item], old: Item, new: Item) -> list[Item]:
    return [new if item is old else item for item in items]


async def _readable(event_id: str) -> Event:
    event = await get(event_id=event_id)
    if event is None:
        raise EventNotFoundError
    return event


def _may_change(event: Event, viewer: Principal | None) -> bool:
    return viewer is not None and (viewer.is_admin or event.owner_id == viewer.id)


def _check(field: str, value: Any, check: Callable[[], None]) -> None:
    try:
        check()
    except ValueError as exc:
        raise InvalidEventError(field, str(exc), value) from exc


def _check_ticket_type(event: Event, ticket_type: TicketType, blamed: dict[str, Any]) -> None:
    """Raises `InvalidEventError` when the type breaks a rule, blaming a field the request gave."""

    def blame(*names: str) -> str:
        return next((name for name in names if name in blamed), names[0])

    field = blame("sales_end", "sales_start")
    _check(
        field, blamed.get(field), lambda: check_sales_window(ticket_type.sales_start, ticket_type.sales_end)
    )
    field = blame("max_per_booking", "min_per_booking")
    _check(
        field,
        blamed.get(field),
        lambda: check_per_booking(ticket_type.min_per_booking, ticket_type.max_per_booking),
    )
    if ticket_type.max_per_booking > event.max_tickets_per_booking:
        field = blame("max_per_booking", "min_per_booking")
        raise InvalidEventError(
            field,
            f"max_per_booking ({ticket_type.max_per_booking}) must not exceed the event's "
            f"max_tickets_per_booking ({event.max_tickets_per_booking})",
            blamed.get(field),
        )


def _known_types(event: Event, ticket_type_ids: list[str]) -> list[str]:
    """Returns the ids without repeats; raises `InvalidEventError` naming one the event does not have."""
    known = {ticket_type.id for ticket_type in event.ticket_types}
    for ticket_type_id in ticket_type_ids:
        if ticket_type_id not in known:
            raise InvalidEventError(
                "ticket_type_ids", f"The event has no ticket type {ticket_type_id}", ticket_type_id
            )
    return list(dict.fromkeys(ticket_type_ids))


# Ticket types


async def get_ticket_types(*, event_id: str, viewer: Principal | None) -> list[TicketType]:
    """Returns the event's ticket types; hidden ones only to its owner or an admin."""
    event = await _readable(event_id)
    shown = _may_change(event, viewer)
    return [ticket_type for ticket_type in event.ticket_types if shown or not ticket_type.hidden]


async def create_ticket_type(
    *, event_id: str, type_in: TicketTypeCreate, actor: Principal, if_match: Versions
) -> tuple[Event, TicketType]:
    """Returns the event and its new ticket type, written with its `event.updated`."""
    created: list[TicketType] = []

    def plan(event: Event, now: Any) -> Change:
        _open(event)
        if len(event.ticket_types) >= MAX_TICKET_TYPES:
            raise CatalogueFullError("ticket types", MAX_TICKET_TYPES)
        given = type_in.model_dump(exclude_unset=True)
        fields = type_in.model_dump()
        if fields["max_per_booking"] is None:
            fields["max_per_booking"] = event.max_tickets_per_booking
        ticket_type = TicketType(id=_new_id(), **fields)
        _check_ticket_type(event, ticket_type, given)
        created[:] = [ticket_type]
        return _updated({"ticket_types": [*event.ticket_types, ticket_type]})

    event = await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)
    return event, created[0]


async def update_ticket_type(
    *, event_id: str, ticket_type_id: str, changes: TicketTypeUpdate, actor: Principal, if_match: Versions
) -> tuple[Event, TicketType]:
    """Returns the event and the changed type; the default type's price is the event's price too."""

    def plan(event: Event, now: Any) -> Change | None:
        _open(event)
        old = _find(event.ticket_types, lambda item: item.id == ticket_type_id, TicketTypeNotFoundError())
        given = changes.model_dump(exclude_unset=True)
        new = old.model_copy(update=given)
        if new == old:
            return None
        _check_ticket_type(event, new, given)
        fields: dict[str, Any] = {"ticket_types": _replaced(event.ticket_types, old, new)}
        if ticket_type_id == str(event.id) and new.price != event.price:
            fields["price"] = new.price
        return _updated(fields)

    event = await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)
    return event, _find(event.ticket_types, lambda item: item.id == ticket_type_id, TicketTypeNotFoundError())


async def delete_ticket_type(
    *, event_id: str, ticket_type_id: str, actor: Principal, if_match: Versions
) -> Event:
    """Deletes a type without sales, and takes it out of the quotas and vouchers naming it.

    A quota left with no type goes too; a voucher left with no type would apply to every type, so
    it is disabled instead.
    """

    def plan(event: Event, now: Any) -> Change:
        _open(event)
        old = _find(event.ticket_types, lambda item: item.id == ticket_type_id, TicketTypeNotFoundError())
        if ticket_type_id == str(event.id):
            raise DefaultTicketTypeError
        if ticket_type_id in event.sold_ticket_type_ids:
            raise TicketTypeHasSalesError
        fields: dict[str, Any] = {"ticket_types": [item for item in event.ticket_types if item is not old]}
        quotas = [
            quota.model_copy(
                update={"ticket_type_ids": [i for i in quota.ticket_type_ids if i != ticket_type_id]}
            )
            for quota in event.quotas
        ]
        quotas = [quota for quota in quotas if quota.ticket_type_ids]
        if quotas != event.quotas:
            fields["quotas"] = quotas
        vouchers = [_without_type(voucher, ticket_type_id) for voucher in event.vouchers]
        if vouchers != event.vouchers:
            fields["vouchers"] = vouchers
        # A sale recorded since the event was read makes the write miss, and the retry refuse.
        return _updated(fields, {"sold_ticket_type_ids": {"$ne": ticket_type_id}})

    return await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)


def _without_type(voucher: Voucher, ticket_type_id: str) -> Voucher:
    if ticket_type_id not in voucher.ticket_type_ids:
        return voucher
    remaining = [i for i in voucher.ticket_type_ids if i != ticket_type_id]
    return voucher.model_copy(
        update={"ticket_type_ids": remaining, "disabled": voucher.disabled or not remaining}
    )


# Quotas


async def get_quotas(*, event_id: str) -> list[Quota]:
    """Returns the event's quotas, oldest first."""
    return (await _readable(event_id)).quotas


async def create_quota(
    *, event_id: str, quota_in: QuotaCreate, actor: Principal, if_match: Versions
) -> tuple[Event, Quota]:
    """Returns the event and its new quota, written with its `event.updated`."""
    created: list[Quota] = []

    def plan(event: Event, now: Any) -> Change:
        _open(event)
        if len(event.quotas) >= MAX_QUOTAS:
            raise CatalogueFullError("quotas", MAX_QUOTAS)
        ticket_type_ids = _known_types(event, quota_in.ticket_type_ids)
        quota = Quota(id=_new_id(), name=quota_in.name, size=quota_in.size, ticket_type_ids=ticket_type_ids)
        created[:] = [quota]
        return _updated({"quotas": [*event.quotas, quota]})

    event = await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)
    return event, created[0]


async def update_quota(
    *, event_id: str, quota_id: str, changes: QuotaUpdate, actor: Principal, if_match: Versions
) -> tuple[Event, Quota]:
    """Returns the event and the changed quota."""

    def plan(event: Event, now: Any) -> Change | None:
        _open(event)
        old = _find(event.quotas, lambda item: item.id == quota_id, QuotaNotFoundError())
        given = changes.model_dump(exclude_unset=True)
        if "ticket_type_ids" in given:
            given["ticket_type_ids"] = _known_types(event, given["ticket_type_ids"])
        new = old.model_copy(update=given)
        if new == old:
            return None
        return _updated({"quotas": _replaced(event.quotas, old, new)})

    event = await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)
    return event, _find(event.quotas, lambda item: item.id == quota_id, QuotaNotFoundError())


async def delete_quota(*, event_id: str, quota_id: str, actor: Principal, if_match: Versions) -> Event:
    """Deletes a quota: its types then sell within the event's capacity and their other quotas."""

    def plan(event: Event, now: Any) -> Change:
        _open(event)
        old = _find(event.quotas, lambda item: item.id == quota_id, QuotaNotFoundError())
        return _updated({"quotas": [item for item in event.quotas if item is not old]})

    return await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)


# Vouchers


async def get_vouchers(
    *, event_id: str, viewer: Principal, query: VoucherQuery
) -> tuple[Event, list[Voucher]]:
    """Returns the event and one page of its vouchers, oldest first (its owner or an admin only)."""
    event = await _readable(event_id)
    if not _may_change(event, viewer):
        raise NotEventOwnerError
    return event, event.vouchers[query.offset : query.offset + query.limit]


def _generated_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def _check_voucher(voucher: Voucher, given: dict[str, Any]) -> None:
    field = "value" if "value" in given or "price_mode" not in given else "price_mode"
    _check(field, given.get(field), lambda: check_voucher_value(voucher.price_mode, voucher.value))


async def create_voucher(
    *, event_id: str, voucher_in: VoucherCreate, actor: Principal, if_match: Versions
) -> tuple[Event, Voucher]:
    """Returns the event and its new voucher, written with its `event.updated`."""
    created: list[Voucher] = []

    def plan(event: Event, now: Any) -> Change:
        _open(event)
        if len(event.vouchers) >= MAX_VOUCHERS:
            raise CatalogueFullError("vouchers", MAX_VOUCHERS)
        taken = {voucher.code for voucher in event.vouchers}
        if voucher_in.code in taken:
            raise VoucherCodeTakenError(voucher_in.code)
        fields = voucher_in.model_dump()
        fields["code"] = voucher_in.code or _generated_code(taken)
        fields["ticket_type_ids"] = _known_types(event, voucher_in.ticket_type_ids)
        voucher = Voucher(**fields)
        created[:] = [voucher]
        return _updated({"vouchers": [*event.vouchers, voucher]})

    event = await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)
    return event, created[0]


async def update_voucher(
    *, event_id: str, code: str, changes: VoucherUpdate, actor: Principal, if_match: Versions
) -> tuple[Event, Voucher]:
    """Returns the event and the changed voucher; a redeemed one may change too (disabled, most often)."""
    code = code.upper()

    def plan(event: Event, now: Any) -> Change | None:
        _open(event)
        old = _find(event.vouchers, lambda item: item.code == code, VoucherNotFoundError())
        given = changes.model_dump(exclude_unset=True)
        if "ticket_type_ids" in given:
            given["ticket_type_ids"] = _known_types(event, given["ticket_type_ids"])
        new = old.model_copy(update=given)
        if new == old:
            return None
        _check_voucher(new, given)
        return _updated({"vouchers": _replaced(event.vouchers, old, new)})

    event = await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)
    return event, _find(event.vouchers, lambda item: item.code == code, VoucherNotFoundError())


async def delete_voucher(*, event_id: str, code: str, actor: Principal, if_match: Versions) -> Event:
    """Deletes a voucher never redeemed; a redeemed one can only be disabled."""
    code = code.upper()

    def plan(event: Event, now: Any) -> Change:
        _open(event)
        old = _find(event.vouchers, lambda item: item.code == code, VoucherNotFoundError())
        if code in event.redeemed_voucher_codes:
            raise VoucherRedeemedError
        return _updated(
            {"vouchers": [item for item in event.vouchers if item is not old]},
            {"redeemed_voucher_codes": {"$ne": code}},
        )

    return await write_change(event_id=event_id, actor=actor, if_match=if_match, plan=plan)
