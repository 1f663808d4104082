"""The machine around the app: paths, settings, keyring, logs, opener, clipboard, notifications.

No Textual. Imports only :mod:`smstui.domain`.
"""
