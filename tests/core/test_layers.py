"""Arrows run one way (issue 14): no module of a lower layer or of infrastructure imports a higher one.

Layers, lowest first: core → auth → i18n → communities → discussions → {moderation, consultation}.
Infrastructure (api, feeds, webhooks, search, realtime, notifications, portability, jobs, mail, files) sits beside core and imports no domain.
The composition root (`app/__init__.py`, `cli.py`, `web.py`, `errors.py`) wires everything together.
Every import counts, also one inside a function: a lazy import is still an arrow.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"

FOUNDATION = {"core", "extensions"}
INFRASTRUCTURE = {
    "api",
    "feeds",
    "webhooks",
    "search",
    "realtime",
    "notifications",
    "portability",
    "jobs",
    "mail",
    "files",
    "drafts",
}
DOMAIN_RANK = {
    "auth": 1,
    "i18n": 2,
    "supports": 2,
    "communities": 3,
    "discussions": 4,
    "moderation": 5,
    "consultation": 5,
}
COMPOSITION_ROOT = {"__init__", "cli", "web", "errors"}


def package_of(module: str) -> str | None:
    """`app.discussions.models` → `discussions`; None for what is not ours."""
    parts = module.split(".")
    if parts[0] != "app":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every `import app.x` and `from app.x import …` in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}:{node.lineno}: relative import; write the absolute app.… path")
    return found


def allowed(source: str, target: str) -> bool:
    """May package `source` import package `target`?"""
    if source == target or target in FOUNDATION or source in COMPOSITION_ROOT:
        return True
    if source in FOUNDATION:
        return False
    if source in INFRASTRUCTURE:
        return target in INFRASTRUCTURE
    if target in INFRASTRUCTURE:
        return True
    if target in COMPOSITION_ROOT:
        return False
    return DOMAIN_RANK[target] < DOMAIN_RANK[source]


def source_files():
    return sorted(path for path in APP.rglob("*.py") if "translations" not in path.parts)


def package_of_file(path: Path) -> str:
    relative = path.relative_to(APP)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def test_every_package_has_a_layer():
    """A new package must be placed in a layer before it can import or be imported."""
    known = FOUNDATION | INFRASTRUCTURE | set(DOMAIN_RANK) | COMPOSITION_ROOT
    unplaced = {package_of_file(path) for path in source_files()} - known
    assert not unplaced, f"place these packages in tests/core/test_layers.py: {sorted(unplaced)}"


@pytest.mark.parametrize("path", source_files(), ids=lambda path: str(path.relative_to(APP)))
def test_imports_run_down_the_layers(path):
    source = package_of_file(path)
    wrong = [
        f"app/{path.relative_to(APP)}:{line} imports {module}"
        for line, module in imported_modules(path)
        if (target := package_of(module)) is not None and not allowed(source, target)
    ]
    assert not wrong, "an arrow runs up the layers:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("search", "discussions", False),
        ("realtime", "communities", False),
        ("notifications", "realtime", True),
        ("core", "auth", False),
        ("auth", "communities", False),
        ("communities", "discussions", False),
        ("discussions", "communities", True),
        ("moderation", "consultation", False),
        ("consultation", "moderation", False),
        ("consultation", "search", True),
        ("discussions", "cli", False),
        ("__init__", "consultation", True),
    ],
)
def test_the_rule_itself(source, target, expected):
    """The rule the walk applies, so a mistake in `allowed` cannot pass every file silently."""
    assert allowed(source, target) is expected
