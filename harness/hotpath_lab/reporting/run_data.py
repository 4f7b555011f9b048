"""Everything about one run, loaded once: what the plots and the report draw from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hotpath_lab.reporting import loader
from hotpath_lab.reporting.hlog import IntervalCounts
from hotpath_lab.storage import BuildResult, Run, load_run
from hotpath_lab.storage.run_model import BuildProfile, Measured


@dataclass(frozen=True)
class RunData:
    folder: Path
    run: Run
    summary: pd.DataFrame
    intervals: dict[str, dict[str, IntervalCounts]]
    gc: pd.DataFrame
    cpu: pd.DataFrame
    spectrum: pd.DataFrame

    @classmethod
    def load(cls, run: loader.RunRef) -> RunData:
        folder = loader.run_path(run)
        return cls(
            folder=folder,
            run=load_run(folder),
            summary=loader.run_frame(folder),
            intervals=loader.interval_counts(folder),
            gc=loader.gc_frame(folder),
            cpu=loader.cpu_frame(folder),
            spectrum=loader.spectrum_frame(folder),
        )

    @property
    def builds(self) -> list[str]:
        """The builds in ``--builds`` order."""
        return [b for b in self.run.measured if b in self.run.builds]

    def build(self, name: str) -> BuildResult:
        return self.run.build(name)

    @property
    def targets(self) -> list[str]:
        """Everything measured: the builds, and before them a wire run's floors."""
        return list(self.run.measured)

    def target(self, name: str) -> Measured:
        return self.run.target(name)

    @property
    def wire(self) -> bool:
        return self.run.mode == "wire"

    @property
    def profiles(self) -> Mapping[str, BuildProfile]:
        """Per build, its profile (empty when the run has none)."""
        return self.run.profiles.builds if self.run.profiles else {}
