"""Signed notes and transparency-log checkpoints, byte for byte as Go's golang.org/x/mod/sumdb/note.

A *signed note* (c2sp.org/signed-note) is a UTF-8 text ending in a newline, a blank line, then one
or more signature lines ``— <key name> <base64(4-byte key hash || signature)>`` (U+2014 EM DASH,
space). Keys use Go's text forms: the verifier key ``<name>+<hash>+<base64(0x01 || public key)>``
and the signing key ``PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>``, where the hash is the
first four bytes (big endian) of SHA-256(name || "\\n" || 0x01 || public key), in 8 hex digits.
Only Ed25519 (algorithm byte 0x01) exists, so our notes open with Go's ``note.Open``.

A *checkpoint* (c2sp.org/tlog-checkpoint) is a note whose text is the origin, the tree size and
the base64 Merkle root hash, one per line, then optional extension lines. Garrison records the
checkpoint time as an ordinary extension line, the first one: ``time <unix seconds>`` with the
seconds a non-negative decimal integer without leading zeros (e.g. ``time 1767225600``), so Go
tooling (transparency-dev/formats ``log.ParseCheckpoint``) reads it as opaque "other data". The
key name of a checkpoint's signer must equal its origin (the C2SP convention, enforced here).

Pure functions and values; no I/O. Every failure is a :class:`NoteError` saying what is wrong.
"""

from __future__ import annotations

import binascii
import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 0x01
SIG_PREFIX = "— "  # U+2014 EM DASH, space
MAX_SIGNATURES = 100  # as Go's note.Open
MAX_SIZE = 2**63 - 1  # Go's tlog tree sizes are int64
TIME_PREFIX = "time "

# unicode.IsSpace in Go: Latin-1 spaces plus the White_Space property (unlike str.isspace, not U+001C..U+001F).
_GO_SPACES = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    map(chr, range(0x2000, 0x200B))
)
_HEX8 = re.compile(r"[0-9a-fA-F]{8}")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class NoteError(ValueError):
    """A malformed key, note or checkpoint, or a signature that does not verify, with what is wrong."""


def _valid_name(name: str) -> bool:
    """Go's isValidName: non-empty, valid UTF-8, no Unicode space, no '+'."""
    return bool(name) and _is_utf8(name) and "+" not in name and not any(c in _GO_SPACES for c in name)


