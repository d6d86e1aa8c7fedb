"""Vaults: mentors' earnings ledger and withdrawals."""
