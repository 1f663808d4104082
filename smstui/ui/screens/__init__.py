"""Full screens and modal panels: inbox, sign-in, help and attachments.

Screens own the workers and talk to the API client; the widgets they contain only display data
and post messages saying what the user wants.
"""
