"""W3C trace context: what a request or message continues, carried by every call and message it causes.

Each request and each consumed message is handled in a span: the child of the incoming `traceparent`
header (of a request) or envelope attribute (of a message, the CloudEvents tracing extension), else the
root of a new trace. Every call to another service and every message published from there carries the
span's `traceparent`, beside the request id it complements, and log lines carry its trace id.

Spans are recorded and exported only when OTLP_ENDPOINT names an OpenTelemetry collector (OTLP over
HTTP); FastAPI then makes each request's span itself (its native OpenTelemetry support). Otherwise
they are OpenTelemetry's non-recording spans, made here for a few microseconds: ids are drawn, and
nothing else happens.
"""

import logging
import random
import re
from contextlib import AbstractContextManager, nullcontext

import httpx
from opentelemetry import context, trace
from opentelemetry.trace import NonRecordingSpan, Span, SpanContext, SpanKind, Status, StatusCode, TraceFlags

logger = logging.getLogger(__name__)

TRACEPARENT = "traceparent"
_tracer = trace.get_tracer("event_platform")  # the SDK's once `configure_tracing` installed it
_recording = False


def configure_tracing(service: str, otlp_endpoint: str | None) -> None:
    """Records spans and exports them in batches to `otlp_endpoint` (`http://collector:4318`), if set."""
    global _recording
    if not otlp_endpoint:
        return
    # Imported only when spans are exported: the SDK and exporter cost start-up time otherwise.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    exporter = OTLPSpanExporter(endpoint=f"{otlp_endpoint.rstrip('/')}/v1/traces")
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _recording = True
    logger.info("Exporting spans to %s", otlp_endpoint)


def shutdown_tracing() -> None:
    """Exports the spans still held (a process about to stop)."""
    provider = trace.get_tracer_provider()
    if _recording and hasattr(provider, "shutdown"):
        provider.shutdown()


# W3C Trace Context's `traceparent`: version-trace id-parent id-flags, lowercase hex; a later version may
# add fields after these.
_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")


def _remote(traceparent: str | None) -> tuple[int, int, int] | None:
    """The trace id, span id and flags a `traceparent` names, or None when it names none validly (a new
    trace starts then). Parsed here: OpenTelemetry's propagator costs each request ~10 µs more."""
    found = _TRACEPARENT.fullmatch(traceparent) if traceparent else None
    if found is None or found[1] == "ff" or (found[1] == "00" and found[5]):
        return None
    trace_id, span_id = int(found[2], 16), int(found[3], 16)
    return (trace_id, span_id, int(found[4], 16) & 1) if trace_id and span_id else None


class span:  # noqa: N801 (used as a `with` statement, like contextlib's helpers)
    """Handles what its block does in a span, the child of `traceparent`'s (or a new trace's root)."""

    __slots__ = ("_current", "_token")

    def __init__(self, name: str, kind: SpanKind, traceparent: str | None) -> None:
        above = _remote(traceparent)
        if _recording:
            parent = context.Context()
            if above is not None:
                remote = SpanContext(above[0], above[1], is_remote=True, trace_flags=TraceFlags(above[2]))
                parent = trace.set_span_in_context(NonRecordingSpan(remote))
            self._current: Span = _tracer.start_span(name, context=parent, kind=kind)
            return
        # The same trace with a span of its own, or a new trace.
        trace_id, _, flags = above or (random.getrandbits(128) or 1, 0, TraceFlags.DEFAULT)
        ids = SpanContext(trace_id, random.getrandbits(64) or 1, False, TraceFlags(flags))
        self._current = NonRecordingSpan(ids)

    def __enter__(self) -> Span:
        self._token = context.attach(trace.set_span_in_context(self._current))
        return self._current

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _: object) -> None:
        if isinstance(error, Exception):
            self._current.record_exception(error)
            self._current.set_status(Status(StatusCode.ERROR, type(error).__name__))
        context.detach(self._token)
        self._current.end()


def request_span(traceparent: str | None) -> AbstractContextManager[Span]:
    """Handles a request in a span of its `traceparent`'s trace. FastAPI records the request's span
    itself once spans are recorded (its native OpenTelemetry support, outside every middleware); until
    then it makes none, and this makes the non-recording span that calls and messages continue."""
    if _recording:
        return nullcontext(trace.get_current_span())
    return span("request", SpanKind.SERVER, traceparent)


def current_traceparent() -> str | None:
    """The `traceparent` of the span being handled, for the calls and messages it causes."""
    handled = trace.get_current_span().get_span_context()
    if not handled.is_valid:
        return None
    return f"00-{handled.trace_id:032x}-{handled.span_id:016x}-{handled.trace_flags:02x}"


def current_trace_id() -> str | None:
    """The id of the trace being handled, for log lines."""
    handled = trace.get_current_span().get_span_context()
    return f"{handled.trace_id:032x}" if handled.is_valid else None


async def add_traceparent(request: httpx.Request) -> None:
    """An httpx request hook: the call carries the trace it is part of."""
    if (traceparent := current_traceparent()) is not None:
        request.headers[TRACEPARENT] = traceparent
