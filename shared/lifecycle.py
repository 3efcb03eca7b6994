"""Parts a service starts in its lifespan and closes when it ends, usable as `async with a, b, c:`."""

from types import TracebackType
from typing import Self


class Running:
    """Started on entering `async with`, closed on leaving it; several close in reverse start order."""

    async def start(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()
