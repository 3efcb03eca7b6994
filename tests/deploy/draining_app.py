"""A service app with one slow route, served as every service is (`shared.app.serve`): to see a
request in flight finish after SIGTERM. `python -m tests.deploy.draining_app`."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from shared.app import create_service_app, serve
from shared.settings import ServiceSettings

router = APIRouter()


class DrainingSettings(ServiceSettings):
    port: int = 8099


@router.get("/slow")
async def read_slowly(seconds: float) -> dict[str, str]:
    """Answers after `seconds`: a request still in flight when the process is told to stop."""
    await asyncio.sleep(seconds)
    return {"status": "done"}


def create_app() -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield

    return create_service_app(
        title="Draining", description="", settings=DrainingSettings(), lifespan=lifespan, routers=[router]
    )


if __name__ == "__main__":
    serve("draining", "tests.deploy.draining_app:create_app", DrainingSettings())
