"""One router module per app."""
