import gc

from notification_service.settings import NotificationSettings
from shared.app import serve

# A replica holds thousands of sockets of a few hundred long-lived objects each, and a fan-out to
# them makes about as many short-lived ones, alive while it lasts. With the default young generation
# (700 objects) those outlive young collections and pile into the old generation until a full
# collection runs, which scans every socket and stalls them all (half a second at 5,000). A young
# generation that holds a whole fan-out lets them die young, so full collections stay rare.
gc.set_threshold(50_000, 20, 10)
serve("notification_service", "notification_service.main:create_app", NotificationSettings())
