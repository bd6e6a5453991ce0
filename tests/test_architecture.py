"""The shape of the code: layers that only import downwards, small modules, a light top-level import."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "report_drafter"

# bottom to top; a module may import from its own layer and the layers below it, never above
LAYERS = (
    ("format data", {"vocab", "layout", "model"}),
    ("records", {"errors", "findings", "ui", "limits"}),
    ("format arithmetic", {"facts", "rules", "totals", "sums", "cells"}),
    ("text", {"document", "numerals", "mentions", "notes", "similarity", "wording", "agencies", "dates", "textfile",
              "squeezing", "repeats", "leakage"}),
    ("rendering", {"rendering", "export"}),
    ("files", {"statsfile", "statswriter", "statspatch", "spreadsheet", "settings", "workspace", "versions", "notesfile"}),
    ("drafting machinery", {"prompts", "backends"}),
    ("check engines", {"checks", "rulepacks"}),
    ("import", {"importing"}),
    ("use cases", {"services"}),
    ("front-ends", {"cli", "web", "__main__"}),
)
MAX_LINES = 420


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(name: str) -> int:
    top = name.split(".")[0]
    for index, (_, members) in enumerate(LAYERS):
        if top in members:
            return index
    raise AssertionError(f"module {name} is in no layer: add it to LAYERS")


def imports_of(path: Path) -> set[str]:
    """Modules of the package that `path` imports (at the top or inside functions)."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[: len(package) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            found |= {f"{target}.{alias.name}".strip(".") for alias in node.names} if not node.module else {target}
        elif node.module and node.module.startswith("report_drafter."):
            found.add(node.module.removeprefix("report_drafter."))
    return {f for f in found if f and (PACKAGE / f.replace(".", "/")).with_suffix(".py").exists()
            or (PACKAGE / f.replace(".", "/") / "__init__.py").exists()}


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_go_down(path):
    name = module_name(path)
    upward = [target for target in imports_of(path) if layer_of(target) > layer_of(name)]
    assert not upward, f"{name} ({LAYERS[layer_of(name)][0]}) imports from layers above it: {upward}"


def test_no_import_cycles():
    graph = {module_name(p): {t for t in imports_of(p) if t != module_name(p)} for p in MODULES}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in graph.get(node, ()):
            if state.get(target) == 1:
                raise AssertionError("import cycle: " + " → ".join(trail[trail.index(target):] + [target]))
            if target not in state:
                visit(target, trail + [target])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it by concept"


def test_importing_the_library_is_light():
    code = ("import sys, report_drafter\n"
            "from report_drafter import generate, check_draft, import_report, export_draft, get_backend\n"
            "heavy = [m for m in ('langchain_core', 'langchain_openai', 'openai', 'pdfminer', 'pypdfium2', 'rapidocr_onnxruntime', 'onnxruntime', 'cv2', 'docx', 'openpyxl', 'bs4', 'opencc')"
            " if m in sys.modules]\n"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_public_api_names_resolve():
    import report_drafter

    for name in report_drafter.__all__:
        assert getattr(report_drafter, name) is not None
