"""Background tasks: handlers by name, the runner that claims and runs them, and the scheduler."""
