"""The Flask HTTP API and web page (to come)."""
