"""What the gate reads from a callgrind output file: total instructions, heap allocations,
and instructions per function.

Only what the gate needs of the format (valgrind's "Callgrind Format Specification"):
``fn=``/``cfn=`` name the current function and a callee, with ``(id) name`` defining a
compressed name and ``(id)`` reusing it; a ``calls=N …`` line is followed by one cost line
that is the call's inclusive cost; every other cost line belongs to the current function
(its self cost). The run counts one event, ``Ir`` (instructions), so a cost line's last
number is its Ir.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PYTHON_ALLOCATORS = frozenset({"_PyObject_Malloc", "_PyObject_Calloc", "_PyObject_Realloc"})
"""CPython 3.11's object allocator (pymalloc), behind PyObject_* and PyMem_* alike."""
LIBC_ALLOCATORS = frozenset(
    {"malloc", "calloc", "realloc", "posix_memalign", "aligned_alloc", "memalign"}
)
"""The C heap: Rust's global allocator, numpy and CPython's raw allocator end here."""

_NAME = re.compile(r"^\((\d+)\)(?: (.*))?$")


class CallgrindError(ValueError):
    """A callgrind file the gate cannot read; the message names it."""


@dataclass(frozen=True)
class Profile:
    """One callgrind run's counted region."""

    instructions: int
    """Total Ir of the counted region (``totals:``)."""
    allocations: int
    """Heap allocation requests: calls into pymalloc, plus calls into the C allocator from
    anything but pymalloc itself (its fallback for large blocks is the same request)."""
    self_ir: Counter[str] = field(default_factory=Counter)
    """Instructions executed in each function itself (not its callees)."""

    def minus(self, other: Profile) -> Profile:
        """This region's counts less ``other``'s (e.g. a replay less an empty replay)."""
        self_ir = Counter(self.self_ir)
        self_ir.subtract(other.self_ir)
        return Profile(
            self.instructions - other.instructions,
            self.allocations - other.allocations,
            Counter({fn: ir for fn, ir in self_ir.items() if ir}),
        )


def read_profile(path: Path) -> Profile:
    names: dict[str, str] = {}

    def name(text: str) -> str:
        m = _NAME.match(text)
        if m is None:
            return text
        ident, given = m.groups()
        if given is not None:
            names[ident] = given
            return given
        return names.get(ident, f"({ident})")

    totals: int | None = None
    current = ""
    callee = ""
    inclusive_line = False
    self_ir: Counter[str] = Counter()
    calls: Counter[tuple[str, str]] = Counter()
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CallgrindError(f"{path}: cannot read: {exc}") from None
    for line in lines:
        if not line:
            continue
        head = line[0]
        if head.isdigit() or head in "+-*":
            if inclusive_line:
                inclusive_line = False
            else:
                self_ir[current] += int(line.rsplit(" ", 1)[-1])
        elif line.startswith("fn="):
            current = name(line[3:])
        elif line.startswith("cfn="):
            callee = name(line[4:])
        elif line.startswith("calls="):
            calls[(current, callee)] += int(line[6:].split()[0])
            inclusive_line = True
        elif line.startswith("totals:") or line.startswith("summary:"):
            totals = int(line.split(":", 1)[1].split()[0])
    if totals is None:
        raise CallgrindError(f"{path}: no totals: line (not a callgrind output?)")
    return Profile(totals, _allocations(calls), self_ir)


def _allocations(calls: Counter[tuple[str, str]]) -> int:
    """Calls into pymalloc, plus calls into the C heap that are not pymalloc's own fallback.
    pymalloc may reach ``malloc`` through an unnamed PLT stub (``0x…``); a stub called only
    by pymalloc is pymalloc's for this rule."""
    stub_callers: dict[str, set[str]] = {}
    for caller, target in calls:
        if target.startswith("0x"):
            stub_callers.setdefault(target, set()).add(caller)
    inside = set(PYTHON_ALLOCATORS) | {
        stub for stub, callers in stub_callers.items() if callers <= PYTHON_ALLOCATORS
    }
    return sum(
        n
        for (caller, target), n in calls.items()
        if target in PYTHON_ALLOCATORS or (target in LIBC_ALLOCATORS and caller not in inside)
    )
