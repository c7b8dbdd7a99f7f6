"""What the client and the server share as Python: the message dataclasses, the error types, the token handshake
and token files, camera arithmetic.

It imports no other package of this project (``tests/unit/test_layers.py`` checks), so a client need not carry the
server's code to speak to it, and neither side's internals leak into the other's.
"""

__version__ = "0.1.0"
#: The ParaView release whose command lines and scripting interface this project follows (``pvpython -V``).
PARAVIEW_VERSION = "5.11.0"
#: What ``-V/--version`` prints, ParaView's words first.
VERSION_TEXT = f"paraview version {PARAVIEW_VERSION} (pvcollab {__version__})"