def _is_utf8(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return True


def _check_name(name: str) -> None:
    if not _valid_name(name):
        raise NoteError(f"invalid key name {name!r}: it must be non-empty UTF-8 without spaces or '+'")


def _b64decode(s: str, what: str) -> bytes:
    try:
        return binascii.a2b_base64(s.encode("ascii"), strict_mode=True)
    except (UnicodeEncodeError, binascii.Error) as e:
        raise NoteError(f"{what} is not valid standard base64: {e}") from None


def _b64encode(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def _key_hash(name: str, public_key: bytes) -> int:
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def _parse_key_material(name: str, hash16: str, key64: str, what: str) -> tuple[int, bytes]:
    """Check the name, hash and key fields of a key text; return (hash, 32 key bytes)."""
    if not _valid_name(name):
        raise NoteError(f"malformed {what}: invalid key name {name!r}")
    if not _HEX8.fullmatch(hash16):
        raise NoteError(f"malformed {what}: key hash {hash16!r} is not 8 hex digits")
    key = _b64decode(key64, f"malformed {what}: key data")
    if not key:
        raise NoteError(f"malformed {what}: empty key data")
    if key[0] != ALG_ED25519:
        raise NoteError(f"malformed {what}: unknown key algorithm {key[0]} (only 1, Ed25519, is known)")
    if len(key) != 33:
        raise NoteError(f"malformed {what}: Ed25519 key is {len(key) - 1} bytes, want 32")
    return int(hash16, 16), key[1:]


@dataclass(frozen=True)
class VerifierKey:
    """A named Ed25519 public key: verifies the signatures of one signer."""

    name: str
    public_key: bytes  # the 32 raw Ed25519 bytes

    def __post_init__(self) -> None:
        _check_name(self.name)
        if len(self.public_key) != 32:
            raise NoteError(f"Ed25519 public key is {len(self.public_key)} bytes, want 32")

    @property
    def key_hash(self) -> int:
        return _key_hash(self.name, self.public_key)

    @property
    def key_id(self) -> str:
        """``<name>+<hash>``, how Go names a key in its errors."""
        return f"{self.name}+{self.key_hash:08x}"

    @classmethod
    def from_text(cls, text: str) -> VerifierKey:
        """Parse ``<name>+<hash>+<base64(0x01 || public key)>``, checking the hash."""
        parts = text.split("+", 2)
        if len(parts) != 3:
            raise NoteError("malformed verifier key: want <name>+<hash>+<key>")
        key_hash, public_key = _parse_key_material(parts[0], parts[1], parts[2], "verifier key")
        key = cls(parts[0], public_key)
        if key.key_hash != key_hash:
            raise NoteError(
                f"verifier key hash {key_hash:08x} does not match the key (it hashes to {key.key_hash:08x})"
            )
        return key

    def to_text(self) -> str:
        return f"{self.key_id}+{_b64encode(bytes([ALG_ED25519]) + self.public_key)}"

    def verify(self, msg: bytes, sig: bytes) -> bool:
        """Whether ``sig`` is this key's Ed25519 signature of ``msg``."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(sig, msg)
        except (InvalidSignature, ValueError):
            return False
        return True


class SigningKey:
    """A named Ed25519 private key. Its text form is secret; ``repr`` does not show it."""

    __slots__ = ("_private", "_seed", "name")

    def __init__(self, name: str, seed: bytes) -> None:
        _check_name(name)
        if len(seed) != 32:
            raise NoteError(f"Ed25519 seed is {len(seed)} bytes, want 32")
        self.name = name
        self._seed = bytes(seed)
        self._private = Ed25519PrivateKey.from_private_bytes(self._seed)

    @classmethod
    def generate(cls, name: str) -> SigningKey:
        return cls(name, Ed25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def from_text(cls, text: str) -> SigningKey:
        """Parse ``PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>``, checking the hash."""
        parts = text.split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("malformed signing key: want PRIVATE+KEY+<name>+<hash>+<key>")
        key_hash, seed = _parse_key_material(parts[2], parts[3], parts[4], "signing key")
        key = cls(parts[2], seed)
        if key.key_hash != key_hash:
            raise NoteError(f"signing key hash {key_hash:08x} does not match the key (it hashes to {key.key_hash:08x})")
        return key

    def to_text(self) -> str:
        return f"PRIVATE+KEY+{self.name}+{self.key_hash:08x}+{_b64encode(bytes([ALG_ED25519]) + self._seed)}"

    def verifier(self) -> VerifierKey:
        return VerifierKey(self.name, self._private.public_key().public_bytes_raw())

    @property
    def key_hash(self) -> int:
        return self.verifier().key_hash

    def sign(self, msg: bytes) -> bytes:
        return self._private.sign(msg)

    def __repr__(self) -> str:
        return f"SigningKey(name={self.name!r}, key_hash=0x{self.key_hash:08x})"


@dataclass(frozen=True)
class Opened:
    """A note whose signatures checked out: its text, the known keys that signed it, and the
    ``<name>+<hash>`` ids of the unknown keys whose signatures were ignored (not verified)."""

    text: str
    signers: tuple[VerifierKey, ...]
    unverified: tuple[str, ...] = ()


def _check_chars(s: str, what: str) -> None:
    """The note rules: valid UTF-8, no ASCII control characters but newline."""
    if not _is_utf8(s):
        raise NoteError(f"{what} is not valid UTF-8")
    for c in s:
        if c < " " and c != "\n":
            raise NoteError(f"{what} contains the control character {c!r}")


def sign_note(text: str, *keys: SigningKey) -> str:
    """Sign ``text`` with each key, in order. The text must end in a newline; it may contain blank
    lines (the signatures start after the last one), but no control characters other than newline."""
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    _check_chars(text, "note text")
    if not keys:
        raise NoteError("a note needs at least one signing key")
    msg = text.encode("utf-8")
    lines: list[str] = []
    seen: set[tuple[str, int]] = set()
    for key in keys:
        key_hash = key.key_hash
        if (key.name, key_hash) in seen:
            raise NoteError(f"signing key {key.name}+{key_hash:08x} is given twice")
        seen.add((key.name, key_hash))
        sig = _b64encode(key_hash.to_bytes(4, "big") + key.sign(msg))
        lines.append(f"{SIG_PREFIX}{key.name} {sig}\n")
    return text + "\n" + "".join(lines)


def open_note(note: str | bytes, verifiers: Sequence[VerifierKey]) -> Opened:
    """Parse a signed note and verify the signatures of known keys, as Go's ``note.Open``.

    Signatures by unknown keys (name and hash not both known) are ignored and listed in
    ``Opened.unverified``; a signature by a known key that fails to verify rejects the whole note,
    and so does a note without any verified signature.
    """
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError as e:
            raise NoteError(f"malformed note: not valid UTF-8 ({e.reason} at byte {e.start})") from None
    _check_chars(note, "malformed note: the note")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("malformed note: no blank line between the text and the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block:
        raise NoteError("malformed note: no signature lines after the blank line")
    if not block.endswith("\n"):
        raise NoteError("malformed note: the last signature line does not end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"malformed note: {len(lines)} signature lines, at most {MAX_SIGNATURES} are accepted")

    known: dict[tuple[str, int], list[VerifierKey]] = {}
    for v in verifiers:
        known.setdefault((v.name, v.key_hash), []).append(v)

    signers: list[VerifierKey] = []
    unverified: list[str] = []
    msg = text.encode("utf-8")
    for line in lines:
        if not line.startswith(SIG_PREFIX):
            raise NoteError(f"malformed note: signature line {line!r} does not start with an em dash and a space")
        name, _, b64 = line[len(SIG_PREFIX) :].partition(" ")
        if not _valid_name(name):
            raise NoteError(f"malformed note: invalid key name {name!r} in a signature line")
        raw = _b64decode(b64, f"malformed note: the signature by {name}")
        if len(raw) < 5:
            raise NoteError(f"malformed note: the signature by {name} is too short ({len(raw)} bytes)")
        key_hash, sig = int.from_bytes(raw[:4], "big"), raw[4:]
        key_id = f"{name}+{key_hash:08x}"
        candidates = known.get((name, key_hash), [])
        if not candidates:
            if key_id not in unverified:
                unverified.append(key_id)
            continue
        if len(candidates) > 1:
            raise NoteError(f"ambiguous key {key_id}: several verifiers have this name and key hash")
        verifier = candidates[0]
        if verifier in signers:  # Go checks only the first signature of each key
            continue
        if not verifier.verify(msg, sig):
            raise NoteError(f"signature by {name} does not verify: the note was changed or the signature forged")
        signers.append(verifier)

    if not signers:
        expected = ", ".join(v.key_id for v in verifiers) or "none given"
        found = ", ".join(unverified)
        raise NoteError(f"note has no signature by a known key (known: {expected}; signed by: {found})")
    return Opened(text, tuple(signers), tuple(unverified))


@dataclass(frozen=True)
class Checkpoint:
    """A transparency-log checkpoint (c2sp.org/tlog-checkpoint).

    ``time`` is in Unix seconds and is truncated to whole seconds on construction (the body carries
    ``time <integer seconds>`` as its first extension line), so ``Checkpoint.parse(cp.body()) == cp``.
    ``extensions`` are the other extension lines; none may start with ``"time "``.
    """

    origin: str
    size: int
    root: bytes
    time: float | None = None
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin:
            raise NoteError("checkpoint origin is empty")
        _check_chars(self.origin, "checkpoint origin")
        if "\n" in self.origin:
            raise NoteError("checkpoint origin contains a newline")
        if not isinstance(self.size, int) or isinstance(self.size, bool) or not 0 <= self.size <= MAX_SIZE:
            raise NoteError(f"checkpoint size {self.size!r} is not an integer in [0, 2**63)")
        if len(self.root) != 32:
            raise NoteError(f"checkpoint root hash is {len(self.root)} bytes, want 32")
        if self.time is not None:
            if not (math.isfinite(self.time) and 0 <= self.time <= MAX_SIZE):
                raise NoteError(f"checkpoint time {self.time!r} is not a Unix time in seconds")
            object.__setattr__(self, "time", float(math.floor(self.time)))
        object.__setattr__(self, "extensions", tuple(self.extensions))
        for line in self.extensions:
            if not line or "\n" in line:
                raise NoteError(f"checkpoint extension line {line!r} is empty or contains a newline")
            _check_chars(line, "checkpoint extension line")
            if line.startswith(TIME_PREFIX):
                raise NoteError("checkpoint extension lines must not start with 'time ': set Checkpoint.time")

    def body(self) -> str:
        """The note text: origin, size, base64 root, then the time and other extension lines."""
        lines = [self.origin, str(self.size), _b64encode(self.root)]
        if self.time is not None:
            lines.append(f"{TIME_PREFIX}{int(self.time)}")
        lines.extend(self.extensions)
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        """Parse a checkpoint's note text, strictly (canonical size, time and root encodings)."""
        if not body.endswith("\n"):
            raise NoteError("checkpoint body must end with a newline")
        lines = body[:-1].split("\n")
        if len(lines) < 3:
            raise NoteError(f"checkpoint body has {len(lines)} lines, want at least 3 (origin, size, root hash)")
        if "" in lines:
            raise NoteError(f"checkpoint body has an empty line (line {lines.index('') + 1})")
        origin, size, root64, *extensions = lines
        if not _DECIMAL.fullmatch(size) or len(size) > 19:
            raise NoteError(f"checkpoint size {size!r} is not a decimal number without leading zeros")
        root = _b64decode(root64, "checkpoint root hash")
        if len(root) != 32:
            raise NoteError(f"checkpoint root hash is {len(root)} bytes, want 32")
        if _b64encode(root) != root64:
            raise NoteError("checkpoint root hash is not canonical base64")
        time = None
        if extensions and extensions[0].startswith(TIME_PREFIX):
            seconds = extensions.pop(0).removeprefix(TIME_PREFIX)
            if not _DECIMAL.fullmatch(seconds) or len(seconds) > 19:
                raise NoteError(f"checkpoint time {seconds!r} is not a decimal number of seconds without leading zeros")
            time = float(int(seconds))
        if any(line.startswith(TIME_PREFIX) for line in extensions):
            raise NoteError("checkpoint has a 'time ' line that is not its first extension line")
        return cls(origin, int(size), root, time, tuple(extensions))


def sign_checkpoint(cp: Checkpoint, key: SigningKey) -> str:
    """The signed note of ``cp``; the key name must be the checkpoint origin."""
    if cp.origin != key.name:
        raise NoteError(f"checkpoint origin {cp.origin!r} is not the signing key name {key.name!r}")
    return sign_note(cp.body(), key)


def open_checkpoint(note: str | bytes, verifier: VerifierKey, *, origin: str | None = None) -> Checkpoint:
    """Verify a signed checkpoint and parse it. It must carry a valid signature by ``verifier``
    (other signatures, e.g. witness cosignatures, are ignored), and its origin must equal
    ``origin``, by default the verifier's key name."""
    try:
        opened = open_note(note, [verifier])
    except NoteError as e:
        raise NoteError(f"checkpoint not verified by {verifier.key_id}: {e}") from None
    cp = Checkpoint.parse(opened.text)
    expected = verifier.name if origin is None else origin
    if cp.origin != expected:
        raise NoteError(
            f"checkpoint origin {cp.origin!r} is not the expected {expected!r}"
            + (" (the verifier key name)" if origin is None else "")
        )
    return cp
