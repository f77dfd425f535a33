"""The Jinja environment: layouts in, markup text out.

Sandboxed (a layout cannot reach Python internals or files), autoescaped (ladder
text can never become markup or template code), strict (a misspelt name is an
error, never an empty string), bounded (no layout can build a gigantic value or
run for ever). A project's `layouts/` folder overrides the shipped layouts file
by file. Layouts print their words through Jinja's i18n extension, in the language
of the ladder (one environment per language, see `guide.i18n`).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from guide.errors import LayoutError
from guide.i18n import N_
from guide.i18n.catalogs import Catalogs, Language
from guide.i18n.extract import layout_messages
from guide.i18n.overrides import read_labels
from guide.inputs import UnreadableInput, read_bounded
from guide.itemkeys import keyed
from guide.markup import LINE_SEPARATOR
from guide.model import DEFAULT_LANGUAGE
from guide.sandbox import LayoutSandbox, refuse_beyond_bound
from guide.traced import Traced

try:
    import resource
except ImportError:  # Windows: rendering goes without a memory budget
    resource = None  # type: ignore[assignment]

SHIPPED_LAYOUTS = Path(__file__).parent / "layouts"


def _text_with_breaks(value: Any) -> Any:
    """Carry the newlines of a value printed by `{{ }}` as LINE SEPARATORs (U+2028).

    A newline would be lost to XML's whitespace rules, and a `<br/>` element is not
    allowed inside an attribute; the separator survives both, and the markup reader
    turns it back into a line break (see `markup.LINE_SEPARATOR`). A value beyond the
    sandbox's bound (`a ~ b ~ c`, each at the bound) is refused here, where it is printed.
    """
    if isinstance(value, Traced):
        return value.printed()  # a roster's stand-in, printed as it is (see `guide.traced`)
    refuse_beyond_bound(value)
    if isinstance(value, str) and not isinstance(value, Markup) and "\n" in value:
        return value.replace("\n", LINE_SEPARATOR)
    return value


@jinja2.pass_environment
def _keyed(environment: jinja2.Environment, items: Any, attribute: str = "") -> list[tuple[str, Any]]:
    """The `keyed` filter: `items` as (key, item) pairs, keyed by each item or its `attribute` (see
    `guide.itemkeys`), the attribute read through the sandbox."""
    return keyed(items, lambda item: environment.getattr(item, attribute) if attribute else item)


def printed(value: str) -> str:
    """Return `value` as a layout prints it with `{{ value }}`: escaped, its newlines carried."""
    return str(escape(_text_with_breaks(value)))


MAX_RENDER_SECONDS = 60
"""The longest one layout may take to render: more is a loop that will not end."""

MAX_RENDER_MEMORY = 512 << 20
"""The most memory rendering one layout may take beyond what the process holds: what the
sandbox's bounds on values do not foresee (a loop printing a large value a million times) ends
here, as a message, long before the machine runs out."""


class _TookTooLong(Exception):
    """Raised inside a layout that has rendered for longer than MAX_RENDER_SECONDS."""


@contextlib.contextmanager
def _memory_budget(extra: int) -> Iterator[None]:
    """Let the code run within take at most `extra` bytes of memory more (where the system allows).

    The limit is on the address space, so an allocation past it raises MemoryError
    where it is made, in the layout's own line, and nothing else of the machine suffers.
    """
    if resource is None or not os.path.exists("/proc/self/statm"):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    in_use = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    budget = in_use + extra if hard == resource.RLIM_INFINITY else min(in_use + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (budget, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Raise _TookTooLong in the code run within, after `seconds` (where signals allow it)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signal: int, _frame: object) -> None:
        raise _TookTooLong(f"the layout took longer than {seconds} s to render: a loop that does not end?")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


MAX_LAYOUT_BYTES = 1_000_000
"""The largest layout file: the shipped ones are a few kilobytes each."""


class _LayoutFiles(jinja2.FileSystemLoader):
    """Jinja's file loader, reading each layout as a bounded input (`guide.inputs`).

    A layout that is a folder, a pipe, a device or too large is an error naming it,
    where Jinja's own loader would pass it over for the shipped one, block, or read
    without end.
    """

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses `..`
        for folder in self.searchpath:
            path = posixpath.join(folder, *pieces)
            if os.path.lexists(path):
                return _layout_text(path), os.path.normpath(path), lambda: True
        raise jinja2.TemplateNotFound(template)


def _layout_text(path: str) -> str:
    try:
        return read_bounded(Path(path), MAX_LAYOUT_BYTES).decode("utf-8-sig")
    except UnreadableInput as error:
        raise LayoutError(f"{path}: {error}") from None
    except UnicodeDecodeError as error:
        raise LayoutError(
            f"{path}: not UTF-8 (byte 0x{error.object[error.start]:02x}); save it as UTF-8"
        ) from None


class Layouts:
    """The layouts of one project: its own `layouts/` folder first, then the shipped ones.

    Its `layouts/labels.yaml`, if any, goes over the shipped message catalogs.
    """

    def __init__(self, project_layouts: Path | None = None) -> None:
        self.folders = [str(f) for f in (project_layouts, SHIPPED_LAYOUTS) if f and f.is_dir()]
        labels = project_layouts / LABELS_FILE if project_layouts else None
        if labels and labels.exists():  # its own layouts' messages may be given words there too
            self.catalogs = Catalogs(read_labels(labels, layout_messages(labels.parent)))
        else:
            self.catalogs = Catalogs()
        self.environments: dict[str, LayoutSandbox] = {}
        self.environment = self.speaking(DEFAULT_LANGUAGE)

    def speaking(self, language: str) -> LayoutSandbox:
        """Return the environment whose layouts print their words in `language` (made once)."""
        if language not in self.environments:
            self.environments[language] = _environment(self.folders, self.catalogs.language(language))
        return self.environments[language]

    def render(self, name: str, context: Mapping[str, Any], language: str = DEFAULT_LANGUAGE) -> str:
        """Return the markup that layout `name` produces for `context`, its words in `language`."""
        try:
            with _deadline(MAX_RENDER_SECONDS), _memory_budget(MAX_RENDER_MEMORY):
                return self.speaking(language).get_template(name).render(context)
        except jinja2.TemplateSyntaxError as error:
            where = f"{error.filename or error.name or name}:{error.lineno}"
            raise LayoutError(f"{where}: {error.message}") from None
        except jinja2.TemplateNotFound as error:
            raise LayoutError(f"{_template_location(error, name)}: layout '{error.name}' not found") from None
        except (jinja2.UndefinedError, SecurityError, OverflowError, _TookTooLong) as error:
            # OverflowError: the sandbox's answer to a `range` too long
            raise LayoutError(f"{_template_location(error, name)}: {error}") from None
        except MemoryError as error:
            where = _template_location(error, name)
            message = f"the layout took more than {MAX_RENDER_MEMORY >> 20:,} MB of memory to render"
            raise LayoutError(f"{where}: {message}") from None
        except RecursionError as error:
            where = _template_location(error, name)
            raise LayoutError(f"{where}: a macro or include calls itself without end") from None
        except _EXPRESSION_ERRORS as error:
            where = _template_location(error, name)
            if where == name:  # not raised by an expression of the layout: a bug, keep its traceback
                raise
            raise LayoutError(f"{where}: {_describe(error)}") from None

    def source(self, name: str) -> tuple[str, str]:
        """Return the file name and text of layout `name` (for pointing at a line in it)."""
        loader = self.environment.loader
        assert loader is not None
        text, filename, _ = loader.get_source(self.environment, name)
        return filename or name, text

    def names(self) -> list[str]:
        """Return the names of every layout the project can use."""
        loader = self.environment.loader
        assert loader is not None
        return sorted(n for n in loader.list_templates() if n.endswith(".j2"))


LABELS_FILE = "labels.yaml"
"""A project's own words, in its `layouts/` folder (see `guide.i18n.overrides`)."""


