"""Pure rules and models: numbers, segments, accents, time formats, delivery states, conversations.

No I/O and no Textual: everything here is a function of its arguments (clocks are passed in).
The lowest layer; every other package may import it, it imports none of them.
"""
