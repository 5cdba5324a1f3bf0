"""The Merkle tree's arithmetic against RFC 9162's definitions and the CT test vectors.

The reference below transcribes RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 as
they are written (recursion over lists of leaves); the module under test
computes the same from stored complete subtrees. The vectors are the
Certificate Transparency reference implementation's eight-leaf test set, the
answers every RFC 6962/9162 log agrees on.
"""

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application.audit.merkle import (
    EMPTY_ROOT,
    Frontier,
    Node,
    consistency_ranges,
    hashes_of,
    inclusion_ranges,
    leaf_hash,
    nodes_of,
    range_nodes,
    root_from_inclusion,
    verify_consistency,
    verify_inclusion,
)

# The CT test leaves (entries, not hashes), and MTH of their first n for n = 0..8.
CT_ENTRIES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip
CT_CONSISTENCY = [
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip


# RFC 9162 §2.1, as written: D is a list of entries, hashed at the leaves.
def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def k_of(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    if not d:
        return sha(b"")
    if len(d) == 1:
        return sha(b"\x00" + d[0])
    k = k_of(len(d))
    return sha(b"\x01" + mth(d[:k]) + mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = k_of(len(d))
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = k_of(n)
    if m <= k:
        return [*subproof(m, d[:k], b), mth(d[k:])]
    return [*subproof(m - k, d[k:], False), mth(d[:k])]


def stored_tree(entries: list[bytes]) -> tuple[Frontier, dict[Node, bytes], list[bytes]]:
    """The nodes the store keeps for these entries, built by appending as the recorder does."""
    frontier = Frontier()
    nodes: dict[Node, bytes] = {}
    roots = [frontier.root()]
    for index, entry in enumerate(entries):
        leaf = sha(b"\x00" + entry)
        nodes[Node(0, index)] = leaf
        nodes.update(frontier.append(leaf))
        roots.append(frontier.root())
    return frontier, nodes, roots


def root_at(size: int, nodes: dict[Node, bytes]) -> bytes:
    return hashes_of([(0, size)], nodes)[0] if size else EMPTY_ROOT


def entries_of(n: int) -> list[bytes]:
    return [f"event {i}".encode() for i in range(n)]


def test_the_ct_vectors_roots_inclusion_and_consistency():
    _, nodes, roots = stored_tree(CT_ENTRIES)
    assert [r.hex() for r in roots] == CT_ROOTS
    assert [root_at(n, nodes).hex() for n in range(9)] == CT_ROOTS
    assert EMPTY_ROOT.hex() == CT_ROOTS[0]
    for index, size, expected in CT_INCLUSION:
        proof = hashes_of(inclusion_ranges(index, size), nodes)
        assert [h.hex() for h in proof] == expected
        assert [h.hex() for h in path(index, CT_ENTRIES[:size])] == expected
        leaf = leaf_hash(CT_ENTRIES[index])
        assert verify_inclusion(index, size, leaf, proof, bytes.fromhex(CT_ROOTS[size]))
    for first, second, expected in CT_CONSISTENCY:
        proof = hashes_of(consistency_ranges(first, second), nodes)
        assert [h.hex() for h in proof] == expected
        assert [h.hex() for h in subproof(first, CT_ENTRIES[:second], True)] == expected
        old, new = bytes.fromhex(CT_ROOTS[first]), bytes.fromhex(CT_ROOTS[second])
        assert verify_consistency(first, second, old, new, proof)


@given(st.integers(min_value=1, max_value=300), st.data())
def test_roots_and_proofs_equal_the_rfc_definitions_at_random_sizes(size, data):
    entries = entries_of(size)
    frontier, nodes, roots = stored_tree(entries)
    assert frontier.size == size and len(frontier.hashes) == size.bit_count()
    index = data.draw(st.integers(min_value=0, max_value=size - 1), label="leaf")
    tree = data.draw(st.integers(min_value=index + 1, max_value=size), label="tree size")
    first = data.draw(st.integers(min_value=1, max_value=tree), label="first")

    assert roots[tree] == root_at(tree, nodes) == mth(entries[:tree])
    inclusion = hashes_of(inclusion_ranges(index, tree), nodes)
    assert inclusion == path(index, entries[:tree])
    consistency = hashes_of(consistency_ranges(first, tree), nodes)
    assert consistency == subproof(first, entries[:tree], True)
    # Each proof reads O(log n) stored nodes, never the leaves it does not need.
    assert len(nodes_of(inclusion_ranges(index, tree))) <= 2 * tree.bit_length()
    assert len(nodes_of(consistency_ranges(first, tree))) <= 2 * tree.bit_length()

    leaf = leaf_hash(entries[index])
    assert verify_inclusion(index, tree, leaf, inclusion, roots[tree])
    assert verify_consistency(first, tree, roots[first], roots[tree], consistency)
    # A wrong leaf, root, index or path fails.
    other = leaf_hash(b"forged")
    assert not verify_inclusion(index, tree, other, inclusion, roots[tree])
    if tree > 1:
        assert not verify_inclusion((index + 1) % tree, tree, leaf, inclusion, roots[tree])
        assert not verify_inclusion(index, tree, leaf, inclusion[:-1], roots[tree])
    if first < tree:
        forged_root = mth([*entries[: first - 1], b"forged"])
        assert not verify_consistency(first, tree, forged_root, roots[tree], consistency)
        assert not verify_consistency(first, tree, roots[first], roots[tree], consistency[:-1])


def test_every_proof_in_small_trees_verifies_and_a_flipped_bit_fails():
    entries = entries_of(33)
    _, nodes, roots = stored_tree(entries)
    for size in range(1, 34):
        for index in range(size):
            proof = hashes_of(inclusion_ranges(index, size), nodes)
            leaf = leaf_hash(entries[index])
            assert root_from_inclusion(index, size, leaf, proof) == roots[size]
            for at in range(len(proof)):
                flipped = [*proof]
                flipped[at] = bytes([flipped[at][0] ^ 1]) + flipped[at][1:]
                assert not verify_inclusion(index, size, leaf, flipped, roots[size])
        for first in range(1, size + 1):
            proof = hashes_of(consistency_ranges(first, size), nodes)
            assert verify_consistency(first, size, roots[first], roots[size], proof)
            if proof:
                assert not verify_consistency(first, size, roots[first], roots[size], proof[1:])


def test_refusals_of_sizes_that_are_no_proof():
    with pytest.raises(ValueError):
        inclusion_ranges(3, 3)
    with pytest.raises(ValueError):
        consistency_ranges(0, 3)
    with pytest.raises(ValueError):
        consistency_ranges(4, 3)
    with pytest.raises(ValueError):
        range_nodes(1, 3)  # not a range the recursion makes
    assert not verify_inclusion(0, 0, EMPTY_ROOT, [], EMPTY_ROOT)
    assert not verify_consistency(0, 3, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(3, 3, b"r" * 32, b"r" * 32, [])
    assert not verify_consistency(3, 3, b"r" * 32, b"s" * 32, [])
    assert not verify_inclusion(0, 2, b"x" * 32, [b"short"], b"r" * 32)
