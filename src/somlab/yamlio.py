"""Reading YAML with the line of every key, so that errors can name the line and field.

Every YAML file somlab reads goes through `parse`. Before a document is built, its node tree is
checked: a key given twice in one mapping is refused (YAML would silently keep the last value),
and aliases are bounded. An alias makes a node appear again without copying it, so a file of a
few hundred bytes can stand for billions of nodes (the "billion laughs"); `parse` counts the
nodes as if every alias were expanded, and refuses a document whose aliases add more than
MAX_ALIAS_NODES nodes, that is more than MAX_DEPTH levels deep, or that uses more than MAX_ALIASES
aliases. Walks over the tree (`line_map`) visit a shared node once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from somlab.errors import SomlabInputError
from somlab.unicode_check import MESSAGE, check_text, has_surrogate

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_ALIAS_NODES = 100_000  # nodes that expanding every alias would add
MAX_DEPTH = 100  # levels of nesting, aliases expanded
MAX_ALIASES = 1_000  # uses of an anchor in one document
MERGE_TAG = "tag:yaml.org,2002:merge"


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader (C-accelerated where available)."""


class _TextDatesLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text, so that a bad date is reported with its line."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def check_tree(node: yaml.Node | None, file: str) -> None:
    """Refuse duplicate keys, recursive aliases and documents too large once aliases are
    expanded. Each distinct node is visited once: its expanded size and depth are remembered."""
    if node is None:
        return
    size: dict[int, int] = {}  # id(node) -> nodes under it, aliases expanded (itself included)
    depth: dict[int, int] = {}  # id(node) -> levels under it, aliases expanded
    uses = 0
    open_nodes: set[int] = set()
    # iterative post-order walk: (node, children visited?)
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        children = _children(current)
        if done:
            open_nodes.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            # without aliases a node holds at most the distinct nodes seen so far
            added = size[key] - len(size)
            if added > MAX_ALIAS_NODES or depth[key] > MAX_DEPTH:
                limit = (
                    f"aliases add more than {MAX_ALIAS_NODES:,} values"
                    if added > MAX_ALIAS_NODES
                    else f"more than {MAX_DEPTH} levels deep"
                )
                raise SomlabInputError(
                    f"the document is too large once its aliases are expanded ({limit})",
                    file=file,
                    line=_line(current),
                )
            continue
        if key in size:  # a node met again: an alias
            uses += 1
            if uses > MAX_ALIASES:
                raise SomlabInputError(
                    f"more than {MAX_ALIASES:,} aliases in one document",
                    file=file,
                    line=_line(current),
                )
            continue
        if key in open_nodes:
            raise SomlabInputError(
                "an alias refers to the node that contains it (a recursive alias)",
                file=file,
                line=_line(current),
            )
        if isinstance(current, yaml.MappingNode):
            _refuse_duplicate_keys(current, file)
        elif isinstance(current, yaml.ScalarNode) and has_surrogate(current.value):
            raise SomlabInputError(MESSAGE, file=file, line=_line(current))
        open_nodes.add(key)
        stack.append((current, True))
        for child in reversed(children):
            if id(child) in open_nodes:
                raise SomlabInputError(
                    "an alias refers to the node that contains it (a recursive alias)",
                    file=file,
                    line=_line(current),
                )
            stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _refuse_duplicate_keys(node: yaml.MappingNode, file: str) -> None:
    first: dict[tuple[str, str], int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == MERGE_TAG:
            continue
        key = (key_node.tag, key_node.value)
        if key in first:
            raise SomlabInputError(
                f"key '{key_node.value}' appears twice in one mapping (first at line {first[key]})",
                file=file,
                line=_line(key_node),
                field=str(key_node.value),
            )
        first[key] = _line(key_node)


def line_map(node: yaml.Node | None, prefix: str = "") -> dict[str, int]:
    """Path of every key and list item under `node` ('a.b', 'a[0].c') → its 1-based line.
    A node shared through an alias is walked once; paths inside its other uses are not listed
    (a lookup falls back to the line of the alias)."""
    out: dict[str, int] = {}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node | None, str]] = [(node, prefix)]
    while stack:
        current, path = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        children: list[tuple[yaml.Node, str]] = []
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                child = f"{path}.{key_node.value}" if path else str(key_node.value)
                out[child] = _line(key_node)
                children.append((value_node, child))
        elif isinstance(current, yaml.SequenceNode):
            for i, value_node in enumerate(current.value):
                child = f"{path}[{i}]"
                out[child] = _line(value_node)
                children.append((value_node, child))
        stack.extend(reversed(children))  # in document order: a node is listed where it is first
    return out


def line_at(lines: Mapping[str, int], path: str) -> int | None:
    """The line of a path ('a.b[0].c') in a `line_map`, or of its nearest listed parent."""
    while path:
        if path in lines:
            return lines[path]
        path = re.sub(r"(\.[^.\[]*|\[\d+\]|^[^.\[]*)$", "", path)
    return None


def parse(text: str, file: str, dates_as_text: bool = False) -> tuple[Any, yaml.Node | None]:
    """The data and the node tree of one YAML document; syntax errors name the line."""
    check_text(text, file)
    loader = (_TextDatesLoader if dates_as_text else _Loader)(text)
    try:
        node = loader.get_single_node()
        check_tree(node, file)
        data = loader.construct_document(node) if node is not None else None
    except SomlabInputError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SomlabInputError(
            f"malformed YAML: {_one_line(exc.problem or exc.context)}",
            file=file,
            line=mark.line + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        raise SomlabInputError(
            f"malformed YAML: {exc.reason} ({exc.character!r})",
            file=file,
            line=text.count("\n", 0, exc.position) + 1,
        ) from None
    except yaml.YAMLError as exc:
        raise SomlabInputError(f"malformed YAML: {_one_line(exc)}", file=file) from None
    except RecursionError:
        raise SomlabInputError("malformed YAML: nested too deeply", file=file) from None
    except ValueError as exc:  # a value the constructor cannot build, e.g. a 5,000-digit integer
        raise SomlabInputError(f"malformed YAML: {_one_line(exc)}", file=file) from None
    finally:
        loader.dispose()
    return data, node


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def read_text(path: Path) -> str:
    """A UTF-8 text file; a file that is not one is a clear error."""
    if path.is_dir():
        raise SomlabInputError("is a folder, not a file", file=str(path))
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SomlabInputError("no such file", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise SomlabInputError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None


def read_yaml_with_lines(path: Path, dates_as_text: bool = False) -> tuple[Any, dict[str, int]]:
    """A YAML file's data and the line of every key."""
    data, node = parse(read_text(path), str(path), dates_as_text)
    return data, line_map(node)


class _ReadableDumper(yaml.SafeDumper):
    """Block mappings and lists, except a list of plain numbers or strings, written on one line
    (a range [low, high], a parameter vector)."""


def _sequence(dumper: yaml.SafeDumper, data: list) -> yaml.SequenceNode:
    flat = all(isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat and bool(data))


_ReadableDumper.add_representer(list, _sequence)


def dump(doc: Any, width: int = 120) -> str:
    """A document as block YAML, keys in their order, with flat lists on one line."""
    return yaml.dump(doc, Dumper=_ReadableDumper, sort_keys=False, allow_unicode=True, width=width)
