"""Which agents HR opened « Métiers accessibles » to. The menu asks on every page, so
the set of ids is cached: one query per cache miss, none otherwise."""

from django.core.cache import cache

CACHE_KEY = "mobility-reachable-jobs-agent-ids"
CACHE_SECONDS = 300


def opened_agent_ids() -> frozenset[int]:
    ids = cache.get(CACHE_KEY)
    if ids is None:
        from .models import ReachableJobsAccess

        ids = frozenset(ReachableJobsAccess.objects.values_list("agent_id", flat=True))
        cache.set(CACHE_KEY, ids, CACHE_SECONDS)
    return ids


def reachable_jobs_opened(agent_id: int) -> bool:
    return agent_id in opened_agent_ids()


def set_opened(agent, *, opened: bool, by=None) -> None:
    from .models import ReachableJobsAccess

    if opened:
        ReachableJobsAccess.objects.get_or_create(agent=agent, defaults={"opened_by": by})
    else:
        ReachableJobsAccess.objects.filter(agent=agent).delete()
    cache.delete(CACHE_KEY)
