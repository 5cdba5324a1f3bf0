"""The RFC 9162 (Certificate Transparency 2.0) Merkle tree over the log, as pure arithmetic.

Leaf i is the i-th event in position order; its hash is SHA-256(0x00 ‖ the
event's 32-byte tree content hash), an inner node's SHA-256(0x01 ‖ left ‖ right),
the empty tree's SHA-256 of nothing (RFC 9162 §2.1.1).

The store keeps every node that is the root of a complete subtree: node
(level, number) covers leaves [number·2^level, (number+1)·2^level). Any range
that RFC 9162's recursion splits a tree into is a run of such complete
subtrees, largest first (`range_nodes`), whose hashes fold into the range's
hash (`fold`). So the root at any size and each proof read O(log n) stored
nodes: this module says which, and computes from them; the storage is in
`infrastructure/merkle_tree.py`.
"""

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""MTH({}): the root of the tree of no leaves."""
HASH_SIZE = 32


class Node(NamedTuple):
    """A complete subtree: leaves [number << level, (number + 1) << level)."""

    level: int
    number: int


Range = tuple[int, int]
"""Leaves [start, end) of the log, as RFC 9162 writes D[start:end]."""


def leaf_hash(content_hash: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + content_hash).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def largest_power_below(n: int) -> int:
    """k in RFC 9162: the largest power of two smaller than n (n > 1)."""
    if n < 2:
        raise ValueError(f"a tree of {n} leaves does not split")
    return 1 << ((n - 1).bit_length() - 1)


def range_nodes(start: int, end: int) -> list[Node]:
    """The complete subtrees that make up D[start:end], left to right (largest first).

    Every range RFC 9162's recursion produces starts at a multiple of the
    largest of them; any other range is refused.
    """
    if not 0 <= start <= end:
        raise ValueError(f"no range of leaves [{start}, {end})")
    nodes = []
    at = start
    size = end - start
    for level in reversed(range(size.bit_length())):
        if size >> level & 1:
            if at % (1 << level):
                raise ValueError(f"[{start}, {end}) is not a range of the tree's recursion")
            nodes.append(Node(level, at >> level))
            at += 1 << level
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """MTH of a range from its complete subtrees' hashes, left to right (`range_nodes`)."""
    if not hashes:
        return EMPTY_ROOT
    folded = hashes[-1]
    for left in reversed(hashes[:-1]):
        folded = node_hash(left, folded)
    return folded


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The ranges whose hashes make PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), leaf first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = largest_power_below(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(first: int, second: int) -> list[Range]:
    """The ranges whose hashes make PROOF(first, D[0:second]) (RFC 9162 §2.1.4.1)."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from {first} leaves to {second}")
    ranges: list[Range] = []
    start, end, m, whole = 0, second, first, True
    while m != end - start:
        k = largest_power_below(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
            m -= k
            whole = False
    if not whole:
        ranges.append((start, end))
    return ranges[::-1]


def nodes_of(ranges: Iterable[Range]) -> set[Node]:
    """Every stored node the hashes of `ranges` need."""
    return {node for start, end in ranges for node in range_nodes(start, end)}


def hashes_of(ranges: Iterable[Range], nodes: Mapping[Node, bytes]) -> list[bytes]:
    """The hash of each range, from the stored nodes (`nodes_of` says which)."""
    return [fold([nodes[node] for node in range_nodes(start, end)]) for start, end in ranges]


class Frontier:
    """The roots of the complete subtrees of the first `size` leaves: enough to append.

    Appending a leaf completes the subtrees that end with it; their nodes are
    what the store writes for the leaf, one on average.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != size.bit_count():
            raise ValueError(f"a tree of {size} leaves has {size.bit_count()} complete subtrees")
        self.size = size
        self.hashes = list(hashes)

    @staticmethod
    def nodes(size: int) -> list[Node]:
        """The nodes a frontier of `size` leaves is made of, left to right."""
        return range_nodes(0, size)

    def append(self, leaf: bytes) -> list[tuple[Node, bytes]]:
        """Add the next leaf's hash; the inner nodes it completes, lowest first."""
        index = self.size
        completed: list[tuple[Node, bytes]] = []
        current, level = leaf, 0
        while index >> level & 1:
            current = node_hash(self.hashes.pop(), current)
            level += 1
            completed.append((Node(level, index >> level), current))
        self.hashes.append(current)
        self.size += 1
        return completed

    def root(self) -> bytes:
        return fold(self.hashes)


def root_from_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes | None:
    """The root an inclusion path leads to (RFC 9162 §2.1.3.2), None when it cannot be one."""
    if not 0 <= index < size or any(len(h) != HASH_SIZE for h in path):
        return None
    sides = _sides(index, size - 1, len(path))
    if sides is None:
        return None
    current = leaf
    for sibling, left in zip(path, sides, strict=True):
        current = node_hash(sibling, current) if left else node_hash(current, sibling)
    return current


def verify_inclusion(
    index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes
) -> bool:
    return root_from_inclusion(index, size, leaf, path) == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> bool:
    """Whether `path` proves the tree of `second` leaves extends that of `first` (§2.1.4.2)."""
    if not 0 < first <= second or any(len(h) != HASH_SIZE for h in path):
        return False
    if first == second:
        return not path and first_root == second_root
    proof = [first_root, *path] if not first & (first - 1) else list(path)
    if not proof:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    sides = _sides(fn, sn, len(proof) - 1)
    if sides is None:
        return False
    first_hash = second_hash = proof[0]
    for step, left in zip(proof[1:], sides, strict=True):
        if left:
            first_hash = node_hash(step, first_hash)
            second_hash = node_hash(step, second_hash)
        else:
            second_hash = node_hash(second_hash, step)
    return first_hash == first_root and second_hash == second_root


def _sides(fn: int, sn: int, steps: int) -> list[bool] | None:
    """The walk both verifications take up the tree (RFC 9162 §2.1.3.2, §2.1.4.2): from node
    `fn` of a level whose last node is `sn`, whether each of the proof's `steps` hashes lies on
    the left; None when the proof's length does not fit the tree."""
    sides = []
    for _ in range(steps):
        if sn == 0:
            return None
        left = bool(fn & 1) or fn == sn
        if left:
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        sides.append(left)
        fn >>= 1
        sn >>= 1
    return sides if sn == 0 else None
