"""Notification ids: time-ordered, and reserved in blocks that a redelivery can count out again."""

from notification_service.ids import consecutive_ids, is_notification_id, new_id, reserve_ids


def test_ids_reserved_together_count_up_between_the_ids_made_before_and_after() -> None:
    before = new_id()
    first = reserve_ids(3)
    after = new_id()

    block = consecutive_ids(first, 3)

    assert block[0] == first
    assert [before, *block, after] == sorted({before, *block, after})
    assert all(is_notification_id(notification_id) for notification_id in block)
