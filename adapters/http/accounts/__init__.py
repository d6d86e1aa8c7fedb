"""Accounts HTTP: authentication, corporate accounts, organization members."""
