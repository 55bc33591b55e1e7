"""Voting rounds: tally, agreement (Kendall's W) and the consensus rule. Pure logic, stdlib only."""

from method.voting.concordance import (
    AGREEMENT_KEYS,
    Concordance,
    concordance,
    describe_agreement,
    kendall_w,
)
from method.voting.consensus import (
    DEFAULT_RULE,
    MAJORITY_RULE,
    RULES,
    TOP_MEAN_RULE,
    ConsensusOutcome,
    ConsensusRule,
    Reason,
    evaluate,
)
from method.voting.tally import (
    VALID_SCORES,
    Movement,
    RoundChange,
    RoundTally,
    ThemeChange,
    ThemeTally,
    compare_rounds,
    tally_round,
    validate_scores,
)

__all__ = [
    "AGREEMENT_KEYS",
    "DEFAULT_RULE",
    "MAJORITY_RULE",
    "RULES",
    "TOP_MEAN_RULE",
    "VALID_SCORES",
    "Concordance",
    "ConsensusOutcome",
    "ConsensusRule",
    "Movement",
    "Reason",
    "RoundChange",
    "RoundTally",
    "ThemeChange",
    "ThemeTally",
    "compare_rounds",
    "concordance",
    "describe_agreement",
    "evaluate",
    "kendall_w",
    "tally_round",
    "validate_scores",
]
