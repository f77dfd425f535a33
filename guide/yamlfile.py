"""Read a YAML file into a tree of `Node`s that remember their line and column.

PyYAML is asked only to parse and compose: nothing is constructed, so no tag
runs code, no alias is ever expanded (aliases are refused as they are met),
and an implicit boolean, number or date stays visible as what YAML took it for,
for the schema to report where text was meant.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from guide.errors import ContentError, Location
from guide.inputs import UnreadableInput, read_bounded

MAX_FILE_BYTES = 2_000_000
"""Ladder and theme files larger than this are refused: real ones are under 100 kB, and a
bound keeps a mistaken file (a log, a dump, `/dev/zero`) from filling the memory."""

Kind = Literal["map", "list", "text", "int", "float", "bool", "null", "date", "other"]
_SCALAR_KINDS: dict[str, Kind] = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "date",
}
_KIND_NAMES: dict[Kind, str] = {
    "map": "a mapping",
    "list": "a list",
    "text": "text",
    "int": "a number",
    "float": "a number",
    "bool": "a boolean",
    "null": "an empty value",
    "date": "a date",
    "other": "a tagged value",
}
"""Each kind as messages name it."""
_PLANE_ENDS = "".join(chr(plane << 16 | end) for plane in range(17) for end in (0xFFFE, 0xFFFF))
_NON_CHARACTERS = "\ufdd0-\ufdef" + _PLANE_ENDS
_REFUSED = {
    "control character": re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"),
    "non-character": re.compile(f"[\ud800-\udfff{_NON_CHARACTERS}]"),
    "private-use character": re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]"),
}
"""Characters refused in text, by kind. Controls: never typed (C1 ones are the trace of text
decoded with the wrong code page), and no Word file can hold most. Non-characters: not text
at all. Private-use characters: their meaning depends on a font that readers do not have."""


@dataclass
class Node:
    """One YAML value: `value` is raw text for scalars, a list of Nodes, or (key, value) pairs."""

    kind: Kind
    value: str | list[Node] | list[tuple[Node, Node]]
    line: int
    col: int
    tag: str = ""
    inline: bool = False
    """A scalar written plain on one line: its value is its text in the file, from `col` on."""

    def get(self, key: str) -> Node | None:
        """Return the value under `key` of a mapping, or None."""
        if self.kind != "map":
            return None
        for key_node, value_node in self.pairs:
            if key_node.value == key:
                return value_node
        return None

    @property
    def pairs(self) -> list[tuple[Node, Node]]:
        assert self.kind == "map"
        return self.value  # type: ignore[return-value]

    @property
    def items(self) -> list[Node]:
        assert self.kind == "list"
        return self.value  # type: ignore[return-value]

    @property
    def text(self) -> str:
        assert isinstance(self.value, str)
        return self.value


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases at the moment they are composed."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed: write the value out", event.start_mark
            )
        return super().compose_node(parent, index)


def read_yaml(
    path: Path, problems: list[Location], max_bytes: int = MAX_FILE_BYTES, *, may_be_empty: bool = False
) -> Node:
    """Return the root mapping of the YAML file at `path`.

    Raises ContentError for anything that is not one readable mapping (a file of
    comments only is an empty mapping where `may_be_empty`). Duplicate keys (the later
    one is dropped) and characters that documents cannot hold are added to `problems`,
    so the caller can go on and report the rest too.
    """
    text = _decode(path, max_bytes)
    root = _compose(path, text)
    if root is None:
        if may_be_empty:
            return Node("map", [], 1, 1, "tag:yaml.org,2002:map")
        raise ContentError([Location(path, None, None, "file is empty")])
    problems.extend(
        Location(path, *_odd_space_found(text, line)) for line in _ODD_INDENTED_KEY_OR_ITEM.finditer(text)
    )
    try:
        tree = _convert(root, path, problems)
    except RecursionError:
        raise ContentError([Location(path, None, None, "nesting too deep")]) from None
    if tree.kind == "null":
        raise ContentError([Location(path, None, None, "file is empty")])
    if tree.kind != "map":
        message = f"the top level must be a mapping of keys, not {_KIND_NAMES[tree.kind]}"
        raise ContentError([Location.at(path, tree, message)])
    return tree


def _decode(path: Path, max_bytes: int) -> str:
    try:
        raw = read_bounded(path, max_bytes)
    except UnreadableInput as error:  # a device, a pipe, a folder, too large: said at the file
        raise ContentError([Location(path, None, None, str(error))]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8"
        raise ContentError([Location(path, line, col, message)]) from None


def _compose(path: Path, text: str) -> yaml.Node | None:
    """Return the YAML node tree of `text`, None if it holds none; raise ContentError at a syntax problem.

    libyaml composes ten times faster than PyYAML's Python code, but expands nothing
    and reports in its own words; whenever it finds a problem or an alias, the Python
    composer runs instead, to refuse aliases as they are met and word every message
    the same way on every machine.
    """
    _refuse_next_line_character(path, text)
    node = _compose_with_libyaml(text)
    if node is _NEEDS_PYTHON:
        node = _compose_with_python(path, text)
    return node


_NEEDS_PYTHON = yaml.Node("", "", None, None)
"""What `_compose_with_libyaml` returns when the Python composer must read the text."""


def _refuse_next_line_character(path: Path, text: str) -> None:
    """Raise ContentError at a raw U+0085, which YAML 1.1 reads as a line break, not a character.

    Read as a line break, it would end a line in the middle and be reported as a missing ':'
    on the line after; it is a control character, refused like the others.
    """
    if (position := text.find("\x85")) >= 0:
        line, col = _line_and_column(text, position)
        raise ContentError([Location(path, line, col, "character U+0085 is not allowed")])


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    """Return the 1-based line and column of index `position` in `text`, counting line feeds only."""
    line_start = text.rfind("\n", 0, position) + 1
    return text.count("\n", 0, position) + 1, position - line_start + 1


def _compose_with_libyaml(text: str) -> yaml.Node | None:
    """Return the node tree libyaml composes, or _NEEDS_PYTHON (no libyaml, a problem, an alias)."""
    if not yaml.__with_libyaml__:
        return _NEEDS_PYTHON
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, RecursionError):
        return _NEEDS_PYTHON
    return _NEEDS_PYTHON if node is not None and _has_alias(node) else node


def _has_alias(root: yaml.Node) -> bool:
    """Return whether a node appears twice in the tree: what an alias composes to."""
    seen: set[int] = set()
    waiting = [root]
    while waiting:
        node = waiting.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            waiting.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            waiting.extend(node.value)
    return False


def _compose_with_python(path: Path, text: str) -> yaml.Node | None:
    loader = None
    try:
        loader = _Loader(text)
        return loader.get_single_node()
    except yaml.reader.ReaderError as error:
        line, col = _line_and_column(text, error.position)
        char = error.character if isinstance(error.character, int) else ord(error.character)
        raise ContentError([Location(path, line, col, f"character U+{char:04X} is not allowed")]) from None
    except yaml.MarkedYAMLError as error:
        raise ContentError([_yaml_problem(path, error, text)]) from None
    except RecursionError:
        raise ContentError([Location(path, None, None, "nesting too deep")]) from None
    finally:
        if loader is not None:
            loader.dispose()


_ODD_SPACES = "\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff"
"""Spaces YAML does not count as spaces (no-break, em, ideographic, zero-width...): pasted into
the indentation from a web page or a word processor, they look like plain ones."""
_ODD_INDENTED_KEY_OR_ITEM = re.compile(
    f"^[ \t]*([{_ODD_SPACES}])[ \t{_ODD_SPACES}]*(?:-|[-\\w]+:)(?:[ \t]|$)", re.MULTILINE
)
"""A line that reads as a key or a list item, but that YAML reads as text for the space before it."""

_UNCLOSED = ("found unexpected end of stream", "found unexpected document separator")


def _yaml_problem(path: Path, error: yaml.MarkedYAMLError, text: str) -> Location:
    """Return why `text` is not YAML, at the cause where one is found, else where PyYAML stopped."""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return Location(path, None, None, _worded(error, mark))
    found = _unclosed_quote(error, text) or _quote_closed_early(error, text) or _odd_indentation(text, mark)
    if found is not None:
        line, col, message = found
        return Location(path, line, col, message)
    return Location(path, mark.line + 1, mark.column + 1, _worded(error, mark))


def _worded(error: yaml.MarkedYAMLError, mark: yaml.Mark | None) -> str:
    """Return PyYAML's message, with a hint at the usual cause where one is known."""
    message = ": ".join(part for part in (error.context, error.problem) if part)
    if "\t" in message or "'\\t'" in message:
        message += " (indent with spaces, not tabs)"
    elif "mapping values are not allowed" in message and not _colon_before(mark):
        message += " (this line is indented further than the key above it allows)"
    elif "cannot start any token" in message or "mapping values are not allowed" in message:
        message += " (put the value in quotes)"
    elif "while scanning a double-quoted scalar" in message and "escape" in message:
        message += " (inside double quotes write a backslash as \\\\, or put the text in single quotes)"
    return message


