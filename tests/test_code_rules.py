"""Rules of the code base that a reviewer would otherwise check by hand:
no module reaches into another's private names, and no function grows past
what a reader takes in at once."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "newsbrief"
MAX_FUNCTION_LINES = 80


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. "newsbrief.text.tokens"
    path: Path
    tree: ast.Module

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]


def _modules() -> list[Module]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append(Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path))))
    return out


MODULES = _modules()
NAMES = {m.name for m in MODULES}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _target(module: Module, node: ast.ImportFrom) -> str:
    """The absolute dotted name ``from ... import`` reads from."""
    if not node.level:
        return node.module or ""
    base = module.package.split(".")
    base = base[:len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _reaches_in(importer: str, target: str) -> bool:
    """Whether ``target`` names a private part of a newsbrief module other
    than ``importer``. A private module (``batching/_dask.py``) is private to
    its package: its siblings may import it."""
    if target == importer or not (target == "newsbrief" or target.startswith("newsbrief.")):
        return False
    parts = target.split(".")
    return any(_private(p) and not importer.startswith(".".join(parts[:i]) + ".")
               for i, p in enumerate(parts))


def private_imports(module: Module) -> list[str]:
    """Each use in ``module`` of another newsbrief module's private name:
    ``from x import _y``, and ``m._y`` where ``m`` is a newsbrief module the
    file imported (``import newsbrief.x as m``, ``from . import x as m``)."""
    found, aliases = [], {}
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            target = _target(module, node)
            for a in node.names:
                full = f"{target}.{a.name}"
                if _reaches_in(module.name, full):
                    found.append(f"{module.name}:{node.lineno} from {target} import {a.name}")
                if full in NAMES:
                    aliases[a.asname or a.name] = full
        elif isinstance(node, ast.Import):
            for a in node.names:
                if _reaches_in(module.name, a.name):
                    found.append(f"{module.name}:{node.lineno} import {a.name}")
                if a.asname and a.name in NAMES:
                    aliases[a.asname] = a.name
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            full = f"{aliases[node.value.id]}.{node.attr}"
            if _reaches_in(module.name, full):
                found.append(f"{module.name}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def long_functions(module: Module, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """Functions and methods (nested ones too) longer than ``limit`` lines,
    from ``def`` to the end of the body."""
    return [f"{module.name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(module.tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > limit]


def test_rules_see_the_package() -> None:
    assert "newsbrief.text.tokens" in NAMES and "newsbrief.batching" in NAMES


def test_private_import_check_catches_each_form() -> None:
    source = ("from ..text.tokens import _WORD\n"
              "from newsbrief.text import embed as e\n"
              "from . import _dask, engines\n"
              "import newsbrief.text.tokens as t\n"
              "e._load\nt._stems\nt.words\ne.__doc__\nengines.PRELOAD\n")
    module = Module("newsbrief.batching.probe", PACKAGE / "batching" / "probe.py", ast.parse(source))
    assert [f.split(" ", 1)[1] for f in private_imports(module)] == [
        "from newsbrief.text.tokens import _WORD", "e._load", "t._stems"]
    outsider = Module("newsbrief.cli", PACKAGE / "cli.py", ast.parse("from .batching._dask import InitPlugin\n"))
    assert private_imports(outsider) == ["newsbrief.cli:1 from newsbrief.batching._dask import InitPlugin"]


def test_no_module_imports_another_modules_private_names() -> None:
    found = [f for m in MODULES for f in private_imports(m)]
    assert not found, "private names used across modules (give them a public name):\n" + "\n".join(found)


def test_no_function_is_over_80_lines() -> None:
    found = [f for m in MODULES for f in long_functions(m)]
    assert not found, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(found)
