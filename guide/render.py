"""The Jinja environment: layouts in, markup text out.

Sandboxed (a layout cannot reach Python internals or files), autoescaped (ladder
text can never become markup or template code), strict (a misspelt name is an
error, never an empty string). A project's `layouts/` folder overrides the
shipped layouts file by file.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from guide.errors import LayoutError
from guide.markup import LINE_SEPARATOR

SHIPPED_LAYOUTS = Path(__file__).parent / "layouts"


def _text_with_breaks(value: Any) -> Any:
    """Carry the newlines of a value printed by `{{ }}` as LINE SEPARATORs (U+2028).

    A newline would be lost to XML's whitespace rules, and a `<br/>` element is not
    allowed inside an attribute; the separator survives both, and the markup reader
    turns it back into a line break (see `markup.LINE_SEPARATOR`).
    """
    if isinstance(value, str) and not isinstance(value, Markup) and "\n" in value:
        return value.replace("\n", LINE_SEPARATOR)
    return value


class Layouts:
    """The layouts of one project: its own `layouts/` folder first, then the shipped ones."""

    def __init__(self, project_layouts: Path | None = None) -> None:
        folders = [str(f) for f in (project_layouts, SHIPPED_LAYOUTS) if f and f.is_dir()]
        self.environment = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(folders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            finalize=_text_with_breaks,
            extensions=["jinja2.ext.do"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Return the markup that layout `name` produces for `context`."""
        try:
            return self.environment.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as error:
            where = f"{error.filename or error.name or name}:{error.lineno}"
            raise LayoutError(f"{where}: {error.message}") from None
        except jinja2.TemplateNotFound as error:
            raise LayoutError(f"{name}: layout '{error.name}' not found") from None
        except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as error:
            raise LayoutError(f"{_template_location(error, name)}: {error}") from None

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


def _template_location(error: Exception, name: str) -> str:
    """Return 'file.xml.j2:LINE' from the traceback frames Jinja maps to template lines."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{frame.filename}:{frame.lineno}"
    return name
