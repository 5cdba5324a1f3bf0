"""The projections' views as SQL tables (SQLAlchemy Core), each a tracking recorder."""
