"""The benchmark table: rows with a goal, sections with column headings, text and Markdown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Result = dict[str, Any]


@dataclass
class Row:
    """One line of the table: a figure per column, and the goal it is held to (if any)."""

    label: str
    cells: list[str]
    goal: str = ""
    met: bool | None = None


@dataclass
class Section:
    """Rows that share column headings."""

    title: str
    columns: list[str]
    rows: list[Row]


def fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def pair(first: Any, second: Any) -> str:
    return f"{fmt(first)} / {fmt(second)}"


def with_gc(median: Any, worst: Any, gc_ms: Any) -> str:
    """Median / worst, noting a GC pause of 1 ms or more inside the worst case."""
    note = f" (GC {fmt(gc_ms, 0)})" if gc_ms and gc_ms >= 1 else ""
    return f"{fmt(median)} / {fmt(worst)}{note}"


def goal_row(
    label: str,
    results: list[Result],
    cell: Callable[[Result], str],
    goal: str,
    check: Callable[[Result], bool] | None,
) -> Row:
    met = all(check(r) for r in results) if check else None
    return Row(label, [cell(r) for r in results], goal, met)


def render_text(sections: list[Section]) -> str:
    label_width = max(len(row.label) for s in sections for row in s.rows)
    lines = []
    for section in sections:
        widths = [
            max([len(c)] + [len(row.cells[i]) for row in section.rows if i < len(row.cells)])
            for i, c in enumerate(section.columns)
        ]
        head = " | ".join(c.rjust(w) for c, w in zip(section.columns, widths, strict=True))
        lines.append("")
        lines.append(f"== {section.title}")
        lines.append(f"{'':<{label_width}} | {head} | goal | met")
        for row in section.rows:
            cells = row.cells + [""] * (len(widths) - len(row.cells))
            body = " | ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))
            status = "" if row.met is None else ("met" if row.met else "NOT MET")
            lines.append(f"{row.label:<{label_width}} | {body} | {row.goal} | {status}")
    return "\n".join(lines)


def render_markdown(sections: list[Section]) -> str:
    out = []
    for section in sections:
        out.append(f"**{section.title}**\n")
        out.append("| figure | " + " | ".join(section.columns) + " | goal | met |")
        out.append("|---" * (len(section.columns) + 3) + "|")
        for row in section.rows:
            cells = row.cells + [""] * (len(section.columns) - len(row.cells))
            status = "" if row.met is None else ("met" if row.met else "**not met**")
            out.append(f"| {row.label} | " + " | ".join(cells) + f" | {row.goal} | {status} |")
        out.append("")
    return "\n".join(out)
