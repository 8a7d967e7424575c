"""The Merkle tree of RFC 6962 (Certificate Transparency; RFC 9162 §2.1): tree hashes, inclusion
and consistency proofs, and their verification.

The audit log (issue 5) commits to every record with this tree, so that an inspector can check one
record (inclusion) or that a later checkpoint extends an earlier one (consistency) without the
whole log. Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 and is checked against the
transparency-dev test vectors (tests/unit/test_merkle.py). Pure functions; no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof that does not verify, with what is wrong."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH of the leaf hashes ``leaves`` (RFC 6962 §2.1)."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    while len(level) > 1:  # pairwise from the left; an odd last node rises as it is
        pairs = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            pairs.append(level[-1])
        level = pairs
    return level[0]


RangeHash = Callable[[int, int], bytes]  # MTH of the leaves [lo, hi)


def range_hasher(leaves: Sequence[bytes]) -> RangeHash:
    """MTH of any range of an in-memory list of leaf hashes."""
    return lambda lo, hi: root(leaves[lo:hi])


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D[n]) of RFC 6962 §2.1.1."""
    return inclusion_path(range_hasher(leaves), len(leaves), index)


def inclusion_path(mth: RangeHash, size: int, index: int) -> list[bytes]:
    """PATH(index, D[size]) from a function giving the hash of a range of leaves: the log gives one
    that reads stored subtree hashes, so a proof costs O(log n) reads, not the whole log."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size}")
    path: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            path.append(mth(lo + k, hi))
            hi = lo + k
        else:
            path.append(mth(lo, lo + k))
            lo += k
    path.reverse()  # RFC 6962 lists the path from the leaf up
    return path


def consistency_proof(leaves: Sequence[bytes], size1: int) -> list[bytes]:
    """PROOF(size1, D[n]) of RFC 6962 §2.1.2, for n = len(leaves)."""
    return consistency_path(range_hasher(leaves), len(leaves), size1)


def consistency_path(mth: RangeHash, size: int, size1: int) -> list[bytes]:
    """PROOF(size1, D[size]) from a function giving the hash of a range of leaves."""
    if not 0 < size1 <= size:
        raise ProofError(f"no consistency proof from size {size1} to {size}")
    path: list[bytes] = []
    lo, hi, m, whole = 0, size, size1, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            path.append(mth(lo + k, hi))
            hi = lo + k
        else:
            path.append(mth(lo, lo + k))
            lo, m, whole = lo + k, m - k, False
    if not whole:
        path.append(mth(lo, hi))
    path.reverse()
    return path


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} has {len(value)} bytes, not {HASH_SIZE}")


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows ``leaf`` at ``index`` of the tree of
    ``size`` leaves whose root is ``expected_root`` (RFC 9162 §2.1.3.2)."""
    _check_hash(leaf, "the leaf hash")
    _check_hash(expected_root, "the root")
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        _check_hash(p, "a proof hash")
        if sn == 0:
            raise ProofError("the proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is deep")
    if r != expected_root:
        raise ProofError("the proof leads to another root")


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows that the tree of ``size2`` leaves and root
    ``root2`` extends the tree of ``size1`` leaves and root ``root1`` (RFC 9162 §2.1.4.2)."""
    if size1 > size2:
        raise ProofError(f"the first tree ({size1}) is larger than the second ({size2})")
    if size1 == 0:
        raise ProofError("a proof from the empty tree proves nothing; start from a checkpoint with records")
    if size1 == size2:
        if proof:
            raise ProofError("trees of the same size need an empty proof")
        if root1 != root2:
            raise ProofError("trees of the same size with different roots")
        return
    if not proof:
        raise ProofError("the proof is empty")
    _check_hash(root1, "the first root")
    _check_hash(root2, "the second root")
    for p in proof:
        _check_hash(p, "a proof hash")
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # the first tree is a complete subtree: its root starts the path
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than the trees are deep")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than the trees are deep")
    if fr != root1:
        raise ProofError("the proof does not lead to the first root")
    if sr != root2:
        raise ProofError("the proof does not lead to the second root")
