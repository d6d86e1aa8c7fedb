"""Composition root: settings, container, app factory, CLI."""
