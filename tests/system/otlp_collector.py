"""An OpenTelemetry collector's OTLP/HTTP trace endpoint, served by the test process: it keeps every
span the services export, to follow one trace across them."""

import asyncio
from dataclasses import dataclass

import uvicorn
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.apps import wait_for
from tests.tcp_proxy import free_port


@dataclass(frozen=True)
class ExportedSpan:
    service: str
    name: str
    kind: int  # the protocol's SpanKind: 2 server, 3 client, 4 producer, 5 consumer
    trace_id: str
    span_id: str
    parent_span_id: str


class Collector:
    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.spans: list[ExportedSpan] = []
        app = Starlette(routes=[Route("/v1/traces", self._export, methods=["POST"])])
        self._server = uvicorn.Server(uvicorn.Config(app, port=self.port, log_level="warning"))
        self._serving: asyncio.Task[None] | None = None

    def of_trace(self, trace_id: str) -> list[ExportedSpan]:
        return [span for span in self.spans if span.trace_id == trace_id]

    async def _export(self, request: Request) -> Response:
        exported = ExportTraceServiceRequest.FromString(await request.body())
        for resource_spans in exported.resource_spans:
            attributes = {item.key: item.value.string_value for item in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    self.spans.append(
                        ExportedSpan(
                            service=attributes.get("service.name", ""),
                            name=span.name,
                            kind=span.kind,
                            trace_id=span.trace_id.hex(),
                            span_id=span.span_id.hex(),
                            parent_span_id=span.parent_span_id.hex(),
                        )
                    )
        return Response(ExportTraceServiceResponse().SerializeToString(), media_type="application/x-protobuf")

    async def __aenter__(self) -> "Collector":
        self._serving = asyncio.create_task(self._server.serve())
        await wait_for(self._started)
        return self

    async def _started(self) -> bool:
        return self._server.started

    async def __aexit__(self, *_: object) -> None:
        self._server.should_exit = True
        if self._serving is not None:
            await self._serving
