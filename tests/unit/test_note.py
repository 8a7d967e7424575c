"""Signed notes and checkpoints: Go's own vectors (golang.org/x/mod/sumdb/note/note_test.go) byte for
byte, the C2SP examples, a real sum.golang.org checkpoint, round trips and every rejection."""

from __future__ import annotations

import base64

import pytest

from garrison.audit.note import (
    Checkpoint,
    NoteError,
    SigningKey,
    VerifierKey,
    open_checkpoint,
    open_note,
    sign_checkpoint,
    sign_note,
)

# From golang.org/x/mod/sumdb/note/note_test.go (TestNewVerifier, TestNewSigner, TestSign, TestOpen).
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

# The example of c2sp.org/tlog-checkpoint (its public key is not given).
C2SP_CHECKPOINT = (
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
    "— example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
)
# The example of c2sp.org/signed-note: its text has a blank line (its public key is not given).
C2SP_NOTE = (
    "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n"
    "— quasimodo.example/salvatore "
    "NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n"
)
# A real checkpoint of the Go checksum database (a sum.golang.org /lookup answer quoted in a sigsum-go
# design note), and the sum.golang.org key built into the go command.
SUMDB_VKEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
SUMDB_CHECKPOINT = (
    "go.sum database tree\n49189689\nftjbAOzaupaIvaPo/G+Dk63nxOZ2s1OPOKIaPtXs7S4=\n\n"
    "— sum.golang.org Az3grlKZssqRoMNPpZfKt0TphbbcF+pzXqElURJKRNFKfaUAgqeI5k2AORH0QAhg/ebRwyIqD/OqP4oLtLnNumvOBAM=\n"
)
ROOT = bytes(range(32))


def peter() -> VerifierKey:
    return VerifierKey.from_text(PETER_VKEY)


def enoch() -> VerifierKey:
    return VerifierKey.from_text(ENOCH_VKEY)


def manglings(s: str) -> list[str]:
    """Go's manglings of a key text: every proper substring, and every character bumped by one."""
    subs = [s[i:j] for i in range(len(s) + 1) for j in range(i + 1, len(s) + 1) if (i, j) != (0, len(s))]
    return subs + [s[:i] + chr(ord(s[i]) + 1) + s[i + 1 :] for i in range(len(s))]


# Keys


def test_go_verifier_key() -> None:
    v = peter()
    assert (v.name, v.key_hash, v.key_id) == ("PeterNeumann", 0xC74F20A3, "PeterNeumann+c74f20a3")
    assert v.to_text() == PETER_VKEY
    assert VerifierKey.from_text(PETER_VKEY.replace("c74f20a3", "C74F20A3")) == v  # Go's ParseUint takes upper case


def test_go_verifier_key_manglings_are_rejected() -> None:
    for bad in manglings(PETER_VKEY):
        with pytest.raises(NoteError):
            VerifierKey.from_text(bad)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Go's two extra bad keys, each with a hash adjusted to match its key data.
        (
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            "Ed25519 key is 36 bytes, want 32",
        ),
        ("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "unknown key algorithm 101"),
        ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "hash c74f20a4 does not match"),
        ("PeterNeumann+c74f20a3", r"want <name>\+<hash>\+<key>"),
        ("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "is not 8 hex digits"),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", "not valid standard base64"),
        ("PeterNeumann+c74f20a3+", "empty key data"),
        ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "invalid key name"),
    ],
)
def test_malformed_verifier_keys(text: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        VerifierKey.from_text(text)


def test_go_signing_key() -> None:
    s = SigningKey.from_text(PETER_SKEY)
    assert (s.name, s.key_hash) == ("PeterNeumann", 0xC74F20A3)
    assert s.to_text() == PETER_SKEY
    assert s.verifier() == peter()
    assert repr(s) == "SigningKey(name='PeterNeumann', key_hash=0xc74f20a3)"


def test_go_signing_key_manglings_are_rejected() -> None:
    for bad in manglings(PETER_SKEY):
        with pytest.raises(NoteError):
            SigningKey.from_text(bad)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "hash c74f20a4 does not match",
        ),
        ("PRIVATE+KEY+EnochRoot+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "does not match"),
        (PETER_VKEY, "want PRIVATE\\+KEY"),
        ("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDF", "not valid standard base64"),
    ],
)
def test_malformed_signing_keys(text: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        SigningKey.from_text(text)


def test_generated_keys_round_trip() -> None:
    s = SigningKey.generate("garrison.example/audit")
    assert SigningKey.from_text(s.to_text()).to_text() == s.to_text()
    v = VerifierKey.from_text(s.verifier().to_text())
    assert v == s.verifier() and v.key_hash == s.key_hash
    msg = b"hi"
    sig = s.sign(msg)
    assert v.verify(msg, sig)
    assert not v.verify(b"ho", sig)
    assert not v.verify(msg, bytes([sig[0] ^ 1]) + sig[1:])
    assert not v.verify(msg, sig[:-1])
    assert s.to_text() not in repr(s)


@pytest.mark.parametrize("name", ["", "a+b", "a b", "a\tb", "a\u00a0b", "a\u2003b", "a\u3000b", "a\ud800"])
def test_invalid_key_names(name: str) -> None:
    with pytest.raises(NoteError, match="invalid key name"):
        SigningKey.generate(name)


def test_key_sizes() -> None:
    with pytest.raises(NoteError, match="31 bytes, want 32"):
        VerifierKey("x", bytes(31))
    with pytest.raises(NoteError, match="33 bytes, want 32"):
        SigningKey("x", bytes(33))


# Notes


def test_sign_reproduces_go_signature() -> None:
    assert sign_note(TEXT, SigningKey.from_text(PETER_SKEY)) == TEXT + "\n" + PETER_SIG


def test_open_go_note() -> None:
    opened = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [peter()])
    assert opened.text == TEXT
    assert opened.signers == (peter(),)
    assert opened.unverified == ("EnochRoot+af0cfe78",)

    both = open_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode(), [peter(), enoch()])
    assert both.signers == (peter(), enoch()) and both.unverified == ()


