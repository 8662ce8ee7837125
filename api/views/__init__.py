"""One module per group of endpoints, each with its blueprint `bp` and OpenAPI `PATHS`."""
