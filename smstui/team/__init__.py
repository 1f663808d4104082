"""Team mode: several operators' processes on one PostgreSQL store (issue 12).

- :mod:`smstui.team.changes`: what a store write announces (``NOTIFY`` channel and payload).
- :mod:`smstui.team.notify`: the listener that delivers those announcements.
- :mod:`smstui.team.leader`: the election of the one process per account that reads the
  gateway.

:mod:`smstui.sync.team` joins them to the sync engine.
"""
