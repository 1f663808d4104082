"""Textual widgets of smstui: each shows data and posts what the user wants, never does I/O."""
