"""Language packs: the words and phrases each language is read by, kept as data, not code.

A pack is `languages/<code>/<name>.yaml` (`languages/common/` holds cues that span languages).
Adding or tuning a language then means editing one folder, and a reviewer reads the phrases
without the Python around them. Packs are validated when they load: an unknown table or category
is refused, every regex is compiled (a lazy table's the first time it is read), and an error
names the file, the line and the entry, so a slip in a pack fails loudly instead of silently
never matching.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BeforeValidator, PlainValidator, TypeAdapter, ValidationError

from composer.errors import ComposerError
from composer.paths import project_dir


class PackError(ComposerError):
    """A language pack that is missing or does not validate; the message says where."""


class _BadRegex(ValueError):
    """A regex that does not compile; `position` is where, in the joined pattern."""

    def __init__(self, message: str, position: int | None) -> None:
        super().__init__(message)
        self.position = position


def _compile(value: Any) -> re.Pattern[str]:
    """Compile one entry: a string, or a list of pieces joined with nothing in between
    (so a long pattern can be written over several short lines). Matching ignores case."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        value = "".join(value)
    if not isinstance(value, str):
        raise ValueError("expected a regex: a string or a list of string pieces")
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as err:
        raise _BadRegex(f"bad regex ({err.msg} at position {err.pos})", err.pos) from None


Regex = Annotated[re.Pattern[str], BeforeValidator(_compile)]
Patterns = tuple[Regex, ...]


