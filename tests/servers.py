"""Serving an app over real HTTP on a free port, inside the test process."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from tests.tcp_proxy import free_port


@asynccontextmanager
async def serve(app: FastAPI, *, lifespan: bool = True) -> AsyncIterator[str]:
    """Runs `app` under uvicorn (without its lifespan, no store is reached); yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, lifespan="on" if lifespan else "off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # startup failed: raise its error here
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