def _colon_before(mark: yaml.Mark | None) -> bool:
    """Return whether the line of `mark` has a `key: ` before it, so the value holds a colon."""
    if mark is None or not isinstance(mark.buffer, str):
        return True
    line_start = mark.buffer.rfind("\n", 0, mark.pointer) + 1
    return ": " in mark.buffer[line_start : mark.pointer]


_Found = tuple[int, int, str]
"""A cause found: its 1-based line and column, and the message."""


def _unclosed_quote(error: yaml.MarkedYAMLError, text: str) -> _Found | None:
    """Return where a quote opened that the file never closes (PyYAML reports the file's end)."""
    mark = error.context_mark
    if error.context != "while scanning a quoted scalar" or error.problem not in _UNCLOSED or mark is None:
        return None
    quote = text[mark.pointer]
    return (
        mark.line + 1,
        mark.column + 1,
        f"this {quote} opens a text that is never closed: add the closing {quote}",
    )


def _quote_closed_early(error: yaml.MarkedYAMLError, text: str) -> _Found | None:
    """Return the cause when text follows a closing quote at once, as in 'it's': the quote closed early.

    A quoted text that ran over lines first was never closed on its own line (the quote that
    ended it opened a later value), so the place to report is where it opened.
    """
    mark, problem = error.problem_mark, error.problem or ""
    if mark is None or ("but found" not in problem and "but got" not in problem):
        return None
    quoted = _quoted_text_ending_at(text, mark.pointer)
    if quoted is None:
        return None
    quote, start = quoted.style, quoted.start_mark
    if start.line != mark.line:
        runs_on = f"is not closed on its line, so the text runs on to line {mark.line + 1}"
        message = f"this {quote} {runs_on}: add the closing {quote}"
        return start.line + 1, start.column + 1, message
    if quote == "'":
        message = "this ' ends the quoted text early: inside single quotes write ' twice, as in 'it''s'"
    else:
        message = 'this " ends the quoted text early: inside double quotes write \\", or use single quotes'
    return mark.line + 1, mark.column, message


