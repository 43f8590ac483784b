"""Every scenario of the demo mailbox, in the order the demo plays them: the texts are in
``scenarios_*.py`` by concept, their types and people in ``cast``."""

from __future__ import annotations

from handoff.demo.cast import Scenario
from handoff.demo.scenarios_founder import FOUNDER
from handoff.demo.scenarios_noise import NOISE
from handoff.demo.scenarios_presales import PRESALES
from handoff.demo.scenarios_problems import PROBLEMS
from handoff.demo.scenarios_support import SUPPORT

SCENARIOS: tuple[Scenario, ...] = (*PRESALES, *SUPPORT, *PROBLEMS, *FOUNDER, *NOISE)