def test_open_without_known_signature() -> None:
    with pytest.raises(NoteError, match=r"no signature by a known key .*signed by: PeterNeumann\+c74f20a3, EnochRoot"):
        open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_note(TEXT + "\n" + ENOCH_SIG, [peter()])


def test_ambiguous_verifiers() -> None:
    with pytest.raises(NoteError, match=r"ambiguous key EnochRoot\+af0cfe78"):
        open_note(TEXT + "\n" + ENOCH_SIG, [enoch(), peter(), enoch()])
    assert open_note(TEXT + "\n" + PETER_SIG, [enoch(), peter(), enoch()]).signers == (peter(),)


def test_too_many_signatures() -> None:
    with pytest.raises(NoteError, match="101 signature lines"):
        open_note(TEXT + "\n" + PETER_SIG * 101, [peter()])
    assert open_note(TEXT + "\n" + PETER_SIG * 100, [peter()]).signers == (peter(),)


def test_invalid_signature() -> None:
    forged = TEXT + "\n" + PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(NoteError, match="signature by PeterNeumann does not verify: the note was changed"):
        open_note(forged, [peter()])


def test_tampered_text() -> None:
    tampered = TEXT.replace("answer", "ANSWER") + "\n" + PETER_SIG
    with pytest.raises(NoteError, match="signature by PeterNeumann does not verify"):
        open_note(tampered, [peter()])


def test_repeated_signatures() -> None:
    enoch_abcd = ENOCH_SIG[:60] + "ABCD" + ENOCH_SIG[60:]
    note = TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enoch_abcd
    opened = open_note(note, [peter()])
    assert opened.signers == (peter(),) and opened.unverified == ("EnochRoot+af0cfe78",)


def test_wrong_key_or_hash_is_unknown() -> None:
    impostor = SigningKey.generate("PeterNeumann")  # same name, other key: other hash, so ignored
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_note(sign_note(TEXT, impostor), [peter()])
    misnamed = PETER_SIG.replace("PeterNeumann", "CarmenSandiego")
    with pytest.raises(NoteError, match=r"signed by: CarmenSandiego\+c74f20a3"):
        open_note(TEXT + "\n" + misnamed, [peter()])
    wrong_hash = PETER_SIG.replace("x08g", "xxxx")
    with pytest.raises(NoteError, match="no signature by a known key"):
        open_note(TEXT + "\n" + wrong_hash, [peter()])


