"""Notifications endpoints."""
