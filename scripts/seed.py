"""`make seed`: demo accounts and upcoming events, loaded through the public APIs (development only).

Running it twice changes nothing: existing accounts and events are reused.
"""

import os
import sys
from datetime import UTC, datetime, timedelta

import httpx

USERS_URL = os.environ.get("SEED_USERS_URL", "http://127.0.0.1:8003")
EVENTS_URL = os.environ.get("SEED_EVENTS_URL", "http://127.0.0.1:8000")
ADMIN = {
    "username": os.environ.get("ADMIN_USERNAME", "admin"),
    "password": os.environ.get("ADMIN_PASSWORD", "admin-dev-password"),
}
ACCOUNTS = [
    ("organizer", "organizer-dev-password", "organizer"),
    ("alice", "alice-dev-password", "attendee"),
    ("bob", "bob-dev-password", "attendee"),
]
EVENTS = [
    ("PyCon Meetup: async Python", "Talks", "Community Hall, Berlin", 7, 120, 1500),
    ("Jazz in the Park", "Music", "Central Park Bandstand", 14, 300, 2500),
    ("Intro to Pottery", "Workshops", "Clay Studio 4", 30, 12, 4500),
]


def _token(client: httpx.Client, username: str, password: str) -> str:
    response = client.post(f"{USERS_URL}/login", json={"username": username, "password": password})
    response.raise_for_status()
    return response.json()["access_token"]


def _ensure_account(client: httpx.Client, admin_token: str, username: str, password: str, role: str) -> None:
    profile = {"username": username, "email": f"{username}@example.com", "full_name": username.title()}
    response = client.post(f"{USERS_URL}/register", json={**profile, "password": password})
    if response.status_code == 409:
        return
    response.raise_for_status()
    if role != "attendee":
        client.patch(
            f"{USERS_URL}/users/{response.json()['id']}/roles",
            json={"roles": [role]},
            headers={"Authorization": f"Bearer {admin_token}"},
        ).raise_for_status()


def _ensure_events(client: httpx.Client, organizer_token: str) -> list[dict[str, object]]:
    headers = {"Authorization": f"Bearer {organizer_token}"}
    me = client.get(f"{USERS_URL}/users/me", headers=headers).json()
    existing = client.get(f"{EVENTS_URL}/events", params={"owner_id": me["id"], "limit": 100}).json()["items"]
    titles = {event["title"] for event in existing}
    start_of_day = datetime.now(UTC).replace(hour=19, minute=0, second=0, microsecond=0)
    for title, category, venue, days_ahead, capacity, price in EVENTS:
        if title in titles:
            continue
        starts_at = start_of_day + timedelta(days=days_ahead)
        body = {
            "title": title,
            "description": f"{title}: a demo event.",
            "venue": venue,
            "category": category,
            "starts_at": starts_at.isoformat(),
            "ends_at": (starts_at + timedelta(hours=3)).isoformat(),
            "capacity": capacity,
            "price": price,
            "currency": "EUR",
            "max_tickets_per_booking": 6,
        }
        client.post(f"{EVENTS_URL}/events", json=body, headers=headers).raise_for_status()
    return client.get(f"{EVENTS_URL}/events", params={"owner_id": me["id"], "limit": 100}).json()["items"]


def main() -> int:
    with httpx.Client(timeout=10) as client:
        try:
            admin_token = _token(client, ADMIN["username"], ADMIN["password"])
        except httpx.HTTPError as exc:
            print(
                f"error: cannot log in as the admin at {USERS_URL} ({exc}); is `make run` up?",
                file=sys.stderr,
            )
            return 1
        for username, password, role in ACCOUNTS:
            _ensure_account(client, admin_token, username, password, role)
        events = _ensure_events(client, _token(client, "organizer", "organizer-dev-password"))
    print("Demo accounts (development only):")
    for username, password, role in ACCOUNTS:
        print(f"  {role:<10} {username:<10} {password}")
    print("Events:")
    for event in events:
        print(f"  {event['id']}  {event['starts_at'][:16]}  {event['title']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
