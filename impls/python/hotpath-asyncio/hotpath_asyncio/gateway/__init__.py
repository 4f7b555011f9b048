"""The ``wire-python`` build: an asyncio gateway that takes the wire protocol (``docs/formats.md``,
"Wire protocol") on a ZeroMQ ``ROUTER`` socket and runs the Python build's engine on the loop.

``python -m hotpath_asyncio.gateway --bind ADDR`` starts it (``docs/wire.md``). The pieces:
``protocol`` answers one frame with one reply frame and knows nothing of sockets; ``session``
is one open session (an engine and its report stream); ``server`` is the socket loop;
``signals`` and ``gc_pauses`` are what the exit summary reports.
"""

GATEWAY_NAME = "wire-python"
ENGINE_SHAPE = "inline"
"""The engine runs on the event loop, in the task that reads the socket."""
