"""Reading the gateway into the local store: backfill, catch-up and the store access of the app."""
