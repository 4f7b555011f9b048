"""What a gateway counts, per session (the FINISHED summary) and over its life (the exit line)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hotpath_format.codes import WireReject


@dataclass(slots=True)
class Counters:
    frames: int = 0
    """Frames received, of any kind, well-formed or not."""
    events: int = 0
    """Events applied to an engine."""
    reports: int = 0
    """Reports sent."""
    rejected: Counter[str] = field(default_factory=Counter)
    """Frames refused, by reject code name."""

    def reject(self, code: WireReject) -> None:
        self.rejected[code.name] += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "frames": self.frames,
            "events": self.events,
            "reports": self.reports,
            "rejected_frames": dict(sorted(self.rejected.items())),
        }
