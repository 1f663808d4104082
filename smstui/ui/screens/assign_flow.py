"""Assignment in team mode: ``a`` gives a conversation to an operator; the list shows who.

Who looks after which conversation lives in the team's ``assignments`` table
(:class:`~smstui.store.team_board.OperatorBoard`); every change is announced on the account's
channel, and every app then reads the table again (it is small: one row per assigned
conversation), so all operators see a change within a second. The list shows the name on a
row's second line ("→ Anna"); ``@me`` typed in the ``/`` filter keeps only this operator's
conversations (``@anna``: Anna's), so the filter that is already there does it, and its
placeholder says so in team mode.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from smstui.domain.phones import display_number
from smstui.domain.sanitize import clean_line
from smstui.ui.screens.assign import AssignScreen
from smstui.ui.screens.inbox_parts import InboxParts

if TYPE_CHECKING:  # the PostgreSQL driver loads only in a team (smstui[team])
    from smstui.store.team_board import OperatorBoard

__all__ = ["FILTER_HINT", "AssignFlow"]

FILTER_HINT = "Filter by name or number; @me: assigned to me"
"""The filter's placeholder in team mode."""


class AssignFlow:
    """Reads and writes the team's assignments; asks who should look after a conversation.

    The list of who looks after what is the session's; this flow talks to the team's board.

    Args:
        screen: The inbox screen, as its helpers see it.
        board: The team's board (None outside team mode: everything here is then inert).
        operator: This operator's name.
        seen: The other operators heard from lately (presence), for the dialog.
    """

    def __init__(
        self,
        screen: InboxParts,
        board: OperatorBoard | None,
        operator: str,
        seen: Callable[[], Sequence[str]],
    ) -> None:
        self._screen = screen
        self._board = board
        self.operator = operator
        self._seen = seen

    def reload(self) -> None:
        """Read the assignments again (at start, and when another operator changed one)."""
        board = self._board
        if board is None:
            return

        async def load() -> None:
            found = await asyncio.to_thread(board.assignments)
            if found is None:
                return
            self._screen.session.assignments_loaded(
                {key: clean_line(name) for key, name in found.items()}
            )

        self._screen.run_worker(load(), name="assignments", group="team", exit_on_error=False)

    def ask(self) -> None:
        """``a``: ask who should look after the highlighted (or open) conversation."""
        screen, board = self._screen, self._board
        if screen.conversation_list.has_focus or screen.thread is None:
            key = screen.conversation_list.highlighted_key
        else:
            key = screen.thread.key
        if board is None or key is None:
            screen.app.bell()
            return
        summary = screen.session.summary(key)
        title = clean_line(summary.name) if summary and summary.name else display_number(key)

        async def ask() -> None:
            known = await asyncio.to_thread(board.operators)
            assignees = screen.session.assignees
            others = {clean_line(name) for name in (*known, *self._seen())}
            others |= set(assignees.values())
            dialog = AssignScreen(
                title, me=self.operator, others=others, current=assignees.get(key, "")
            )
            screen.app.push_screen(dialog, lambda chosen: self._chosen(key, chosen))

        screen.run_worker(ask(), name="assign", group="team", exit_on_error=False)

    def _chosen(self, key: str, chosen: str | None) -> None:
        board = self._board
        if chosen is None or board is None:
            return
        self._screen.session.assign(key, chosen)  # at once here; the others when told
        operator = self.operator
        self._screen.run_worker(
            asyncio.to_thread(board.assign, key, chosen, operator),
            name="assign",
            group="team",
            exit_on_error=False,
        )
