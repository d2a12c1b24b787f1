"""Signals of the competences app, so that apps built on profiles (training pathways)
follow them without competences knowing those apps."""

from django.dispatch import Signal

# Sent after evidence was recorded and profiles recomputed, inside the same transaction,
# with `agent_ids`: the agents whose evidence changed.
evidence_recorded = Signal()
