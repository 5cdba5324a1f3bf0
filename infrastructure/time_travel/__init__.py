"""Time travel over the views: historical events, scratch views and their snapshots."""
