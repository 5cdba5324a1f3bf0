"""Persistence, transcoding and the token store, plugged in by configuration."""
