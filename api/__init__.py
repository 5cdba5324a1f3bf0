"""The entry points: the command line now, the HTTP API next."""
