"""The wire edge: generated protobuf/gRPC code and the codec between it and plain Python objects.

Only the server front end and the client transport import this package; everything else works on the
dataclasses of :mod:`pvcore.messages`.
"""
