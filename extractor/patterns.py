"""Loading ``patterns/*.yaml``: strict, once, with named regex pieces that reference each other.

Each domain file (``numbers.yaml``, ``metrics.yaml``, ``tables.yaml``,
``checks.yaml``, ``ocr.yaml`` …) is validated by the pydantic model that the
stage owning it passes to :func:`load`.  Common to all files:

* unknown fields are rejected (models use ``extra="forbid"``, see :class:`Strict`);
* YAML duplicate keys are rejected (PyYAML silently keeps the last one);
* a regex may reference a named piece as ``{piece}``: pieces are declared
  under a top-level ``pieces:`` mapping and expanded before compiling
  (Recognizers-Text's ``!nestedRegex`` with ``references:``).  A literal
  brace is written ``{{`` / ``}}``; quantifiers such as ``{2,4}`` are left alone.

Errors name the file and the entry (:class:`~extractor.errors.PatternError`).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any, TypeVar

import regex
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import PatternError

M = TypeVar("M", bound=BaseModel)

_PIECE = regex.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


class Strict(BaseModel):
    """Base for every patterns schema: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def patterns_dir() -> Path:
    """Where the pattern files are: ``$JIXIAO_PATTERNS``, the copy inside the wheel, or the repo's ``patterns/``."""
    env = os.environ.get("JIXIAO_PATTERNS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    packaged = here / "patterns"
    if packaged.is_dir():
        return packaged
    return here.parent / "patterns"


class _UniqueKeyLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except FileNotFoundError:
        raise PatternError(str(path), None, "file not found") from None
    except yaml.YAMLError as exc:
        raise PatternError(path.name, None, str(exc)) from None


def load(name: str, model: type[M], directory: Path | None = None) -> M:
    """Read ``patterns/<name>.yaml`` and validate it with ``model``; errors name the file and entry."""
    path = (directory or patterns_dir()) / f"{name}.yaml"
    data = read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        entry = _entry_name(data, first["loc"])
        raise PatternError(path.name, entry or loc, f"{first['msg']} (at {loc})") from None


def _entry_name(data: Any, loc: tuple) -> str | None:
    """The ``id`` of the list entry an error sits in, when there is one."""
    node = data
    found = None
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "id" in node:
            found = str(node["id"])
    return found


def check_unique(file: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise PatternError(file, i, "duplicate id")
        seen.add(i)


def expand(pattern: str, pieces: dict[str, str], file: str = "?", entry: str | None = None) -> str:
    """Expand ``{piece}`` references recursively; an unknown or cyclic reference is an error."""

    def _expand(p: str, stack: tuple[str, ...]) -> str:
        def repl(m: regex.Match) -> str:
            name = m.group(1)
            if name not in pieces:
                raise PatternError(file, entry, f"reference to unknown piece {{{name}}}")
            if name in stack:
                raise PatternError(file, entry, f"cyclic reference {' -> '.join(stack + (name,))}")
            return "(?:" + _expand(pieces[name], stack + (name,)) + ")"

        return _PIECE.sub(repl, p)

    return _expand(pattern, ()).replace("{{", "{").replace("}}", "}")


def compile_pattern(pattern: str, pieces: dict[str, str] | None = None, file: str = "?", entry: str | None = None, flags: int = 0) -> regex.Pattern:
    expanded = expand(pattern, pieces or {}, file, entry)
    try:
        return _compile(expanded, flags)
    except regex.error as exc:
        raise PatternError(file, entry, f"bad regex: {exc}") from None


@functools.lru_cache(maxsize=4096)
def _compile(expanded: str, flags: int) -> regex.Pattern:
    return regex.compile(expanded, flags)


def yaml_files() -> list[Path]:
    return sorted(patterns_dir().glob("*.yaml"))
