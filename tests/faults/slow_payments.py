"""The payment service with every charge slowed on both sides of its write, as a process of its own.

A real payment service makes a charge in milliseconds, so a SIGKILL mostly lands between charges and
rarely finds one made but not answered: the case that leaves its caller unsure whether money moved.
Slowed a little before the charge is made and again before it is answered, a kill finds both kinds
in flight. Run as `python -m tests.faults.slow_payments`, it is a process of its own as
`python -m payment_service` is, so the kill is a real one; `GET /_test/charges` tells how many
charges are in each stretch, so a test can kill it once it finds both.
"""

import asyncio

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from payment_service.main import create_app as create_payment_app
from payment_service.settings import PaymentSettings
from shared.app import serve

CHARGE_DELAY_SECONDS = 0.2
IN_FLIGHT_PATH = "/_test/charges"


class SlowCharges:
    """Slows each charge before it is made and again before it is answered, by a little more or less.

    Counts the charges in each of those two stretches, so the kill can wait until it finds both.
    """

    def __init__(self) -> None:
        self.started = 0
        self.not_made = 0
        self.not_answered = 0

    def around(self, app: ASGIApp) -> ASGIApp:
        async def slowed(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"] == IN_FLIGHT_PATH:
                counts = {"not_made": self.not_made, "not_answered": self.not_answered}
                await JSONResponse(counts)(scope, receive, send)
            elif scope["type"] == "http" and (scope["method"], scope["path"]) == ("POST", "/payments"):
                await self._charge_slowly(app, scope, receive, send)
            else:
                await app(scope, receive, send)

        return slowed

    async def _charge_slowly(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        self.started += 1
        delay = CHARGE_DELAY_SECONDS * (1 + self.started % 3) / 2

        async def answer_late(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.not_answered += 1
                try:
                    await asyncio.sleep(delay)
                finally:
                    self.not_answered -= 1
            await send(message)

        self.not_made += 1
        try:
            await asyncio.sleep(delay)
        finally:
            self.not_made -= 1
        await app(scope, receive, answer_late)


def create_app() -> ASGIApp:
    return SlowCharges().around(create_payment_app(PaymentSettings()))


if __name__ == "__main__":
    serve("payment_service", "tests.faults.slow_payments:create_app", PaymentSettings())
