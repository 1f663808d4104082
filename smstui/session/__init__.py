"""The inbox as a headless session over the store: commands in, frozen events out (no Textual)."""
