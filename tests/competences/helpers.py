import datetime as dt

from tremplin.competences.enums import EvidenceSource
from tremplin.competences.services import record_evidence
from tremplin.core.enums import AuditAction
from tremplin.core.models import AuditEntry

DAY = dt.date(2025, 3, 10)


def measure(agent, code, level, source=EvidenceSource.PIX, on=DAY, sd=None):
    """Records one observation the way the Pix import or the diagnostic will."""
    return record_evidence(
        agent=agent, competence=code, level=level, source=source, observed_on=on, sd=sd
    )


# In a bulk entry, the fields each observation has its own value of (one list entry per
# observation, see competences.services._audit_entries); the others are common.
BATCH_OWN_FIELDS = {"id", "competence_id", "level", "sd"}


def audited_evidence() -> dict[int, tuple]:
    """{evidence id: (its creation entry, what that entry says about it)}: the changes as
    audit.diff(None, snapshot(evidence)) gives them, whether the observation has its own
    entry (record_evidence) or shares one with its batch (record_evidence_bulk)."""
    found = {}
    for entry in AuditEntry.objects.filter(
        target_type="competences.evidence", action=AuditAction.CREATE
    ):
        ids = entry.changes["id"][1]
        if not isinstance(ids, list):
            found[ids] = (entry, entry.changes)
            continue
        for position, pk in enumerate(ids):
            changes = {
                key: [None, after[position] if key in BATCH_OWN_FIELDS else after]
                for key, (_before, after) in entry.changes.items()
            }
            # diff() leaves out what stays None.
            found[pk] = (entry, {k: v for k, v in changes.items() if v != [None, None]})
    return found
