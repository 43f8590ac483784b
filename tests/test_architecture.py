"""Data flows one way: mail in -> tickets -> triage -> routing -> desk -> mail out; the
cockpit only reads. A module may import only from its own layer or the ones below it, and
only by a plain import: no app registry, no importlib, which the import graph cannot see.

Import order is not quite the order of the flow: the outbox is a service the desk hands
its replies to, and the pipeline (which acknowledges live mail through the outbox) is what
the desk's replies go through, so both sit below the desk; the outbox knows nothing of it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "handoff"

# Upstream first. Project-level modules (settings, urls, cli, wsgi) and `ops` (the
# command line) sit on top and may import anything.
LAYERS = [
    "lib",
    "demo",
    "db",
    "accounts",
    "mailin",
    "tickets",
    "triage",
    "routing",
    "mailout",
    "ledger",
    "pipeline",
    "desk",
    "cockpit",
    "ops",
]
TOP = len(LAYERS)
# No Django, no database: plain Python that tests (and the import's parsing processes) call
# directly. Each domain's pure engine is its own package, beside the lib every domain uses.
PURE = ("lib", "demo", "triage.engine", "routing.time", "pipeline.read")
# Reaching another layer at run time, invisible to the import graph (importlib.resources,
# which reads a package's data files, is not one).
REACH = {"importlib", "importlib.import_module", "importlib.util", "django.apps"}
# The one use that is not a reach: whether an optional provider package is installed.
REACH_ALLOWED = {("handoff.mailin.webhook_urls", "importlib.util")}


def is_pure(module: str) -> bool:
    inner = module.removeprefix("handoff.")
    return any(inner == p or inner.startswith(f"{p}.") for p in PURE)


def layer_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "handoff":
        raise ValueError(module)
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else TOP


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "importlib":
            found += [f"importlib.{alias.name}" for alias in node.names]  # which part of it
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def back_edges(module: str, imported: list[str]) -> list[str]:
    own = layer_of(module)
    wrong = [name for name in imported if name.startswith("handoff.") and layer_of(name) > own]
    if is_pure(module):
        wrong += [
            name
            for name in imported
            if name.split(".")[0] == "django" or (name.startswith("handoff.") and not is_pure(name))
        ]
    if not module.endswith(".apps"):  # an AppConfig is the registry's own
        wrong += [n for n in imported if n in REACH and (module, n) not in REACH_ALLOWED]
    return wrong


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        found.append((".".join(relative.parts).removesuffix(".__init__"), path))
    return found


@pytest.mark.parametrize(("module", "path"), modules(), ids=[m for m, _ in modules()])
def test_no_module_imports_downstream(module: str, path: Path) -> None:
    if module == "handoff" or (module.count(".") == 1 and module.split(".")[1] not in LAYERS):
        return  # settings, urls, cli, wsgi: the project itself
    assert back_edges(module, imports_of(path)) == []


def test_a_back_edge_is_caught() -> None:
    assert back_edges("handoff.mailin.store", ["handoff.tickets.models"]) == [
        "handoff.tickets.models"
    ]
    assert back_edges("handoff.tickets.ingest", ["handoff.desk.views"]) == ["handoff.desk.views"]
    assert back_edges("handoff.lib.mime", ["django.db"]) == ["django.db"]
    assert back_edges("handoff.desk.views", ["handoff.tickets.models", "handoff.lib.mime"]) == []
    assert back_edges("handoff.triage.engine.decide", ["handoff.triage.models"]) == [
        "handoff.triage.models"
    ]
    assert back_edges("handoff.routing.time.shifts", ["django.utils"]) == ["django.utils"]
    assert back_edges("handoff.routing.config.apply", ["handoff.triage.config"]) == []


def test_a_reach_through_the_registry_or_importlib_is_caught() -> None:
    assert back_edges("handoff.routing.inputs", ["django.apps"]) == ["django.apps"]
    assert back_edges("handoff.routing.config.apply", ["importlib"]) == ["importlib"]
    assert back_edges("handoff.routing.apps", ["django.apps"]) == []
    assert back_edges("handoff.ops.demo", ["importlib.import_module"]) == [
        "importlib.import_module"
    ]
    assert back_edges("handoff.ops.demo", ["importlib.resources"]) == []


def test_the_outbox_does_not_import_the_desk() -> None:
    assert back_edges("handoff.mailout.views", ["handoff.desk.access"]) == ["handoff.desk.access"]
    assert back_edges("handoff.desk.actions", ["handoff.mailout.outbox"]) == []


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages - {"locale"} <= set(LAYERS)


def test_starting_the_desk_does_not_load_the_classifier(tmp_path: Path) -> None:
    """scikit-learn takes two seconds to import: a command or web process that never
    triages (the minute tick, a page) must not pay for it."""
    script = (
        "import sys, django; django.setup();"
        "from django.urls import resolve; resolve('/');"
        "import handoff.ops.inbound, handoff.triage.pipeline;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))"
    )
    env = {
        **os.environ,
        "HANDOFF_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "handoff.settings",
    }
    found = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"
