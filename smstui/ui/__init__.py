"""The Textual app: screens compose widgets, forward their messages and draw what the session says.

The only package that imports Textual or Rich.
"""
