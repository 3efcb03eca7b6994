"""Runs the benchmark scenarios (all by default), prints their figures beside the goals, and writes JSON.

`python -m bench [SCENARIO ...] [flags]`. Each scenario starts the services it needs on free ports,
unless URLs of running ones are given; then tokens are signed with their user service's key (`make
run` keeps it in .data/user_service/). A run writes bench/results/bench-<time>.json and a plot of its
latency percentiles beside it (.png).

`python -m bench compare [OLD.json NEW.json]` compares two runs (default: the newest two);
`python -m bench plot RUN.json [OUT.png]` draws a run's plot again.
"""

import argparse
import functools
import gc
import resource
import sys
import traceback
from collections.abc import Awaitable, Callable, Collection
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import uvloop

from bench import compare, plot
from bench.report import ScenarioResult, print_table, step, write_json
from bench.scenarios import alerts, booking, checkout, clients, connections, fanout, overhead, peer
from bench.stack import (
    DEV_SIGNING_KEY_FILE,
    SERVICES,
    Platform,
    PlatformStarter,
    attached,
    started,
    token_minter,
)

RESULTS = compare.RESULTS
OPEN_FILES_WHEN_UNLIMITED = 65_536
Scenario = Callable[[PlatformStarter, argparse.Namespace], Awaitable[ScenarioResult]]


def _compression(args: argparse.Namespace) -> str | None:
    return None if args.no_deflate else "deflate"


SCENARIOS: dict[str, Scenario] = {
    "booking": lambda start, args: booking.run(
        start, booking.BookingParams(bookings=args.bookings, capacity=args.capacity, clients=args.clients)
    ),
    "checkout": lambda start, args: checkout.run(
        start,
        checkout.CheckoutParams(
            bookings=args.bookings, capacity=args.capacity, clients=args.clients, rounds=args.checkout_rounds
        ),
    ),
    "alerts": lambda start, args: alerts.run(
        start,
        alerts.AlertParams(
            idle_sockets=args.idle_sockets, alerts=args.alerts, compression=_compression(args)
        ),
    ),
    "fanout": lambda start, args: fanout.run(
        start, fanout.FanoutParams(attendees=tuple(args.attendees), compression=_compression(args))
    ),
    "connections": lambda start, args: connections.run(
        start, connections.ConnectionParams(sockets=args.sockets, compression=_compression(args))
    ),
    "overhead": lambda start, args: overhead.run(
        start,
        overhead.OverheadParams(
            seconds=args.seconds,
            connections=args.connections,
            rounds=args.rounds,
            listed_events=args.listed_events,
        ),
    ),
    "clients": lambda start, args: clients.run(
        start, clients.ClientParams(calls=args.calls, concurrency=args.concurrency)
    ),
    "peer": lambda start, args: peer.run(
        start,
        peer.PeerParams(
            attendees=args.peer_attendees, sockets=args.peer_sockets, compression=_compression(args)
        ),
    ),
}


def _counts(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.splitlines()[0],
        epilog="Also: python -m bench compare [OLD.json NEW.json]; python -m bench plot RUN.json [OUT.png]",
    )
    parser.add_argument(
        "scenarios", nargs="*", metavar="SCENARIO", help=f"any of {', '.join(SCENARIOS)} (default: all)"
    )
    booking_flags = parser.add_argument_group("booking and checkout")
    booking_flags.add_argument("--bookings", type=int, default=1000, help="attempts, one buyer each (N)")
    booking_flags.add_argument("--capacity", type=int, default=300, help="seats of the event (C)")
    booking_flags.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients")
    booking_flags.add_argument(
        "--checkout-rounds", type=int, default=5, help="one-step and checkout sales compared (medians)"
    )
    alert_flags = parser.add_argument_group("alerts")
    alert_flags.add_argument("--idle-sockets", type=int, default=10_000)
    alert_flags.add_argument("--alerts", type=int, default=500, help="bookings measured, one at a time")
    fanout_flags = parser.add_argument_group("fanout")
    fanout_flags.add_argument("--attendees", type=_counts, default=[1000, 10_000], help="K, comma-separated")
    connection_flags = parser.add_argument_group("connections")
    connection_flags.add_argument("--sockets", type=int, default=10_000)
    overhead_flags = parser.add_argument_group("overhead")
    overhead_flags.add_argument("--seconds", type=float, default=10.0, help="per target and round")
    overhead_flags.add_argument("--connections", type=int, default=32, help="keep-alive connections")
    overhead_flags.add_argument("--rounds", type=int, default=2)
    overhead_flags.add_argument(
        "--listed-events", type=int, default=200, help="events seeded for the listing, in 4 categories"
    )
    peer_flags = parser.add_argument_group("peer (ours beside a python-socketio server)")
    peer_flags.add_argument("--peer-attendees", type=int, default=10_000, help="K of the fan-out, per server")
    peer_flags.add_argument("--peer-sockets", type=int, default=10_000, help="N idle sockets, per server")
    client_flags = parser.add_argument_group("clients (the booking service's HTTP client beside aiohttp's)")
    client_flags.add_argument(
        "--calls", type=int, default=5000, help="calls per client and round, half event reads, half charges"
    )
    client_flags.add_argument("--concurrency", type=int, default=16, help="calls in flight per client")
    socket_flags = parser.add_argument_group("every WebSocket")
    socket_flags.add_argument(
        "--no-deflate",
        action="store_true",
        help="do not offer permessage-deflate (browsers do, so the default offers it)",
    )
    parser.add_argument(
        "--mongo-url",
        help="a MongoDB server for the services started (default: an embedded one for the run); "
        "its run databases are dropped",
    )
    running = parser.add_argument_group("running services instead of starting them")
    for name in SERVICES:
        running.add_argument(f"--{name.removesuffix('_service')}-url", dest=name, metavar="URL")
    running.add_argument("--exchange", default="events", help="their exchange (default: events)")
    running.add_argument(
        "--signing-key-file",
        type=Path,
        default=DEV_SIGNING_KEY_FILE,
        help=f"their user service's key (default: {DEV_SIGNING_KEY_FILE})",
    )
    running.add_argument("--notification-pid", type=int, help="the notification replica's process id")
    parser.add_argument(
        "--results-dir", type=Path, default=RESULTS, help=f"where the JSON goes (default: {RESULTS})"
    )
    return parser


