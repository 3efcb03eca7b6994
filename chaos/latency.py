"""Error rate and latency of the calls made, during the faults and outside them."""

from collections import Counter
from collections.abc import Sequence

from chaos.faults import Fault
from chaos.traffic import Call

# A fault's effects outlast its end by this much: clients' retries, the balancer's next health check.
AFTERMATH_SECONDS = 5.0


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def _during(call: Call, faults: Sequence[Fault]) -> bool:
    end = call.at + call.seconds
    return any(call.at <= f.ended + AFTERMATH_SECONDS and end >= f.started for f in faults)


def summary(calls: Sequence[Call], faults: Sequence[Fault]) -> list[str]:
    """A line per part of the run: calls, error rate, p50 and p99 latency."""
    during = [call for call in calls if _during(call, faults)]
    outside = [call for call in calls if not _during(call, faults)]
    lines = []
    for label, part in (("during faults", during), ("outside faults", outside), ("all", calls)):
        failed = sum(call.failed for call in part)
        rate = 100 * failed / len(part) if part else 0.0
        seconds = [call.seconds for call in part]
        lines.append(
            f"{label:>14}: {len(part):6d} calls, {failed:5d} failed ({rate:5.2f}%), "
            f"p50 {1000 * _percentile(seconds, 0.5):7.1f} ms, p99 {1000 * _percentile(seconds, 0.99):7.1f} ms"
        )
    return lines


def by_fault(calls: Sequence[Call], faults: Sequence[Fault]) -> list[str]:
    """A line per fault: the calls made while it lasted (and just after), and how many failed."""
    lines = []
    for fault in faults:
        part = [call for call in calls if _during(call, [fault])]
        failed = sum(call.failed for call in part)
        kinds = Counter(call.kind for call in part if call.failed)
        detail = f" ({', '.join(f'{n} {kind}' for kind, n in sorted(kinds.items()))})" if kinds else ""
        lines.append(
            f"{fault.kind:>8} {fault.target:<16} back after {fault.ended - fault.started:4.1f}s: "
            f"{len(part):5d} calls, {failed:4d} failed{detail}"
        )
    return lines
