#!/usr/bin/env python3
"""Check a Filières log without Filières: an export, a checkpoint, a proof.

Standard library only, plus the `cryptography` package for the Ed25519
signatures of checkpoints. Nothing here imports the Filières code base: it
re-derives everything from the definitions in docs/integrity.md.

    python verify_offline.py export LOG.jsonl [--checkpoint CP --public-key PEM]
    python verify_offline.py checkpoint CP --public-key PEM
    python verify_offline.py inclusion PROOF.json --checkpoint CP --public-key PEM [--event E.json]
    python verify_offline.py consistency PROOF.json --old CP1 --new CP2 --public-key PEM

`export` re-derives every line's content hash and chain hash (the linear
chain), its tree content hash from its data and salts, and the Merkle root;
given a checkpoint, the root at the checkpoint's size must be the signed one.
`inclusion` checks an answer of GET /audit/proofs/inclusion against a signed
checkpoint (and, given the event as the export or GET /audit/events shows
it, that the proof is about that event); `consistency` checks an answer of
GET /audit/proofs/consistency between two signed checkpoints.
Exit status 0 when everything holds, 1 otherwise (the reason is printed).
"""

import argparse
import base64
import hashlib
import json
import sys

FIELDS = ("aggregate_id", "version", "topic", "effective_on", "recorded_at", "metadata", "data")
GENESIS = "0" * 64
EMPTY_ROOT = hashlib.sha256(b"").digest()


class Failed(Exception):
    """A check that does not hold; its message says which and where."""


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


# The tree content hash: each personal value replaced by {"salted_sha256": SHA-256(salt ‖ value)}
def tree_content_hash(content, salts, erased=None):
    for pointer, salt in salts.items():
        holder, key = locate(content, pointer)
        committed = sha256_hex(bytes.fromhex(salt) + canonical(holder[key]))
        holder[key] = {"salted_sha256": committed}
    for pointer, committed in (erased or {}).items():
        holder, key = locate(content, pointer)
        holder[key] = {"salted_sha256": committed}
    return sha256_hex(canonical(content))


