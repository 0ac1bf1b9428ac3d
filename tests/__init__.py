"""The test suite, by layer (each folder a package, so helpers import as ``tests.support.x``).

unit → store → widgets → notebooks → e2e, and fidelity beside them; see the README, "Tests".
"""
