"""The scripting commands: send, conversations, show, search, unread, export and watch.

Pure (no Textual): they use the same credentials, config, API client and local message store
as the terminal app, and print human tables or JSON (see the README's "Command line" section).
Importing this package loads nothing; :mod:`smstui.commands.parser` adds the subcommands and
:func:`smstui.commands.runner.run_command` runs one.
"""
