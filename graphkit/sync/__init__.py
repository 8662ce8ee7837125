"""`graphkit sync`: bring the graph in line with the sources, cheaply when little changed.

A source whose files hash as they did at its last load is skipped before a row is read
(files.py, state.py); a changed source is read and planned, and each row's content hash is
compared with the one stored on its node or relationship (delta.py), so only added and changed
rows are written; rows the source no longer states are reported and, with --prune, released
and deleted where no other source states them (prune.py). run.py puts it together.
"""
