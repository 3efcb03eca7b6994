"""A WebSocket client for the live feed: prints each notification frame as one line.

python scripts/listen.py "ws://127.0.0.1:8001/ws?token=$TOKEN" --frames 5 --seconds 30 --ready-file feed.ready
"""

import argparse
import asyncio
import json
import sys
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed


async def listen(url: str, frames: int | None, seconds: float, ready_file: Path | None) -> int:
    received = 0
    try:
        async with asyncio.timeout(seconds), connect(url) as socket:
            if ready_file is not None:  # the server registers a socket before it accepts it
                await asyncio.to_thread(ready_file.touch)
            async for raw in socket:
                frame = json.loads(raw)
                print(f"{frame['type']}: {frame['title']} | {frame['body']}", flush=True)
                received += 1
                if frames is not None and received >= frames:
                    break
    except TimeoutError:
        pass
    except ConnectionClosed as closed:
        print(
            f"closed: {closed.rcvd.code if closed.rcvd else ''} {closed.rcvd.reason if closed.rcvd else ''}"
        )
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="ws://host:port/ws?token=<access token>[&since=<id>]")
    parser.add_argument("--frames", type=int, help="stop after this many frames")
    parser.add_argument("--seconds", type=float, default=60, help="stop after this long (default 60)")
    parser.add_argument(
        "--ready-file", type=Path, help="created once connected: from then on, nothing is missed"
    )
    arguments = parser.parse_args()
    return asyncio.run(listen(arguments.url, arguments.frames, arguments.seconds, arguments.ready_file))


if __name__ == "__main__":
    sys.exit(main())
