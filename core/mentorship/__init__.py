"""Mentorship: mentor discovery, sessions with one status machine, and payment orchestration."""
