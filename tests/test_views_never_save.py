"""ADR 0001: views never save. Every view module is read for calls that write to the database;
writes belong in the services."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VIEW_MODULES = sorted(
    p
    for app in ROOT.iterdir()
    if (app / "apps.py").exists() or app.name == "cchc_portal"
    for p in [*app.glob("views/*.py"), *app.glob("views.py")]
)
# Manager/queryset methods that write.
WRITES = {
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "update",
    "delete",
}
# Objects whose save() is not a model's: the template editors call services themselves.
NOT_MODELS = {"editor"}


def _receiver(node) -> str:
    while isinstance(node, ast.Attribute | ast.Call):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return node.id if isinstance(node, ast.Name) else ""


def _writes(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name, chain = node.func.attr, ast.unparse(node.func.value)
        on_queryset = name in WRITES and ".objects" in f".{chain}"
        on_model = name in {"save", "delete"} and _receiver(node.func) not in NOT_MODELS
        if on_queryset or on_model:
            found.append(f"{node.lineno}: {ast.unparse(node.func)}")
    return found


def test_the_check_sees_a_write():
    assert _writes("def v(r):\n    Notification.objects.filter(user=1).update(read_at=2)\n")
    assert _writes("def v(r):\n    report.save()\n")
    assert not _writes("def v(r):\n    editor.save()\n    messages.success(r, 'x')\n")


def test_view_modules_are_found():
    assert len(VIEW_MODULES) >= 10


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_never_save(path):
    assert _writes(path.read_text(encoding="utf-8")) == [], "move the write into a service"
