"""Shared kernel: errors, events, pagination, value types."""
