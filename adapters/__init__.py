"""Adapters: implementations of ports (driven) and the HTTP/WS entrypoints (driving)."""
