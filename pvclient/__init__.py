"""The client library: transports, connections and proxies. ``simple`` is the scripting facade over it."""
