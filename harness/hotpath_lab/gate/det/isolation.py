"""What the probe process sees besides the code under test, held constant.

Under ``setarch -R`` addresses repeat, but where the process's stack starts still depends on
how many bytes its arguments and environment take: the kernel (here valgrind, building the
client's stack) copies those strings to the top of the stack first. A shifted stack changes
the alignment of stack buffers, so ``memcpy`` and friends take other paths and instruction
counts move — measured on rust-ffi's market-only slice: 82,000 instructions (0.09 %) between
an environment 300 bytes longer and one that was not, 0.3 % on instructions per order
request. So the probe gets a fixed, minimal environment, and one padding variable that
brings arguments plus environment to the same size whatever the paths and the canary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

PAD_VARIABLE = "HOTPATH_GATE_PAD"
STRINGS_BYTES = 4096
"""Arguments plus environment, padded to this many bytes (each string with its NUL)."""
BASE_ENVIRONMENT = {
    "PATH": "/usr/bin:/bin",
    "LC_ALL": "C.UTF-8",
    "PYTHONHASHSEED": "0",  # str/bytes hashes, hence dict and set layouts, repeat
    "PYTHONDONTWRITEBYTECODE": "1",
}


class IsolationError(ValueError):
    """The probe's command line and environment do not fit the padded size."""


def strings_bytes(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """Bytes the argument and environment strings take on the new process's stack."""
    return sum(len(a.encode()) + 1 for a in argv) + sum(
        len(k.encode()) + len(v.encode()) + 2 for k, v in env.items()
    )


def probe_environment(argv: Sequence[str], extra: Mapping[str, str]) -> dict[str, str]:
    """``BASE_ENVIRONMENT`` plus ``extra``, padded so that ``argv`` and the environment
    together take exactly ``STRINGS_BYTES``."""
    env = {**BASE_ENVIRONMENT, **extra, PAD_VARIABLE: ""}
    missing = STRINGS_BYTES - strings_bytes(argv, env)
    if missing < 0:
        raise IsolationError(
            f"the probe's command line and environment take {STRINGS_BYTES - missing} bytes, "
            f"more than the {STRINGS_BYTES} the deterministic tier pads them to "
            "(a very long path to the interpreter or scenario?)"
        )
    env[PAD_VARIABLE] = "x" * missing
    return env
