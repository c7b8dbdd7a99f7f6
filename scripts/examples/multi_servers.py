"""Several servers from one client, in the style of ParaView's multi-server example.

Run: ``pvpython --multi-servers scripts/examples/multi_servers.py cs://host:port [cs://host2:port2]``.
Only the imports differ from the ParaView script: ``from simple import *`` instead of paraview.simple.
"""

import sys

from simple import *  # noqa: F403

urls = sys.argv[1:] or ["cs://localhost:11111"]

# The built-in session that pvpython starts with
builtin = GetActiveConnection()  # noqa: F405
cone = Cone()  # noqa: F405
print("built-in cone cells:", cone.GetDataInformation().GetNumberOfCells())

# A remote server
remote = Connect(urls[0])  # noqa: F405
sphere = Sphere(ThetaResolution=32)  # noqa: F405
print(
    "remote sphere cells:",
    sphere.GetDataInformation().GetNumberOfCells(),
    "on",
    remote.GetNumberOfDataPartitions(),
    "ranks",
)

# Switch back and forth
SetActiveConnection(builtin)  # noqa: F405
shrink = Shrink(Input=cone)  # noqa: F405
print("built-in sources:", sorted(name for name, _ in GetSources()))  # noqa: F405
SetActiveConnection(remote, globals())  # noqa: F405
print("remote sources:", sorted(name for name, _ in GetSources()))  # noqa: F405

# Disconnect twice: the remote one, then the built-in one
Disconnect()  # noqa: F405
print("active after the first Disconnect:", GetActiveConnection())  # noqa: F405
Disconnect()  # noqa: F405
print("active after the second Disconnect:", GetActiveConnection())  # noqa: F405

# And connect again
again = Connect(urls[-1])  # noqa: F405
print("reconnected:", again, "sources:", sorted(name for name, _ in GetSources()))  # noqa: F405
Disconnect()  # noqa: F405
