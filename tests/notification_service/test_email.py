"""Email through a real SMTP server (aiosmtpd) started by the test: sent, retried, never in the way."""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from notification_service.models import Delivery
from shared.messages import BookingOffered
from shared.messaging import Broker
from tests.conftest import Account, wait_for
from tests.notification_service.conftest import (
    Replica,
    booking_cancelled,
    booking_confirmed,
    booking_expired,
    booking_failed,
    booking_held,
    item,
    next_frame,
    open_socket,
    publish,
    with_items,
)
from tests.tcp_proxy import free_port

MakeAccount = Callable[..., Awaitable[Account]]


class MailServer:
    """An SMTP handler keeping what it accepts, after refusing the first `refusals` for now (451)."""

    def __init__(self, refusals: int = 0) -> None:
        self.refusals = refusals
        self.received: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.received.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [message for message in self.received if address in message["To"]]


@pytest.fixture
async def start_mail_server() -> AsyncIterator[Callable[[int], tuple[MailServer, int]]]:
    controllers: list[Controller] = []

    def start(refusals: int = 0) -> tuple[MailServer, int]:
        server = MailServer(refusals)
        controller = Controller(server, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        return server, controller.port

    yield start
    for controller in controllers:
        controller.stop()


def address_of(account: Account) -> str:
    # The address the account was registered with; the service learns it from `user.registered`.
    return f"{account.username}@example.com"


async def test_booking_confirmations_and_cancellations_are_emailed_to_the_booker(
    start_replica: Callable[..., Awaitable[Replica]],
    start_mail_server: Callable[[int], tuple[MailServer, int]],
    producer: Broker,
    make_account: MakeAccount,
) -> None:
    mail, port = start_mail_server(0)
    await start_replica(smtp_host="127.0.0.1", smtp_port=port)
    booker, owner = await make_account(), await make_account("organizer")
    confirmed = booking_confirmed(booker, owner, tickets=1)

    await publish(producer, booking_failed(booker, owner))  # told in the app only
    await publish(producer, confirmed)
    await publish(producer, booking_cancelled(confirmed))

    await wait_for(lambda: _has(mail, address_of(booker), 2))
    subjects = sorted(message["Subject"] for message in mail.to(address_of(booker)))
    assert subjects == ["Booking cancelled", "Booking confirmed"]
    [confirmation] = [message for message in mail.received if message["Subject"] == "Booking confirmed"]
    assert confirmation["To"] == f"{booker.username} <{address_of(booker)}>"
    assert (
        "Your booking of 1 ticket for Jazz Night is confirmed; 25.50 EUR paid." in confirmation.get_payload()
    )
    assert mail.to(address_of(owner)) == []  # the organizer's sale is told in the app only
    assert await Delivery.find_all().count() == 2


async def test_a_hold_and_its_expiry_are_emailed_to_the_booker_alone(
    start_replica: Callable[..., Awaitable[Replica]],
    start_mail_server: Callable[[int], tuple[MailServer, int]],
    producer: Broker,
    make_account: MakeAccount,
) -> None:
    mail, port = start_mail_server(0)
    await start_replica(smtp_host="127.0.0.1", smtp_port=port)
    booker, owner = await make_account(), await make_account("organizer")
    ends = datetime(2030, 6, 21, 17, 45, tzinfo=UTC)
    regular = with_items(item("Regular", 2, 2000))
    held = booking_held(booker, owner, ends, event_timezone="Europe/Berlin", **regular)

    await publish(producer, held)
    await publish(producer, booking_expired(held))

    await wait_for(lambda: _has(mail, address_of(booker), 2))
    by_subject = {message["Subject"]: _text(message) for message in mail.to(address_of(booker))}
    assert sorted(by_subject) == ["Hold expired", "Tickets held"]
    assert (
        "Your 2 tickets (2 × Regular) for Jazz Night are held until Fri 21 Jun 2030, 19:45 CEST; "
        "pay before then to keep them." in by_subject["Tickets held"]
    )
    assert "Nothing was charged." in by_subject["Hold expired"]
    assert mail.to(address_of(owner)) == []
    assert await Delivery.find_all().count() == 2


async def test_a_refused_email_is_retried_and_never_holds_up_the_live_frame(
    start_replica: Callable[..., Awaitable[Replica]],
    start_mail_server: Callable[[int], tuple[MailServer, int]],
    producer: Broker,
    make_account: MakeAccount,
) -> None:
    mail, port = start_mail_server(2)
    replica = await start_replica(smtp_host="127.0.0.1", smtp_port=port)
    booker, owner = await make_account(), await make_account("organizer")

    async with open_socket(replica, booker.token) as socket:
        await publish(producer, booking_confirmed(booker, owner))
        frame = await next_frame(socket)

    assert frame["type"] == "booking.confirmed"
    await wait_for(lambda: _has(mail, address_of(booker), 1))
    # The server has the mail before the sender hears it was accepted and records it sent.
    delivery = await wait_for(_sent_delivery)
    assert delivery.attempts == 3
    assert await Delivery.find_all().count() == 1


async def test_an_email_that_cannot_be_sent_is_given_up_loudly_after_its_attempts(
    start_replica: Callable[..., Awaitable[Replica]],
    producer: Broker,
    make_account: MakeAccount,
    caplog: pytest.LogCaptureFixture,
) -> None:
    replica = await start_replica(smtp_host="127.0.0.1", smtp_port=free_port(), email_max_attempts=2)
    booker, owner = await make_account(), await make_account("organizer")

    async with open_socket(replica, booker.token) as socket:
        await publish(producer, booking_confirmed(booker, owner))
        assert (await next_frame(socket))["type"] == "booking.confirmed"

    delivery = await wait_for(_failed_delivery)
    assert delivery.attempts == 2 and "connect" in (delivery.last_error or "").lower()
    assert any(
        record.levelname == "ERROR" and record.getMessage().startswith("Giving up on email")
        for record in caplog.records
    )


async def test_an_offer_from_the_waiting_list_is_emailed_to_its_user(
    start_replica: Callable[..., Awaitable[Replica]],
    start_mail_server: Callable[[int], tuple[MailServer, int]],
    producer: Broker,
    make_account: MakeAccount,
) -> None:
    mail, port = start_mail_server(0)
    await start_replica(smtp_host="127.0.0.1", smtp_port=port)
    waiter, owner = await make_account(), await make_account("organizer")
    held = booking_held(
        waiter,
        owner,
        datetime(2030, 6, 22, 17, 45, tzinfo=UTC),
        event_timezone="Europe/Berlin",
        **with_items(item("Regular", 2, 2000)),
    )

    await publish(producer, BookingOffered(**held.model_dump(), waiting_list_entry_id="entry-1"))

    await wait_for(lambda: _has(mail, address_of(waiter), 1))
    [message] = mail.to(address_of(waiter))
    assert message["Subject"] == "Seats offered from the waiting list"
    assert (
        "Seats freed up for Jazz Night: 2 tickets (2 × Regular) are held for you until "
        "Sat 22 Jun 2030, 19:45 CEST; pay before then to book them." in _text(message)
    )
    assert mail.to(address_of(owner)) == []


def _text(message: Message) -> str:
    """The body as the reader sees it, whatever transfer encoding carried it."""
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


async def _has(mail: MailServer, address: str, count: int) -> bool:
    return len(mail.to(address)) >= count


async def _sent_delivery() -> Delivery | None:
    return await Delivery.find_one(Delivery.state == "sent")


async def _failed_delivery() -> Delivery | None:
    return await Delivery.find_one(Delivery.state == "failed")
