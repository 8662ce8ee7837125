"""Duplicate images: exact (same sha256) and near (perceptual hashes a few bits apart).

Duplicates are grouped so that a group never straddles splits; an image that carries two
different labels is dropped altogether, since neither label can be trusted.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from itertools import pairwise

import numpy as np
import pandas as pd

# imagehash.phash is 64 bits. On the WikiArt images pairs <= 4 bits apart were the same
# painting (re-scans, crops, copies filed under two styles); at 6 bits different paintings
# by different artists start to appear, so 4 is the largest safe threshold.
NEAR_DUPLICATE_BITS = 4


class UnionFind:
    """Disjoint sets over 0..n-1, joined by index."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:  # path compression
            self.parent[i], i = root, self.parent[i]
        return int(root)

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            # The smaller index wins, so the result does not depend on the order of unions.
            self.parent[max(ri, rj)] = min(ri, rj)

    def union_by_key(self, keys: Iterable[Hashable | None]) -> None:
        """Join every pair of indices that share a (non-null) key."""
        first: dict[Hashable, int] = {}
        for i, key in enumerate(keys):
            if key is None or (isinstance(key, float) and np.isnan(key)):
                continue
            if key in first:
                self.union(first[key], i)
            else:
                first[key] = i

    def labels(self) -> np.ndarray:
        """Each index's set, as the smallest index in it."""
        return np.array([self.find(i) for i in range(len(self.parent))], dtype=np.int64)


def phash_ints(hashes: Iterable[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """(indices with a hash, their 64-bit values)."""
    idx, values = [], []
    for i, text in enumerate(hashes):
        if isinstance(text, str) and text:
            try:
                values.append(int(text, 16))
            except ValueError:
                continue
            idx.append(i)
    return np.array(idx, dtype=np.int64), np.array(values, dtype=np.uint64)


def near_duplicate_pairs(
    hashes: Iterable[str | None], max_bits: int = NEAR_DUPLICATE_BITS
) -> list[tuple[int, int]]:
    """Index pairs whose perceptual hashes differ in at most MAX_BITS bits, i < j, sorted.

    Pigeonhole: split the 64 bits into max_bits + 1 chunks; two hashes that close agree
    exactly on at least one chunk, so only hashes sharing a chunk value are compared.
    """
    idx, values = phash_ints(hashes)
    if len(idx) < 2:
        return []
    bounds = np.linspace(0, 64, max_bits + 2).astype(int)
    candidates: set[tuple[int, int]] = set()
    for lo, hi in pairwise(bounds):
        mask = np.uint64((1 << int(hi - lo)) - 1)
        chunk = (values >> np.uint64(lo)) & mask
        order = np.argsort(chunk, kind="stable")
        sorted_chunk = chunk[order]
        starts = np.flatnonzero(np.r_[True, sorted_chunk[1:] != sorted_chunk[:-1]])
        ends = np.r_[starts[1:], len(order)]
        for s, e in zip(starts, ends, strict=True):
            if e - s < 2:
                continue
            members = order[s:e]
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    i, j = int(members[a]), int(members[b])
                    candidates.add((min(i, j), max(i, j)))
    pairs = []
    for i, j in sorted(candidates):
        if int(values[i] ^ values[j]).bit_count() <= max_bits:
            pairs.append((int(idx[i]), int(idx[j])))
    return sorted(pairs)


def _image_key(rows: pd.DataFrame) -> pd.Series:
    """An image is its file's sha256 and, for a tile of a generated grid, its crop box: the
    four tiles of one file are four images (a review may label one of them otherwise)."""
    if "crop" not in rows:
        return rows["image_sha256"]
    return rows["image_sha256"] + "#" + rows["crop"].fillna("")


def label_conflicts(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """Drop every row whose image (sha256, and tile) is labelled with more than one movement.

    Returns the kept rows and one report entry per conflicting image.
    """
    with_hash = rows[rows["image_sha256"].notna()].assign(key=_image_key)
    labels_per_key = with_hash.groupby("key")["label"].nunique()
    bad = set(labels_per_key[labels_per_key > 1].index)
    conflicting = with_hash[with_hash["key"].isin(bad)]
    report = [
        {
            "image_sha256": group["image_sha256"].iloc[0],
            "labels": sorted(set(group["label"])),
            "artwork_ids": sorted(group["artwork_id"]),
        }
        for _, group in conflicting.groupby("key", sort=True)
    ]
    kept = rows.drop(index=conflicting.index).reset_index(drop=True)
    return kept, report


def split_groups(
    rows: pd.DataFrame,
    max_bits: int = NEAR_DUPLICATE_BITS,
    same_artists: list[tuple[str, str]] | None = None,
) -> tuple[np.ndarray, dict[str, int]]:
    """One group number per row: rows sharing an artist, an image (sha256) or a near-identical
    image (phash) end up in the same group, transitively; so do the rows of two artists that
    may be one person (SAME_ARTISTS: POSSIBLY_SAME pairs still open). Also returns duplicate
    counts."""
    uf = UnionFind(len(rows))
    uf.union_by_key(rows["image_sha256"])
    hashed = rows["image_sha256"].dropna()
    exact = int(len(hashed) - hashed.nunique())  # rows that repeat an earlier row's image
    near = near_duplicate_pairs(rows["image_phash"], max_bits)
    for i, j in near:
        uf.union(i, j)
    # Artists: join each row with the first row of each of its artists.
    first_of_artist: dict[str, int] = {}
    for i, ids in enumerate(rows["artist_ids"]):
        for artist in ids:
            if artist in first_of_artist:
                uf.union(first_of_artist[artist], i)
            else:
                first_of_artist[artist] = i
    for one, other in same_artists or []:
        if one in first_of_artist and other in first_of_artist:
            uf.union(first_of_artist[one], first_of_artist[other])
    stats = {"exact_duplicate_rows": exact, "near_duplicate_pairs": len(near)}
    return uf.labels(), stats
