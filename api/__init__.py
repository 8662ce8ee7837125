"""The Flask HTTP API and web page over the graph and the image models: `create_app`."""

from api.app import create_app

__all__ = ["create_app"]