class RegexText:
    """An entry kept as text until its reader first uses it: a pack of a thousand patterns
    takes tens of milliseconds to compile, which a reader that needs one table at a time should
    not pay up front. `pattern` is joined from its pieces; `flags` are those to compile it with;
    a bad one is reported with `bad_regex`, as loading would. (A plain class: pydantic builds a
    schema for a dataclass at every field that holds one, ~20 ms for a wide pack.)"""

    __slots__ = ("flags", "pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def __repr__(self) -> str:
        return f"RegexText({self.pattern!r}, {self.flags})"


def _text(flags: int) -> Callable[[Any], RegexText]:
    def parse(value: Any) -> RegexText:
        if isinstance(value, RegexText):
            return value
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = "".join(value)
        if not isinstance(value, str):
            raise ValueError("expected a regex: a string or a list of string pieces")
        return RegexText(value, flags)

    return parse


# Compiled by the reader when first used: matching ignores case, or, for the case-sensitive
# variant, does not ("TODO" is a placeholder, Spanish "todo" is not).
LazyRegex = Annotated[RegexText, PlainValidator(_text(re.IGNORECASE))]
LazyCaseSensitiveRegex = Annotated[RegexText, PlainValidator(_text(0))]


class LazyPatterns(Sequence[re.Pattern[str]]):
    """A table read as text and compiled, whole, the first time it is read: triage holds every
    language's cues (a mixed-language note matches across languages), and a cold compose reads
    a few of its tables. It reads like the tuple of compiled patterns it stands for; a bad
    regex is the PackError loading would give, naming the file, the line and the entry."""

    __slots__ = ("_compiled", "_entries", "_where")

    def __init__(self, entries: tuple[RegexText, ...] = ()) -> None:
        self._entries = entries
        self._compiled: tuple[re.Pattern[str], ...] | None = None
        self._where: tuple[Path, tuple[str | int, ...]] | None = None

    def read_from(self, path: Path, loc: tuple[str | int, ...]) -> None:
        """Where the table is in its pack (`loc`, e.g. `("category_cues", "outage")`)."""
        self._where = (path, loc)

    def _patterns(self) -> tuple[re.Pattern[str], ...]:
        if self._compiled is None:
            self._compiled = tuple(self._compile(i, entry) for i, entry in enumerate(self._entries))
        return self._compiled

    def _compile(self, index: int, entry: RegexText) -> re.Pattern[str]:
        try:
            return re.compile(entry.pattern, entry.flags)
        except re.error as err:
            if self._where is None:
                raise PackError(f"{entry.pattern!r}: bad regex ({err.msg} at position "
                                f"{err.pos})") from None
            path, loc = self._where
            raise bad_regex(path, (*loc, index), err) from None

    def __getitem__(self, index: Any) -> Any:
        return self._patterns()[index]

    def __iter__(self) -> Iterator[re.Pattern[str]]:
        return iter(self._patterns())

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"LazyPatterns({[entry.pattern for entry in self._entries]!r})"


# A table of LazyRegex entries (each checked to be a string or pieces at load), compiled when read.
LazyTable = Annotated[tuple[LazyRegex, ...], AfterValidator(LazyPatterns)]


def _place_lazy_tables(pack: Any, path: Path) -> None:
    """Tell each lazy table of `pack` (a field, or a value of a mapping field) where it was
    read from, so that its bad regex names the file and the entry."""
    for name, value in getattr(pack, "__dict__", {}).items():
        tables = value.items() if isinstance(value, dict) else ((None, value),)
        for key, table in tables:
            if isinstance(table, LazyPatterns):
                table.read_from(path, (name,) if key is None else (name, key))


def bad_regex(path: Path, loc: tuple[str | int, ...], err: re.error) -> PackError:
    """The error for an entry kept as text that does not compile: one line naming the file, the
    line and the entry (`loc`: its place in the pack, e.g. `("regret", 3)`), as loading would."""
    problem = f"bad regex ({err.msg} at position {err.pos})"
    return PackError(_located(path, loc, problem, err.pos))


def pack_path(lang: str, name: str, directory: str | Path | None = None) -> Path:
    """Where `load_pack(lang, name, ..., directory)` reads from."""
    root = Path(directory) if directory is not None else languages_dir()
    return root / lang / f"{name}.yaml"


T = TypeVar("T")


@cache
def _adapter(schema: type[T]) -> TypeAdapter[T]:
    return TypeAdapter(schema)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is ~10x faster


def languages_dir() -> Path:
    """The `languages` folder, in a wheel or a checkout."""
    return project_dir("languages")


def load_pack(lang: str, name: str, schema: type[T],
              directory: str | Path | None = None) -> T:
    """The pack `<directory>/<lang>/<name>.yaml`, validated as `schema` (a pydantic dataclass
    that lives beside the code reading the pack); read once per process and again only when the
    file changes (the cache is keyed by its modification time)."""
    root = Path(directory) if directory is not None else languages_dir()
    path = root / lang / f"{name}.yaml"
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        if (root / lang).is_dir():
            raise PackError(
                f"{_shown(root / lang)}: no {name}.yaml; every language folder needs one "
                f"(start from {_shown(root / 'en' / (name + '.yaml'))})"
            ) from None
        raise PackError(f"{_shown(root)}: no language pack for {lang!r}") from None
    return _load(path, schema, mtime)


@cache
def _load(path: Path, schema: type[T], mtime: int) -> T:
    """Parse, keeping the node tree for line numbers, then validate; `mtime` keys the cache."""
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise PackError(f"{_shown(path)}{line}: not valid YAML ({err.problem})") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise PackError(f"{_shown(path)}:1: a pack is a mapping of table names to entries")
    try:
        pack = _adapter(schema).validate_python(data)
    except ValidationError as err:
        raise PackError(_describe(path, node, err)) from None
    _place_lazy_tables(pack, path)
    return pack


def _describe(path: Path, root: yaml.Node, err: ValidationError) -> str:
    """One line: file:line, the entry's place and text, what is wrong (and how many more)."""
    first = err.errors()[0]
    loc = tuple(first["loc"])
    cause = first.get("ctx", {}).get("error")
    if first["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
        node, where = _node_at(root, loc, at_key=True)
        where, problem = where.rpartition(".")[0], f"unknown table {loc[-1]!r}"
    elif loc and loc[-1] == "[key]":
        node, where = _node_at(root, loc[:-1], at_key=True)
        where, problem = where.rpartition(".")[0], f"unknown key {loc[-2]!r}"
    else:
        node, where = _node_at(root, loc, at_key=False)
        problem = str(cause) if cause is not None else first["msg"]
        if isinstance(cause, _BadRegex) and isinstance(node, yaml.SequenceNode):
            node = _piece_at(node, cause.position)
        where += _entry_text(node)
    more = len(err.errors()) - 1
    tail = f" (and {more} more)" if more else ""
    place = f"{where}: " if where else ""
    return f"{_shown(path)}:{node.start_mark.line + 1}: {place}{problem}{tail}"


def _located(path: Path, loc: tuple[Any, ...], problem: str, position: int | None) -> str:
    """`_describe` for an entry found wrong after loading: the file is read again for its lines."""
    loader = _Loader(path.read_text(encoding="utf-8"))
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    node, where = _node_at(root, loc, at_key=False)
    if isinstance(node, yaml.SequenceNode):
        node = _piece_at(node, position)
    return f"{_shown(path)}:{node.start_mark.line + 1}: {where}{_entry_text(node)}: {problem}"


def _node_at(root: yaml.Node, loc: tuple[Any, ...], at_key: bool) -> tuple[yaml.Node, str]:
    """The YAML node a pydantic error location points at (the last key itself when `at_key`),
    and that place written out as `table.category[index]`."""
    node, where = root, ""
    for i, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            pairs = [(k, v) for k, v in node.value if k.value == str(part)]
            if not pairs:
                break
            key, value = pairs[0]
            node = key if at_key and i == len(loc) - 1 else value
            where += f".{part}" if where else str(part)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            node = node.value[part]
            where += f"[{part}]"
        else:
            break
    return node, where


def _piece_at(node: yaml.SequenceNode, position: int | None) -> yaml.Node:
    """The piece of a multi-line pattern that holds the error's position."""
    offset = 0
    for piece in node.value:
        offset += len(str(piece.value))
        if position is not None and position < offset:
            return piece
    return node.value[-1] if node.value else node


def _entry_text(node: yaml.Node) -> str:
    """A short quote of the entry, so the message names it even without opening the file."""
    if not isinstance(node, yaml.ScalarNode) or not node.value:
        return ""
    text = str(node.value)
    return " " + repr(text if len(text) <= 40 else text[:40] + "…")


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
