"""Notifications: how the facts other domains publish are told to the people they concern (behaviors §8.2).

This domain imports no other domain. Its presenters take facts by shape (the read-only protocols of
``core.notifications.model``), which the events of the feed satisfy structurally; ``bootstrap`` pairs each event
type with its presenter, and mypy checks there that the event has every fact the presenter reads.
"""
