"""Errors that reach users: each says what went wrong and where, never a bare traceback."""


class GraphkitError(Exception):
    """Base class: the CLI prints the message and exits non-zero."""

    exit_code = 1


class ConfigError(GraphkitError):
    """A setting is missing or malformed."""

    exit_code = 2


class GraphUnavailable(GraphkitError):
    """The configured graph cannot be reached, or refused the credentials."""

    exit_code = 3


class QueryError(GraphkitError):
    """A Cypher query failed, or a query name does not exist."""

    exit_code = 4


class SourceError(GraphkitError):
    """A source file is missing, unreadable or lacks a required column."""

    exit_code = 5


class AnalyticsError(GraphkitError):
    """Graph analytics cannot run (nothing to analyse, an unwritable output directory)."""

    exit_code = 6


class DatasetError(GraphkitError):
    """A dataset cannot be built as asked (bad arguments, nothing matches) or does not exist."""

    exit_code = 7


class ModelError(GraphkitError):
    """A model directory is missing, tampered with (sha256 mismatch), of another kind or
    backbone, or lists the wrong classes."""

    exit_code = 8


class ImageError(GraphkitError):
    """An image is missing, corrupt, truncated, empty, not an image, or too large."""

    exit_code = 9


class ReviewError(GraphkitError):
    """A review cannot be recorded: nothing to review, or a label no model there knows."""

    exit_code = 10


class QueryTimeout(GraphkitError):
    """A query ran past the configured time limit (GRAPHKIT_QUERY_TIMEOUT) and was stopped."""

    exit_code = 11
