"""What auditors read: the event log as stored, its integrity chain, history and provenance."""
