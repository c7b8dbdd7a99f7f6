"""Who may join a session: the token handshake, in which the token itself never crosses the wire.

Both sides prove that they know the token by an HMAC over two fresh nonces, the server first (see the Hello in
``protos/pvcollab.proto``). A program squatting on the port learns nothing it could replay or use offline against
a 256-bit token, and a client never sends its proof to a server that has not proven itself. Without TLS, the
messages after the handshake are not protected; a man in the middle of the network could still relay a session
(so listening beyond localhost without TLS is for trusted networks only).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

NONCE_BYTES = 32
_SERVER = b"pvcollab server proof"
_CLIENT = b"pvcollab client proof"


def nonce() -> bytes:
    """A fresh random nonce."""
    return secrets.token_bytes(NONCE_BYTES)


def server_proof(token: str, client_nonce: bytes, server_nonce: bytes) -> bytes:
    """What the server sends to prove it knows ``token``."""
    return _mac(token, _SERVER + client_nonce + server_nonce)


def client_proof(token: str, client_nonce: bytes, server_nonce: bytes) -> bytes:
    """What the client sends to prove it knows ``token``, once the server proved it knows it too."""
    return _mac(token, _CLIENT + server_nonce + client_nonce)


def is_valid(expected: bytes, given: bytes) -> bool:
    """True if the proof matches (in constant time)."""
    return bool(expected) and hmac.compare_digest(expected, given)


def _mac(token: str, message: bytes) -> bytes:
    return hmac.new(token.encode(), message, hashlib.sha256).digest()