@pytest.mark.parametrize(
    ("note", "message"),
    [
        # Go's badMsgs
        (TEXT, "no blank line"),
        (TEXT + "\n", "no signature lines"),
        (TEXT + "\n" + PETER_SIG[:-1], "does not end with a newline"),
        ("\x01" + TEXT + "\n" + PETER_SIG, "control character"),
        (b"\xff" + (TEXT + "\n" + PETER_SIG).encode(), "not valid UTF-8"),
        (TEXT + "\n" + "— Bad Name " + PETER_SIG.split(" ")[-1], "signature by Bad is not valid standard base64"),
        (TEXT + "\n" + PETER_SIG + "Unexpected line.\n", "does not start with an em dash"),
        # and more
        ("\ud800" + TEXT + "\n" + PETER_SIG, "not valid UTF-8"),
        (TEXT + PETER_SIG, "no blank line"),
        (TEXT + "\n" + PETER_SIG.replace("—", "-"), "does not start with an em dash"),
        (TEXT + "\n" + PETER_SIG.replace("=\n", "\n"), "not valid standard base64"),
        (TEXT + "\n" + "— PeterNeumann AAAA\n", "too short"),
        (TEXT + "\n" + "— a+b " + PETER_SIG.split(" ")[-1], "invalid key name 'a\\+b'"),
        (TEXT + "\n" + "—  " + PETER_SIG.split(" ")[-1], "invalid key name ''"),
    ],
)
def test_malformed_notes(note: str | bytes, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        open_note(note, [peter()])


def test_c2sp_note_example_splits_at_last_blank_line() -> None:
    with pytest.raises(NoteError, match=r"signed by: quasimodo\.example/salvatore\+"):
        open_note(C2SP_NOTE, [peter()])
    key = SigningKey.generate("quasimodo.example/salvatore")
    text = C2SP_NOTE.split("\n\n— ")[0] + "\n"
    opened = open_note(sign_note(text, key), [key.verifier()])
    assert opened.text == text and "\n\n" in opened.text


def test_sign_several_keys_and_unicode() -> None:
    a, b = SigningKey.generate("a.example/ü"), SigningKey.generate("b.example")
    text = "ünïcödé\n\nafter a blank line\n"
    note = sign_note(text, a, b)
    assert note.startswith(text + "\n— a.example/ü ")
    assert open_note(note, [b.verifier()]).unverified == (f"a.example/ü+{a.key_hash:08x}",)
    assert open_note(note, [a.verifier(), b.verifier()]).signers == (a.verifier(), b.verifier())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "must end with a newline"),
        ("", "must end with a newline"),
        ("a\rb\n", "control character"),
        ("a\ud800\n", "not valid UTF-8"),
    ],
)
def test_sign_rejects_bad_text(text: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        sign_note(text, SigningKey.from_text(PETER_SKEY))


def test_sign_needs_distinct_keys() -> None:
    key = SigningKey.from_text(PETER_SKEY)
    with pytest.raises(NoteError, match="at least one signing key"):
        sign_note(TEXT)
    with pytest.raises(NoteError, match=r"PeterNeumann\+c74f20a3 is given twice"):
        sign_note(TEXT, key, key)


# Checkpoints


def test_checkpoint_body() -> None:
    cp = Checkpoint("garrison.example/audit", 7, ROOT, 1767225600.9, ("extra data",))
    root64 = base64.b64encode(ROOT).decode()
    assert cp.time == 1767225600.0
    assert cp.body() == f"garrison.example/audit\n7\n{root64}\ntime 1767225600\nextra data\n"
    assert Checkpoint.parse(cp.body()) == cp
    bare = Checkpoint("o", 0, ROOT)
    assert bare.body() == f"o\n0\n{root64}\n" and Checkpoint.parse(bare.body()) == bare


def test_checkpoint_sign_and_open() -> None:
    key = SigningKey.generate("garrison.example/audit")
    cp = Checkpoint("garrison.example/audit", 123456, ROOT, 1767225600)
    note = sign_checkpoint(cp, key)
    assert note.startswith(cp.body() + "\n— garrison.example/audit ")
    assert open_checkpoint(note, key.verifier()) == cp
    witness = SigningKey.generate("witness.example")
    cosigned = sign_note(cp.body(), key, witness)  # unknown cosignatures are ignored
    assert open_checkpoint(cosigned, key.verifier()) == cp


def test_checkpoint_open_rejections() -> None:
    key = SigningKey.generate("garrison.example/audit")
    note = sign_checkpoint(Checkpoint("garrison.example/audit", 10, ROOT), key)
    with pytest.raises(NoteError, match=r"signature by garrison\.example/audit does not verify"):
        open_checkpoint(note.replace("\n10\n", "\n11\n"), key.verifier())
    other = SigningKey.generate("garrison.example/audit")
    with pytest.raises(NoteError, match=r"not verified by garrison\.example/audit\+.*no signature by a known key"):
        open_checkpoint(note, other.verifier())
    # A validly signed checkpoint whose origin is not the key name.
    mismatched = sign_note(Checkpoint("elsewhere.example", 10, ROOT).body(), key)
    with pytest.raises(NoteError, match=r"origin 'elsewhere\.example' is not the expected .* key name"):
        open_checkpoint(mismatched, key.verifier())
    with pytest.raises(NoteError, match="is not the signing key name"):
        sign_checkpoint(Checkpoint("elsewhere.example", 10, ROOT), key)
    with pytest.raises(NoteError, match="checkpoint body has 2 lines"):
        open_checkpoint(sign_note("garrison.example/audit\n10\n", key), key.verifier())


def test_c2sp_checkpoint_example_parses() -> None:
    cp = Checkpoint.parse(C2SP_CHECKPOINT.split("\n\n")[0] + "\n")
    assert (cp.origin, cp.size, cp.time, cp.extensions) == ("example.com/behind-the-sofa", 20852163, None, ())
    assert cp.root == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    with pytest.raises(NoteError, match=r"signed by: example.com/behind-the-sofa\+033de0ae"):
        open_checkpoint(C2SP_CHECKPOINT, peter())


def test_real_sumdb_checkpoint_verifies() -> None:
    sumdb = VerifierKey.from_text(SUMDB_VKEY)
    cp = open_checkpoint(SUMDB_CHECKPOINT, sumdb, origin="go.sum database tree")
    assert (cp.origin, cp.size) == ("go.sum database tree", 49189689)
    assert cp.root == base64.b64decode("ftjbAOzaupaIvaPo/G+Dk63nxOZ2s1OPOKIaPtXs7S4=")
    with pytest.raises(NoteError, match=r"origin 'go.sum database tree' is not the expected 'sum.golang.org'"):
        open_checkpoint(SUMDB_CHECKPOINT, sumdb)


R64 = base64.b64encode(ROOT).decode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (f"o\n007\n{R64}\n", "'007' is not a decimal number without leading zeros"),
        (f"o\n00\n{R64}\n", "not a decimal number"),
        (f"o\n-1\n{R64}\n", "not a decimal number"),
        (f"o\n+1\n{R64}\n", "not a decimal number"),
        (f"o\n 1\n{R64}\n", "not a decimal number"),
        (f"o\n\uff11\n{R64}\n", "not a decimal number"),
        (f"o\n{2**63}\n{R64}\n", "not an integer in"),
        (f"o\n1\n{base64.b64encode(bytes(31)).decode()}\n", "root hash is 31 bytes, want 32"),
        (f"o\n1\n{R64[:-2]}H=\n", "not canonical base64"),
        (f"o\n1\n{R64[:-1]}\n", "root hash is not valid standard base64"),
        (f"\n1\n{R64}\n", "empty line \\(line 1\\)"),
        (f"o\n1\n{R64}\n\nx\n", "empty line"),
        (f"o\n1\n{R64}", "must end with a newline"),
        ("o\n1\n", "has 2 lines"),
        (f"o\n1\n{R64}\ntime 01\n", "time '01' is not a decimal number"),
        (f"o\n1\n{R64}\ntime -1\n", "not a decimal number"),
        (f"o\n1\n{R64}\ntime 1.5\n", "not a decimal number"),
        (f"o\n1\n{R64}\nx\ntime 1\n", "not its first extension line"),
        (f"o\n1\n{R64}\ntime 1\ntime 1\n", "not its first extension line"),
        (f"o\x01\n1\n{R64}\n", "control character"),
    ],
)
def test_malformed_checkpoints(body: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        Checkpoint.parse(body)


def test_checkpoint_constructor_checks() -> None:
    with pytest.raises(NoteError, match="origin is empty"):
        Checkpoint("", 1, ROOT)
    with pytest.raises(NoteError, match="contains a newline"):
        Checkpoint("a\nb", 1, ROOT)
    with pytest.raises(NoteError, match="not an integer"):
        Checkpoint("o", -1, ROOT)
    with pytest.raises(NoteError, match="root hash is 31 bytes"):
        Checkpoint("o", 1, ROOT[:31])
    with pytest.raises(NoteError, match="not a Unix time"):
        Checkpoint("o", 1, ROOT, float("nan"))
    with pytest.raises(NoteError, match="not a Unix time"):
        Checkpoint("o", 1, ROOT, -1.0)
    with pytest.raises(NoteError, match=r"set Checkpoint\.time"):
        Checkpoint("o", 1, ROOT, extensions=("time 5",))
    with pytest.raises(NoteError, match="is empty or contains a newline"):
        Checkpoint("o", 1, ROOT, extensions=("",))
