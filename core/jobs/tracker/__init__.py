"""The personal application tracker (issue 25)."""
