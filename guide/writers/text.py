"""Document -> a plain-text outline: for reading a document's structure and golden tests."""

from __future__ import annotations

from typing import assert_never

from guide import model


def write_text(document: model.Document) -> str:
    """Return `document` as indented text, one block per line (cells and items indented)."""
    meta = document.meta
    lines = [f"# {meta.kind}: {meta.title}" if meta.kind else f"# {meta.title}"]
    for block in document.blocks:
        lines.extend(_block(block))
    return "\n".join(lines) + "\n"


def _block(block: model.Block) -> list[str]:
    match block:
        case model.Heading(level=level, spans=spans, anchor=anchor):
            target = f" {{#{anchor}}}" if anchor else ""
            return [f"{'=' * level} {_inline(spans)}{target}"]
        case model.Paragraph(spans=spans, role=role):
            prefix = "" if role == "body" else f"[{role}] "
            return [prefix + _inline(spans)]
        case model.BulletList(items=items):
            return [f"- {_inline(item)}" for item in items]
        case model.Table(header=header, rows=rows):
            return [line for row in (*header, *rows) for line in _row(row, row in header)]
        case model.CheckItem(name=name, spans=spans, evidence=evidence, checked=checked):
            box = "[x]" if checked else "[ ]"
            return [f"{box} {_inline(spans)} <{name}{' +evidence' if evidence else ''}>"]
        case model.FormField(
            name=name, label=label, kind=kind, choices=choices, value=value, show_label=show_label
        ):
            options = f" ({' | '.join(choices)})" if choices else ""
            shown = label if show_label else f"({label})"
            return [f"{shown}: [{kind} {name}{options}] {value}".rstrip()]
        case model.SignatureLine(label=label, date=date):
            dated = f"[date {date.name}] {date.value}".rstrip() if date else "____"
            return [f"{label}: signature ____ date {dated}"]
        case model.Diagram(description=description, nodes=nodes, edges=edges):
            lines = [f"[diagram: {description}]"]
            lines += [
                f"  [{node.label}{' · ' + node.note if node.note else ''}] {node.column}".rstrip()
                for node in nodes
            ]
            return lines + [f"  {edge.source} -> {edge.target}" for edge in edges]
        case model.TableOfContents(title=title):
            return [f"[table of contents: {title}]"]
        case model.PageBreak():
            return ["----"]
        case _:
            assert_never(block)


def _row(row: tuple[model.Cell, ...], is_header: bool) -> list[str]:
    marker = "|=" if is_header else "|"
    lines = [marker]
    for cell in row:
        cell_lines = [line for block in cell.blocks for line in _block(block)]
        lines.extend("  " + line for line in cell_lines or [""])
    return lines


def _inline(spans: model.Inline) -> str:
    parts = []
    for span in spans:
        text = span.text.replace(model.LINE_BREAK, " / ")
        if span.bold:
            text = f"**{text}**"
        if span.italic:
            text = f"_{text}_"
        if span.link:
            text = f"[{text}](#{span.link})"
        parts.append(text)
    return "".join(parts)
