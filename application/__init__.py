"""The eventsourcing Application: commands, queries and the checks that span aggregates."""
