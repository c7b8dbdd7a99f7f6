"""What the client and the server share as Python: the message dataclasses, the error types, the token handshake
and token files, camera arithmetic.

It imports no other package of this project (``tests/unit/test_layers.py`` checks), so a client need not carry the
server's code to speak to it, and neither side's internals leak into the other's.
"""

__version__ = "0.1.0"
