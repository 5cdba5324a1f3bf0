"""Read models: projections of the event log into views, and the queries that read them."""
