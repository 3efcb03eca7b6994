"""The conventions every service keeps (README, Conventions), checked on the code itself."""

import ast
import importlib
import inspect
from pathlib import Path

import pytest

from shared.messages import MessageData

ROOT = Path(__file__).parent.parent
SERVICES = [
    "booking_service",
    "checkin_service",
    "event_service",
    "notification_service",
    "payment_service",
    "user_service",
]


def _module(service: str, name: str) -> ast.Module:
    return ast.parse((ROOT / service / f"{name}.py").read_text())


def _routes(module: ast.Module) -> list[ast.AsyncFunctionDef | ast.FunctionDef]:
    """The functions a `@router.<method>(...)` decorator makes routes."""
    return [
        node
        for node in ast.walk(module)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and isinstance(decorator.func.value, ast.Name)
            and decorator.func.value.id == "router"
            for decorator in node.decorator_list
        )
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_routes_leave_error_answers_to_the_services_error_table(service: str) -> None:
    api = _module(service, "api")
    tables = [
        node
        for node in api.body
        if isinstance(node, ast.AnnAssign | ast.Assign)
        and "_ERROR_STATUS"
        in ast.unparse(node.target if isinstance(node, ast.AnnAssign) else node.targets[0])
    ]
    assert tables, f"{service}/api.py has no _ERROR_STATUS table"
    assert "add_error_table(" in ast.unparse(api)
    for route in _routes(api):
        built = [
            ast.unparse(node)
            for node in ast.walk(route)
            if isinstance(node, ast.Raise | ast.Call) and "HTTPException" in ast.unparse(node)
        ]
        assert not built, f"{service}: the route {route.name} builds an error answer by hand: {built}"


def _handlers(service: str) -> list[tuple[str, inspect.Signature, dict[str, object]]]:
    module = importlib.import_module(f"{service}.consumers")
    found = []
    for _, owner in inspect.getmembers(module, inspect.isclass):
        if owner.__module__ != module.__name__:
            continue
        for name, function in inspect.getmembers(owner, inspect.iscoroutinefunction):
            if name.startswith("on_"):
                found.append(
                    (name, inspect.signature(function), inspect.get_annotations(function, eval_str=True))
                )
    return found


@pytest.mark.parametrize("service", ["booking_service", "notification_service"])
def test_each_consumer_handler_takes_one_typed_message(service: str) -> None:
    handlers = _handlers(service)
    assert handlers
    for name, signature, annotations in handlers:
        assert list(signature.parameters) == ["self", "message"], name
        model = annotations["message"]
        assert isinstance(model, type) and issubclass(model, MessageData), name
        assert annotations["return"] is None, name


@pytest.mark.parametrize("service", SERVICES)
def test_a_page_of_things_is_named_thing_page(service: str) -> None:
    schemas = _module(service, "schemas")
    for node in schemas.body:
        fields = {
            statement.target.id
            for statement in getattr(node, "body", [])
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
        }
        if isinstance(node, ast.ClassDef) and {"items", "total"} <= fields:
            thing = node.name.removesuffix("Page")
            assert node.name.endswith("Page") and not thing.endswith("s"), f"{service}: {node.name}"
