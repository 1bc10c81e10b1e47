"""The vectorised reader (the `fast` extra): placeholder until measured."""

from __future__ import annotations


def read(path, counts, sli, columns, parquet):
    return None