def locate(document, pointer):
    """The container and key of a JSON Pointer (RFC 6901)."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    node = document
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    key = int(tokens[-1]) if isinstance(node, list) else tokens[-1]
    node[key]  # a pointer to nothing raises KeyError or IndexError here
    return node, key


# RFC 9162 §2.1: leaves, nodes, roots and the two verification algorithms
def leaf_hash(content_hash):
    return hashlib.sha256(b"\x00" + content_hash).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


class Tree:
    """The roots of the complete subtrees of the leaves so far: enough for the root."""

    def __init__(self):
        self.size, self.stack = 0, []

    def append(self, leaf):
        index, current, level = self.size, leaf, 0
        while index >> level & 1:
            current = node_hash(self.stack.pop(), current)
            level += 1
        self.stack.append(current)
        self.size += 1

    def root(self):
        if not self.stack:
            return EMPTY_ROOT
        root = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            root = node_hash(left, root)
        return root


def root_from_inclusion(index, size, leaf, path):
    if not 0 <= index < size:
        raise Failed(f"leaf {index} is not in a tree of {size} leaves")
    fn, sn, current = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            raise Failed("the audit path is longer than the tree is deep")
        if fn & 1 or fn == sn:
            current = node_hash(sibling, current)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            current = node_hash(current, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise Failed("the audit path is shorter than the tree is deep")
    return current


def check_consistency(first, second, first_root, second_root, path):
    if not 0 < first <= second:
        raise Failed(f"no consistency proof from {first} leaves to {second}")
    if first == second:
        if path or first_root != second_root:
            raise Failed("two trees of the same size with different roots")
        return
    proof = [first_root, *path] if first & (first - 1) == 0 else list(path)
    if not proof:
        raise Failed("the consistency proof is empty")
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    old = new = proof[0]
    for step in proof[1:]:
        if sn == 0:
            raise Failed("the consistency proof is too long")
        if fn & 1 or fn == sn:
            old, new = node_hash(step, old), node_hash(step, new)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            new = node_hash(new, step)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or old != first_root:
        raise Failed(f"the proof does not lead to the root of the first {first} events")
    if new != second_root:
        raise Failed(f"the proof does not lead to the root of the {second} events")


# C2SP signed notes and tlog checkpoints, Ed25519 signatures
def open_checkpoint(path, public_key_path):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization

    with open(public_key_path, "rb") as file:
        data = file.read()
    if b"PRIVATE KEY" in data:
        key = serialization.load_pem_private_key(data, password=None).public_key()
    else:
        key = serialization.load_pem_public_key(data)
    raw_key = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    with open(path, encoding="utf-8") as file:
        text = file.read()
    body, separator, lines = text.rpartition("\n\n")
    body += "\n"
    origin, size, root = [*body.split("\n"), "", "", ""][:3]
    if not separator or not size.isdigit() or len(body.split("\n")) != 4:
        raise Failed(f"{path} is not a checkpoint: origin, size, root, blank line, signatures")
    key_id = hashlib.sha256(origin.encode() + b"\n\x01" + raw_key).digest()[:4]
    verified = False
    for line in lines.strip("\n").split("\n"):
        name, _, encoded = line.removeprefix("— ").partition(" ")
        raw = base64.b64decode(encoded)
        if name != origin or raw[:4] != key_id:
            continue  # another key's signature: ignored, as signed notes require
        try:
            key.verify(raw[4:], body.encode())
        except InvalidSignature:
            raise Failed(f"{path}: the signature does not match the checkpoint") from None
        verified = True
    if not verified:
        raise Failed(f"{path}: not signed by this public key (for the log {origin})")
    return origin, int(size), base64.b64decode(root)


# The four checks
def check_export(path, checkpoint):
    previous, count, tree, root_at = GENESIS, 0, Tree(), None
    wanted = checkpoint[1] if checkpoint else None
    with open(path, encoding="utf-8") as export:
        for line in export:
            event = json.loads(line)
            position = event["position"]
            content = {field: event[field] for field in FIELDS}
            content_hash = sha256_hex(canonical(content))
            if content_hash != event["content_hash"]:
                raise Failed(f"BROKEN at position {position}: its content is not what was hashed")
            if sha256_hex((previous + content_hash).encode()) != event["hash"]:
                raise Failed(f"BROKEN at position {position}: it does not follow the line before")
            previous, count = event["hash"], count + 1
            try:
                derived = tree_content_hash(
                    content, event.get("personal_salts") or {}, event.get("erased")
                )
            except (KeyError, IndexError, ValueError):
                derived = None
            if derived is None or derived != event.get("tree_content_hash"):
                raise Failed(f"BROKEN at position {position}: its tree content hash differs")
            if event.get("leaf_index") != tree.size:
                raise Failed(f"BROKEN at position {position}: it is not leaf {tree.size}")
            tree.append(leaf_hash(bytes.fromhex(derived)))
            if tree.size == wanted:
                root_at = tree.root()
    print(f"OK {count} events, head {previous}")
    print(f"tree {tree.size} leaves, root {tree.root().hex()}")
    if checkpoint is not None:
        origin, size, root = checkpoint
        if size == 0:
            root_at = EMPTY_ROOT
        if root_at is None:
            raise Failed(f"the export holds {tree.size} events, the checkpoint signed {size}")
        if root_at != root:
            raise Failed(f"the first {size} events are not those the checkpoint signed")
        print(f"checkpoint {origin} at {size} events: held")


def check_inclusion(proof, checkpoint, event):
    origin, size, root = checkpoint
    if proof["tree_size"] != size:
        raise Failed(f"the proof is for a tree of {proof['tree_size']}, the checkpoint {size}")
    content_hash = bytes.fromhex(proof["tree_content_hash"])
    if leaf_hash(content_hash).hex() != proof["leaf_hash"]:
        raise Failed("the leaf hash is not SHA-256(0x00 ‖ the tree content hash)")
    if event is not None:
        content = {field: event[field] for field in FIELDS}
        derived = tree_content_hash(content, event.get("personal_salts") or {}, event.get("erased"))
        if derived != proof["tree_content_hash"] or event["position"] != proof["position"]:
            raise Failed(f"the event at position {event['position']} is not the one proven")
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    if root_from_inclusion(proof["leaf_index"], size, leaf_hash(content_hash), path) != root:
        raise Failed(f"the event is not in the tree the checkpoint of {size} events signed")
    print(f"OK position {proof['position']} is leaf {proof['leaf_index']} of {origin} at {size}")


def check_consistency_proof(proof, old, new):
    if old[0] != new[0]:
        raise Failed(f"the checkpoints are of two logs: {old[0]} and {new[0]}")
    if (proof["first"], proof["second"]) != (old[1], new[1]):
        raise Failed("the proof is not between the two checkpoints' sizes")
    path = [bytes.fromhex(h) for h in proof["consistency_path"]]
    check_consistency(old[1], new[1], old[2], new[2], path)
    print(f"OK the log of {new[1]} events extends the one of {old[1]} ({new[0]})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export")
    export.add_argument("file")
    export.add_argument("--checkpoint")
    export.add_argument("--public-key")
    checkpoint = commands.add_parser("checkpoint")
    checkpoint.add_argument("file")
    checkpoint.add_argument("--public-key", required=True)
    inclusion = commands.add_parser("inclusion")
    inclusion.add_argument("proof")
    inclusion.add_argument("--checkpoint", required=True)
    inclusion.add_argument("--public-key", required=True)
    inclusion.add_argument("--event")
    consistency = commands.add_parser("consistency")
    consistency.add_argument("proof")
    consistency.add_argument("--old", required=True)
    consistency.add_argument("--new", required=True)
    consistency.add_argument("--public-key", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            if args.checkpoint and not args.public_key:
                parser.error("--checkpoint needs --public-key")
            signed = open_checkpoint(args.checkpoint, args.public_key) if args.checkpoint else None
            check_export(args.file, signed)
        elif args.command == "checkpoint":
            origin, size, root = open_checkpoint(args.file, args.public_key)
            print(f"OK {origin}: {size} events, root {root.hex()}")
        elif args.command == "inclusion":
            event = load_json(args.event) if args.event else None
            signed = open_checkpoint(args.checkpoint, args.public_key)
            check_inclusion(load_json(args.proof), signed, event)
        else:
            old = open_checkpoint(args.old, args.public_key)
            new = open_checkpoint(args.new, args.public_key)
            check_consistency_proof(load_json(args.proof), old, new)
    except Failed as failure:
        print(failure)
        return 1
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"FAILED: {type(error).__name__}: {error}")
        return 1
    return 0


def load_json(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


if __name__ == "__main__":
    sys.exit(main())
