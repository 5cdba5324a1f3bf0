"""Signed checkpoints of the log: on demand, and written to a directory as the log grows.

With `FILIERES_CHECKPOINT_DIRECTORY`, the server writes
`checkpoint-<tree size, 12 digits>.txt` there after the commit that takes the
tree past a multiple of `FILIERES_CHECKPOINT_EVERY_EVENTS`, and after the
first commit of each day (UTC), in a thread of its own so that no request
waits for it. Before signing, the new tree must extend the last checkpoint in
the directory (a consistency proof against that checkpoint's signed root): a
log truncated or rewritten in the database is refused a signature and the
refusal is logged, as C2SP tlog-checkpoint asks of a log.
"""

import logging
import os
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

from application.audit.checkpoint import Checkpoint, CheckpointError
from application.audit.merkle import verify_consistency
from infrastructure.merkle_store import MerkleTreeStore
from infrastructure.signing import (
    CheckpointSigner,
    SigningKeyError,
    open_signed_checkpoint,
    public_key_pem,
)

logger = logging.getLogger(__name__)

FILE_NAME = re.compile(r"^checkpoint-(\d{12})\.txt$")
HOW_TO_CONFIGURE = (
    "no signing key is configured: run `filieres keys init --directory DIR` on the server,"
    " then set FILIERES_SIGNING_KEY_FILE=DIR/signing-key.pem and restart"
)


class NoSigningKeyError(Exception):
    """Checkpoints need a signing key, and none is configured (or it cannot be read)."""


class InconsistentLogError(Exception):
    """The log no longer extends the last checkpoint signed: it will not be signed again."""


def file_name(size: int) -> str:
    return f"checkpoint-{size:012d}.txt"


class CheckpointService:
    def __init__(
        self,
        tree: MerkleTreeStore,
        signing_key_file: Path | None,
        directory: Path | None = None,
        every_events: int = 1000,
    ) -> None:
        self.tree = tree
        self.signing_key_file = signing_key_file
        self.directory = directory
        self.every_events = every_events
        self._signer: CheckpointSigner | None = None
        self._lock = threading.Lock()
        self._writer: ThreadPoolExecutor | None = None
        self._pending: Future[Path | None] | None = None
        self._next_due = 0
        self._day: date | None = None

    # Signing
    def signer(self) -> CheckpointSigner:
        if self._signer is None:
            if self.signing_key_file is None:
                raise NoSigningKeyError(HOW_TO_CONFIGURE)
            try:
                self._signer = CheckpointSigner.from_file(self.signing_key_file)
            except SigningKeyError as error:
                raise NoSigningKeyError(f"{error}; {HOW_TO_CONFIGURE}") from None
        return self._signer

    def public_key_pem(self) -> str:
        return public_key_pem(self.signer().public_key)

    def sign_current(self) -> str:
        """The log's checkpoint now, signed; refused when it does not extend the last one."""
        signer = self.signer()
        checkpoint = self.tree.checkpoint()
        self._check_extends_last(checkpoint, signer)
        return signer.sign(checkpoint)

    def _check_extends_last(self, checkpoint: Checkpoint, signer: CheckpointSigner) -> None:
        last = self._last_written(signer, checkpoint.origin)
        if last is None:
            return
        if last.size > checkpoint.size:
            extends = False
        elif last.size == checkpoint.size:
            extends = last.root == checkpoint.root
        elif last.size == 0:
            extends = True
        else:
            proof = self.tree.consistency(last.size, checkpoint.size)
            path = [bytes.fromhex(h) for h in proof.consistency_path]
            extends = verify_consistency(
                last.size, checkpoint.size, last.root, checkpoint.root, path
            )
        if not extends:
            message = (
                f"the log ({checkpoint.size} events) no longer extends the checkpoint of"
                f" {last.size} events signed before: it was truncated or rewritten in the"
                " database; no checkpoint is signed until that is resolved"
            )
            logger.error(message)
            raise InconsistentLogError(message)

    def _last_written(self, signer: CheckpointSigner, origin: str) -> Checkpoint | None:
        """The largest checkpoint of this log in the directory (another log's are ignored)."""
        if self.directory is None or not self.directory.is_dir():
            return None
        names = sorted(name for name in os.listdir(self.directory) if FILE_NAME.match(name))
        for name in reversed(names):
            try:
                text = (self.directory / name).read_text(encoding="utf-8")
                found = open_signed_checkpoint(text, signer.public_key)
            except (OSError, CheckpointError) as error:
                logger.warning("checkpoint %s skipped: %s", name, error)
                continue
            if found.origin == origin:
                return found
        return None

    # Writing to the directory
    def write(self) -> Path | None:
        """Sign the current checkpoint into the directory; its path (None when none is set)."""
        if self.directory is None:
            return None
        text = self.sign_current()
        size = int(text.split("\n", 2)[1])
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / file_name(size)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        draft.write_text(text, encoding="utf-8")
        os.replace(draft, path)  # readers never see half a checkpoint
        return path

    def after_commit(self, position: int) -> None:
        """An `after_record` listener: write a checkpoint when one is due, off the request."""
        if self.directory is None or self.signing_key_file is None:
            return
        today = datetime.now(UTC).date()
        with self._lock:
            due = position >= self._next_due or today != self._day
            if not due or (self._pending is not None and not self._pending.done()):
                return
            self._day = today
            self._next_due = (position // self.every_events + 1) * self.every_events
            if self._writer is None:
                self._writer = ThreadPoolExecutor(1, thread_name_prefix="checkpoints")
            self._pending = self._writer.submit(self._write_logged)

    def _write_logged(self) -> Path | None:
        try:
            return self.write()
        except Exception:  # the command is stored; a checkpoint missed is written next time
            logger.exception("writing a checkpoint failed")
            return None

    def wait(self) -> Path | None:
        """Wait for a checkpoint being written (tests, shutdown); its path."""
        pending = self._pending
        return pending.result() if pending is not None else None

    def close(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True)
