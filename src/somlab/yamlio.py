"""Reading YAML with the line of every key, so that errors can name the line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from somlab.errors import SomlabInputError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader (C-accelerated where available)."""


class _TextDatesLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text, so that a bad date is reported with its line."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def line_map(node: yaml.Node | None, prefix: str = "") -> dict[str, int]:
    """Path of every key and list item under `node` ('a.b', 'a[0].c') → its 1-based line."""
    out: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            out[path] = key_node.start_mark.line + 1
            out.update(line_map(value_node, path))
    elif isinstance(node, yaml.SequenceNode):
        for i, value_node in enumerate(node.value):
            path = f"{prefix}[{i}]"
            out[path] = value_node.start_mark.line + 1
            out.update(line_map(value_node, path))
    return out


def parse(text: str, file: str, dates_as_text: bool = False) -> tuple[Any, yaml.Node | None]:
    """The data and the node tree of one YAML document; syntax errors name the line."""
    loader = (_TextDatesLoader if dates_as_text else _Loader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SomlabInputError(f"malformed YAML: {exc.problem or exc.context}", file=file,
                               line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise SomlabInputError(f"malformed YAML: {exc}", file=file) from None
    finally:
        loader.dispose()
    return data, node


def read_yaml_with_lines(path: Path, dates_as_text: bool = False) -> tuple[Any, dict[str, int]]:
    """A YAML file's data and the line of every key."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SomlabInputError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    data, node = parse(text, str(path), dates_as_text)
    return data, line_map(node)
