import datetime as dt

from tremplin.competences.enums import EvidenceSource
from tremplin.competences.services import record_evidence

DAY = dt.date(2025, 3, 10)


def measure(agent, code, level, source=EvidenceSource.PIX, on=DAY, sd=None):
    """Records one observation the way the Pix import or the diagnostic will."""
    return record_evidence(
        agent=agent, competence=code, level=level, source=source, observed_on=on, sd=sd
    )
