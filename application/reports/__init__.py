"""Governance reports computed from the aggregates' events: who sat where, and when."""
