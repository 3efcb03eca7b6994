"""Message payloads the tests publish themselves."""

from datetime import UTC, datetime

from shared.messages import UserRegistered


def user_registered(username: str) -> UserRegistered:
    """A `user.registered` of a new attendee named `username`."""
    return UserRegistered(
        user_id=username,
        username=username,
        email=f"{username}@example.com",
        full_name=username,
        roles=["attendee"],
        registered_at=datetime.now(UTC),
    )
