"""Feed domain model: posts, comments, the social graph, read views and events."""