def _environment(folders: list[str], language: Language) -> LayoutSandbox:
    """Return the sandboxed environment of layouts in `folders`, printing words in `language`."""
    environment = LayoutSandbox(
        loader=_LayoutFiles(folders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_text_with_breaks,
        extensions=["jinja2.ext.do", "jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.policies["ext.i18n.trimmed"] = True
    environment.newstyle_gettext = True  # type: ignore[attr-defined]  # the i18n extension's switch
    gettext, ngettext = _translators(language)
    environment.globals.update(gettext=gettext, _=gettext, ngettext=ngettext, N_=N_)
    environment.filters["keyed"] = _keyed
    environment.filters["date"] = language.dates.shown
    return environment


def _translators(language: Language) -> tuple[Callable[..., str], Callable[..., str]]:
    """Return `gettext` and `ngettext` for layouts, in `language`.

    As Jinja's own "new style" ones: the variables are put in with `%`, escaped. The
    translation is escaped too: a label's `&` or `<` is text, never markup.
    """

    def numbers_written(variables: dict[str, Any]) -> dict[str, Any]:  # counts as the language writes them
        return {
            name: language.number(value) if isinstance(value, int) and not isinstance(value, bool) else value
            for name, value in variables.items()
        }

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, /, **variables: Any) -> str:
        return _formatted(context, language.gettext(message), numbers_written(variables))

    @jinja2.pass_context
    def ngettext(
        context: jinja2.runtime.Context, singular: str, plural: str, count: int, /, **variables: Any
    ) -> str:  # a `{% trans count=... %}` block passes `count` again, by name
        variables.setdefault("num", count)
        return _formatted(context, language.ngettext(singular, plural, count), numbers_written(variables))

    return gettext, ngettext


def _formatted(context: jinja2.runtime.Context, text: str, variables: dict[str, Any]) -> str:
    if context.eval_ctx.autoescape:
        return escape(text) % {name: _text_with_breaks(value) for name, value in variables.items()}
    return text % variables


_EXPRESSION_ERRORS = (ArithmeticError, LookupError, TypeError, ValueError)
"""What an expression of a layout may raise on its own: `1 / 0`, `ladder.level("nope")`, `"a" + 1`."""


def _describe(error: Exception) -> str:
    """Return the message of `error`, without the quotes a KeyError puts around it."""
    if isinstance(error, KeyError) and len(error.args) == 1:
        return str(error.args[0])
    return str(error)


def _template_location(error: Exception, name: str) -> str:
    """Return 'file.xml.j2:LINE' from the traceback frames Jinja maps to template lines."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{frame.filename}:{frame.lineno}"
    return name
