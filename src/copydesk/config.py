"""Every tunable parameter in one object, composed of each stage's own parameters.

Each stage owns its dataclass (``SketchParams`` in sketch.py, ...) with defaults and a line on
why; ``Config`` gathers them so the command line and the engines pass one thing around.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from copydesk.align import AlignParams
from copydesk.candidates import CandidateParams
from copydesk.lineage import LineageParams
from copydesk.reuse import ReuseParams
from copydesk.sketch import SketchParams
from copydesk.stories import StoryParams
from copydesk.verify import VerifyParams


@dataclass(frozen=True)
class Config:
    sketch: SketchParams = field(default_factory=SketchParams)
    candidates: CandidateParams = field(default_factory=CandidateParams)
    verify: VerifyParams = field(default_factory=VerifyParams)
    lineage: LineageParams = field(default_factory=LineageParams)
    align: AlignParams = field(default_factory=AlignParams)
    reuse: ReuseParams = field(default_factory=ReuseParams)
    stories: StoryParams = field(default_factory=StoryParams)
    workers: int = 1
    """Processes for the compiled stages; results are the same for any number."""
    batch_size: int = 2048
    """Articles per batch handed to a worker: large enough to amortise, small enough to stream."""

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
