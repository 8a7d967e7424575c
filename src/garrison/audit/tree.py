"""The log's Merkle tree over stored hashes: the right edge kept in memory, any range read back.

:class:`Edge` is the compact range of a tree of ``size`` leaves: the roots of its perfect subtrees,
largest first (one per set bit of ``size``). Appending a leaf merges equal subtrees and returns the
hashes it completed, which the store keeps with the leaf's record. :func:`range_hash` rebuilds the
hash of any range of leaves from those stored subtrees in O(log n) reads, so roots and proofs never
need the whole log.
"""

from __future__ import annotations

from collections.abc import Callable

from garrison.audit.merkle import EMPTY_ROOT, node_hash

NodeReader = Callable[[int, int], bytes]  # (level, index) -> stored hash of that perfect subtree


class Edge:
    __slots__ = ("hashes", "levels", "size")

    def __init__(self, size: int = 0, levels: list[int] | None = None, hashes: list[bytes] | None = None) -> None:
        self.size = size
        self.levels = levels or []
        self.hashes = hashes or []

    @classmethod
    def load(cls, size: int, node: NodeReader) -> Edge:
        """The edge of the stored tree of ``size`` leaves."""
        levels, hashes, pos = [], [], 0
        for level in range(size.bit_length() - 1, -1, -1):
            if size >> level & 1:
                levels.append(level)
                hashes.append(node(level, pos >> level))
                pos += 1 << level
        return cls(size, levels, hashes)

    def copy(self) -> Edge:
        return Edge(self.size, list(self.levels), list(self.hashes))

    def push(self, leaf: bytes) -> list[bytes]:
        """Append a leaf hash; return the subtree hashes it completed, level 1 upward."""
        levels, hashes = self.levels, self.hashes
        levels.append(0)
        hashes.append(leaf)
        done: list[bytes] = []
        while len(levels) > 1 and levels[-1] == levels[-2]:
            right = hashes.pop()
            level = levels.pop()
            merged = node_hash(hashes[-1], right)
            hashes[-1] = merged
            levels[-1] = level + 1
            done.append(merged)
        self.size += 1
        return done

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        value = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            value = node_hash(left, value)
        return value


def range_hash(node: NodeReader, lo: int, hi: int) -> bytes:
    """MTH of leaves [lo, hi) of the stored tree (ranges that RFC 6962 proofs ask for: ``lo`` is
    aligned to the largest power of two below ``hi - lo``)."""
    n = hi - lo
    if n <= 0:
        return EMPTY_ROOT
    if n & (n - 1) == 0 and lo % n == 0:
        level = n.bit_length() - 1
        return node(level, lo >> level)
    k = 1 << ((n - 1).bit_length() - 1)
    return node_hash(range_hash(node, lo, lo + k), range_hash(node, lo + k, hi))
