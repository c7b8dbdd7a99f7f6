"""The catalogues a client learnt from its servers' welcomes, kept in this process by digest.

A client builds its proxy classes, ``help()`` text and ``simple`` functions from the definitions the server sends
(as ParaView's client builds from the server's ProxyDefinitionManager), never from its own copy. Its Hello names
the digest of the definitions it last received from that address; a server whose definitions have that digest
leaves them out of the welcome (``definitions_cached``), and the copy kept here is used. A catalogue is kept only
under the digest it hashes to here, so no server can pass its definitions off as another's.
"""

from __future__ import annotations

import threading

from pvcore import messages
from pvcore.errors import ProtocolError
from pvcore.schema import Catalogue

#: Catalogues kept (the oldest go first); a handful of servers is the usual case.
MAX_CATALOGUES = 16

_lock = threading.Lock()
_by_digest: dict[str, Catalogue] = {}
_digest_of_address: dict[str, str] = {}


def known_digest(address: str) -> str:
    """The digest of the definitions last received from ``address`` and still kept ("" if none)."""
    with _lock:
        digest = _digest_of_address.get(address, "")
        return digest if digest in _by_digest else ""


def from_welcome(welcome: messages.Welcome, address: str) -> Catalogue:
    """The catalogue a welcome gives: its definitions, or (when it says they are cached) the copy kept here."""
    digest = welcome.definitions_digest
    with _lock:
        if welcome.definitions_cached:
            found = _by_digest.get(digest)
            if found is None:
                raise ProtocolError(
                    f"The server at {address} sent no proxy definitions, saying this client holds those of digest "
                    f"{digest!r}; it does not. Connect again."
                )
        elif not welcome.definitions:
            raise ProtocolError(
                f"The server at {address} sent no proxy definitions in its welcome; is it older than this client "
                f"(protocol {messages.PROTOCOL_MAJOR}.{messages.PROTOCOL_MINOR})?"
            )
        else:
            try:
                found = Catalogue.from_plain(welcome.definitions)
            except (KeyError, TypeError, ValueError) as exc:
                raise ProtocolError(
                    f"The server at {address} sent proxy definitions this client cannot read: {exc}"
                ) from None
            if digest != found.digest():
                digest = ""  # not what they hash to (or read with parts unknown here): not kept under that name
            if digest:
                _by_digest.pop(digest, None)
                _by_digest[digest] = found
                while len(_by_digest) > MAX_CATALOGUES:
                    del _by_digest[next(iter(_by_digest))]
        if digest:
            _digest_of_address[address] = digest
        return found


def forget() -> None:
    """Drop every kept catalogue (the next welcome of each server carries its definitions again)."""
    with _lock:
        _by_digest.clear()
        _digest_of_address.clear()
