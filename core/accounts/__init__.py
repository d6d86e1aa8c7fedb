"""Accounts: identity, authentication, profiles, organizations, settings, portfolio."""
