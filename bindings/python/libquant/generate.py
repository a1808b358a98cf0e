"""What a generation returns."""

import dataclasses
import enum


class StopReason(enum.IntEnum):
    """Why a generation ended (C's ``lq_stop_reason``)."""

    MAX_TOKENS = 0
    END_OF_GENERATION = 1
    STRING = 2
    CALLBACK = 3
    CONTEXT_FULL = 4
    CANCELLED = 5
    """:meth:`Context.cancel` stopped it (the library returned ``LQ_ERR_CANCELLED``)."""


@dataclasses.dataclass(frozen=True)
class GenerateResult:
    """The text a generation produced and what happened."""

    text: str
    stop_reason: StopReason
    n_prompt_tokens: int
    n_reused_tokens: int
    n_generated_tokens: int
    prompt_seconds: float
    generate_seconds: float
