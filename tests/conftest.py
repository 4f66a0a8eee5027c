"""Shared pytest fixtures."""

from httpserver import http_server  # noqa: F401  (a real HTTP server on 127.0.0.1)
