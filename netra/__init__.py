"""The Netra application: the ``netra`` command line and the wiring that builds every service.

Dependencies run one way: ``netra`` -> {``bot``, ``ingest``} -> ``knowledge``.
"""
