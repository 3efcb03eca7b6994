"""Notification ids: time-ordered, each above every one this process made before."""

from notification_service.ids import is_notification_id, new_id


def test_ids_made_one_after_another_count_up() -> None:
    made = [new_id() for _ in range(1000)]

    assert made == sorted(set(made))
    assert all(is_notification_id(notification_id) for notification_id in made)
