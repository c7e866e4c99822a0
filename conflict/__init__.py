"""Pure conflict detection and resolution for the PathSix CRM sync server.

A decision engine with no I/O: it imports only the standard library, never mutates its inputs
and never reads a clock (times are passed in). The server calls a `decide_*` function inside a
mutation's transaction and turns the returned `Decision` into writes, log rows and conflicts.
See SYNC.md "Clocks" and "Field policies"; the exact rules are in `merge` and `lifecycle`.
"""

from conflict.decision import ConflictKind, Decision, FieldLoss, Outcome
from conflict.dots import CausalContext, Dot
from conflict.lifecycle import (
    decide_convert,
    decide_delete,
    decide_lost_access,
    decide_restore,
    decide_update_of_missing,
)
from conflict.merge import RESERVED_FIELDS, decide_update, merge_dots, same_value
from conflict.policies import (
    ENTITIES,
    FIELD_POLICIES,
    Policy,
    export_policy_table,
    policy_for,
)

__all__ = [
    "ENTITIES",
    "FIELD_POLICIES",
    "RESERVED_FIELDS",
    "CausalContext",
    "ConflictKind",
    "Decision",
    "Dot",
    "FieldLoss",
    "Outcome",
    "Policy",
    "decide_convert",
    "decide_delete",
    "decide_lost_access",
    "decide_restore",
    "decide_update",
    "decide_update_of_missing",
    "export_policy_table",
    "merge_dots",
    "policy_for",
    "same_value",
]