def _quoted_text_ending_at(text: str, pointer: int) -> yaml.ScalarToken | None:
    """Return the quoted text whose closing quote is just before index `pointer`, or None."""
    if pointer == 0 or text[pointer - 1] not in "'\"":
        return None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.pointer >= pointer:
                return None
            if isinstance(token, yaml.ScalarToken) and token.end_mark.pointer == pointer and token.style:
                return token
    except yaml.YAMLError:
        return None
    return None


def _odd_indentation(text: str, mark: yaml.Mark) -> _Found | None:
    """Return the last key or item up to the error's line indented with a space YAML does not know.

    YAML takes such a space for text, so the key or item is read as part of a value and
    PyYAML stops a line or two later.
    """
    line_end = text.find("\n", mark.pointer)
    odd_lines = list(_ODD_INDENTED_KEY_OR_ITEM.finditer(text, 0, len(text) if line_end < 0 else line_end))
    return _odd_space_found(text, odd_lines[-1]) if odd_lines else None


def _odd_space_found(text: str, line: re.Match[str]) -> _Found:
    """Return where the odd space of `line` (an _ODD_INDENTED_KEY_OR_ITEM match) is, and a message."""
    char = line.group(1)
    line_number, col = _line_and_column(text, line.start(1))
    name = unicodedata.name(char).lower()
    message = f"the indentation holds U+{ord(char):04X} ({name}), which YAML does not read as a space"
    return line_number, col, f"{message}: indent with plain spaces"


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _refused_character(text: str) -> str | None:
    """Return why `text` cannot be content, naming its first refused character; None if it can."""
    for kind, pattern in _REFUSED.items():
        if found := pattern.search(text):
            return f"{kind} U+{ord(found.group()):04X} is not allowed in text"
    return None


def _convert(node: yaml.Node, path: Path, problems: list[Location]) -> Node:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if node.tag not in _SCALAR_KINDS and node.tag not in _COLLECTION_TAGS:
        return Node("other", node.tag.replace("tag:yaml.org,2002:", "!!"), line, col, node.tag)
    if isinstance(node, yaml.MappingNode):
        return Node("map", _convert_pairs(node, path, problems), line, col, node.tag)
    if isinstance(node, yaml.SequenceNode):
        return Node("list", [_convert(item, path, problems) for item in node.value], line, col, node.tag)
    kind = _SCALAR_KINDS.get(node.tag, "other")
    if kind == "text" and (refused := _refused_character(node.value)):
        problems.append(Location(path, line, col, refused))
    inline = (
        isinstance(node, yaml.ScalarNode)
        and not node.style  # plain: None, or "" from libyaml
        and node.start_mark.line == node.end_mark.line
    )
    return Node(kind, node.value, line, col, node.tag, inline)


def _convert_pairs(node: yaml.MappingNode, path: Path, problems: list[Location]) -> list[tuple[Node, Node]]:
    pairs: list[tuple[Node, Node]] = []
    first_seen: dict[str, Node] = {}
    for key_yaml, value_yaml in node.value:
        key = _convert(key_yaml, path, problems)
        value = _convert(value_yaml, path, problems)
        if key.kind != "map" and key.kind != "list" and isinstance(key.value, str):
            if (first := first_seen.get(key.value)) is not None:
                message = f"duplicate key '{key.value}' (first defined at line {first.line})"
                problems.append(Location.at(path, key, message))
                continue
            first_seen[key.value] = key
        pairs.append((key, value))
    return pairs


def key_of_colon_in_text(node: Node) -> str | None:
    """Return the key when `node` is a mapping of one key and value on one line, without braces.

    That is what a `: ` inside plain text makes (`- Owns the roadmap: sets direction`),
    so a message can say where the text was split. None for any other node.
    """
    if node.kind != "map" or len(node.pairs) != 1:
        return None
    key, value = node.pairs[0]
    opened_by_brace = (key.line, key.col) != (node.line, node.col)
    if key.kind != "text" or value.line != key.line or opened_by_brace:
        return None
    return key.text
