"""The notifications one consumed message makes, stored exactly once however often the message comes.

Each draft is stored in parts: one `Notification` document for up to `part_size` of its recipients,
who are told the same thing under the same id (MongoDB's bucket pattern). No document grows with
an event's attendance (a million attendees make a thousand documents of a thousand), and telling
thousands costs a few inserts, not one per person.

Recipients come in order, so each part holds the next ones after the part before. Part `n` of draft
`slot` of a message can be stored only once (a unique index): a redelivery, even one racing the
first handling on another replica, finds the part taken, takes it as it is (and announces it again;
sockets drop a frame they already sent) and goes on after the last recipient it holds. Nobody is
stored twice and nobody is skipped, even if the attendees changed in between.
"""

from collections.abc import AsyncIterator, Sequence, Set
from contextlib import aclosing
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from notification_service import service
from notification_service.ids import new_id
from notification_service.inserts import insert_new
from notification_service.messages import StoredNotification
from notification_service.models import AnnouncedBatch, Delivery, Notification
from notification_service.rules import Attendees, Draft


@dataclass(frozen=True)
class Part:
    """One stored document: a draft for some of its recipients, in order, under one id."""

    id: str
    message_id: str
    draft: Draft
    recipients: list[str]
    created_at: datetime

    def live(self) -> StoredNotification:
        """Returns the notification as the live message carries it to every replica."""
        return StoredNotification.model_construct(  # built from our own stored fields: nothing to validate
            notification_id=self.id,
            recipients=self.recipients,
            type=self.draft.type,
            title=self.draft.title,
            body=self.draft.body,
            data=self.draft.data,
            created_at=self.created_at,
        )

    def deliveries(self, channels: Set[str]) -> list[Delivery]:
        """Returns the deliveries that send it through the enabled outside channels."""
        return [
            Delivery(
                id=f"{self.message_id}/{self.draft.type}/{recipient}:{channel}",
                channel=channel,
                user_id=recipient,
                title=self.draft.title,
                body=self.draft.body,
                next_attempt_at=self.created_at,
            )
            for channel in sorted(channels.intersection(self.draft.channels))
            for recipient in self.recipients
        ]


class _AlreadyAnnouncedError(Exception):
    """An earlier handling of the message stored and announced all of it."""


async def store(
    *, message_id: str, drafts: Sequence[Draft], part_size: int, read_timeout: float
) -> AsyncIterator[list[Part]]:
    """Stores the message's notifications, yielding the parts each write stored, in id order.

    The drafts for one person (or for everyone) are written together; a draft for an event's
    attendees part by part, each yielded as soon as it is stored. Nothing is yielded if an earlier
    handling finished the message. `read_timeout` bounds each batch of attendees read, not the
    whole read.
    """
    created_at = datetime.now(UTC)
    try:
        personal = [
            _Spec(slot, 0, draft, [draft.recipient])
            for slot, draft in enumerate(drafts)
            if not isinstance(draft.recipient, Attendees)
        ]
        if personal:
            yield await _store_parts(message_id, personal, created_at)
        for slot, draft in enumerate(drafts):
            if isinstance(draft.recipient, Attendees):
                attendees = service.attendees(
                    event_id=draft.recipient.event_id, batch_size=part_size, batch_timeout=read_timeout
                )
                stored = _store_in_parts(message_id, slot, draft, attendees, part_size, created_at)
                async with aclosing(attendees), aclosing(stored):  # the cursor closed, whatever happens
                    async for part in stored:
                        yield [part]
    except _AlreadyAnnouncedError:
        return


async def finish(message_id: str) -> None:
    """Marks the message done: every part stored, announced and with its deliveries queued."""
    await insert_new(AnnouncedBatch, [AnnouncedBatch(id=message_id)])


@dataclass(frozen=True)
class _Spec:
    """A part to store: part `number` of draft `slot`, for these recipients."""

    slot: int
    number: int
    draft: Draft
    recipients: list[str]


async def _store_in_parts(
    message_id: str,
    slot: int,
    draft: Draft,
    recipients: AsyncIterator[list[str]],
    part_size: int,
    created_at: datetime,
) -> AsyncIterator[Part]:
    """Stores the draft for recipients that come in order, `part_size` to a part."""
    pending: list[str] = []  # in order, all after the last recipient of the parts before
    number = 0
    covered = ""  # the last recipient stored so far: every one up to it has a part ("" is below all)

    async def next_part(recipients: list[str]) -> Part:
        nonlocal number, covered, pending
        [part] = await _store_parts(message_id, [_Spec(slot, number, draft, recipients)], created_at)
        number += 1
        covered = part.recipients[-1]
        pending = [recipient for recipient in pending if recipient > covered]
        return part

    async for batch in recipients:
        pending.extend(recipient for recipient in batch if recipient > covered)
        while len(pending) >= part_size:
            yield await next_part(pending[:part_size])
    while pending:
        yield await next_part(pending[:part_size])


async def _store_parts(message_id: str, specs: list[_Spec], created_at: datetime) -> list[Part]:
    """Stores the parts with one write; a part an earlier handling stored is returned as it is."""
    parts = [
        Part(
            id=new_id(),
            message_id=message_id,
            draft=spec.draft,
            recipients=spec.recipients,
            created_at=created_at,
        )
        for spec in specs
    ]
    documents = [
        Notification(
            id=part.id,
            message_id=message_id,
            slot=spec.slot,
            part=spec.number,
            recipient=part.recipients,
            type=part.draft.type,
            title=part.draft.title,
            body=part.draft.body,
            data=part.draft.data,
            created_at=created_at,
        )
        for spec, part in zip(specs, parts, strict=True)
    ]
    for index in sorted(await insert_new(Notification, documents)):
        parts[index] = await _stored_part(message_id, specs[index])
    return parts


async def _stored_part(message_id: str, spec: _Spec) -> Part:
    """Returns the part an earlier handling stored; raises if that handling finished the message."""
    if await AnnouncedBatch.get(message_id) is not None:
        raise _AlreadyAnnouncedError(message_id)
    # One filter document: the embedded MongoDB plans the `$and` Beanie makes of several as a collection scan.
    stored = await Notification.find_one({"message_id": message_id, "slot": spec.slot, "part": spec.number})
    if stored is None:
        raise RuntimeError(
            f"Part {spec.number} of draft {spec.slot} of message {message_id} is taken but cannot be read"
        )
    recipients = stored.recipient if isinstance(stored.recipient, list) else [stored.recipient]
    as_stored = replace(spec.draft, type=stored.type, title=stored.title, body=stored.body, data=stored.data)
    return Part(
        id=stored.id,
        message_id=message_id,
        draft=as_stored,
        recipients=recipients,
        created_at=stored.created_at,
    )
