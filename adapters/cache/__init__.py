"""Read caches: in process (bounded LRU) and shared through Redis."""
