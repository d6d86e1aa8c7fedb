"""Ports: typing.Protocol interfaces the core depends on. Standard library only."""
