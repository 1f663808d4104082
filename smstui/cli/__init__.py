"""The ``smstui`` command: argument parsing, the scripting subcommands and ``smstui serve``.

The top layer. Importing this package loads nothing; :mod:`smstui.cli.main` is the entry point,
:mod:`smstui.cli.parser` adds the subcommands and :func:`smstui.cli.runner.run_command` runs one.
"""
