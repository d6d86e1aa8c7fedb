"""Accounts domain model."""
