// The health check: the engine answers a query.
RETURN 1 AS ok