def _starter(args: argparse.Namespace) -> PlatformStarter:
    urls = {name: getattr(args, name) for name in SERVICES if getattr(args, name)}
    if not urls:
        return functools.partial(started, mongo_url=args.mongo_url)
    if not args.signing_key_file.exists():
        raise SystemExit(
            f"No signing key at {args.signing_key_file}: pass the user service's with --signing-key-file"
        )
    minter = token_minter(args.signing_key_file)
    pids = {"notification_service": args.notification_pid} if args.notification_pid else {}

    def start(services: Collection[str]) -> AbstractAsyncContextManager[Platform]:
        return attached(services, urls=urls, exchange=args.exchange, minter=minter, pids=pids)

    return start


def _sockets_needed(args: argparse.Namespace) -> dict[str, int]:
    """The most WebSockets each scenario holds open at once (each end is a file of this process)."""
    return {
        "alerts": args.idle_sockets,
        "fanout": max(args.attendees),
        "connections": args.sockets,
        "peer": max(args.peer_attendees, args.peer_sockets),
    }


def _raise_open_file_limit() -> None:
    """Lifts the soft limit on open files to the hard one, for this process and the services it starts."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # An unlimited hard limit still cannot be the soft one: the kernel caps open files per process.
    target = OPEN_FILES_WHEN_UNLIMITED if hard == resource.RLIM_INFINITY else hard
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


async def _run_all(
    names: list[str], start: PlatformStarter, args: argparse.Namespace
) -> list[ScenarioResult]:
    results = []
    for name in names:
        step(name, "starting")
        gc.collect()  # what the scenario before left, collected before this one's clock starts
        try:
            results.append(await SCENARIOS[name](start, args))
        except Exception as exc:  # one scenario failing should not lose the others' figures
            traceback.print_exc()
            results.append(ScenarioResult(name=name, parameters={}, error=repr(exc)))
    return results


# Commands beside running scenarios: `python -m bench compare ...`, `python -m bench plot ...`.
COMMANDS: dict[str, Callable[[list[str]], int]] = {"compare": compare.main, "plot": plot.main}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    unknown = [name for name in args.scenarios if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    names = args.scenarios or list(SCENARIOS)
    _raise_open_file_limit()
    # The clients' own collector would stop every socket's reading at once, mid-measurement: a full
    # pass over 10,000 listeners took 0.4-1.2 s, and one in a fan-out's timed second doubled its
    # figure (~0.6 s -> 1.2 s), ours and the peer's alike. Reference counting frees almost everything
    # a run makes; the rest is collected between scenarios.
    gc.disable()
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    for name, sockets in _sockets_needed(args).items():
        if name in names and limit < sockets + 1000:
            step(name, f"only {limit} open files allowed; {sockets:,} sockets may not fit")
    results = uvloop.run(_run_all(names, _starter(args), args))
    print_table(results)
    written = write_json(results, args.results_dir)
    drawn = plot.draw_beside(written)
    print(f"\nwritten to {written}" + (f" and {drawn}" if drawn else ""))
    return 1 if any(result.error for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
