"""The catalogue as the pathway generator reads it (load_catalogue), and the demo
catalogue."""

import dataclasses

import pytest

from tests.training.test_catalogue_views import competence, make_module
from tremplin.competences.models import Competence
from tremplin.core.models import AuditEntry
from tremplin.organisation.demo import JOBS
from tremplin.training import demo_catalogue
from tremplin.training.catalogue import find_cycle, load_catalogue, saved_requires
from tremplin.training.enums import Audience, ModuleFormat, TrainerKind
from tremplin.training.models import Module, ModuleOutcome, ModulePrerequisite

# --- load_catalogue ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_catalogue_gives_active_modules_as_plain_data():
    smartphone = make_module("smartphone", outcomes=[("5.2", 0, 1)], position=10)
    retired = make_module("ancien", active=False, position=5)
    intranet = make_module(
        "intranet",
        outcomes=[("2.4", 0, 1), ("1.2", 0, 1)],
        requires=[smartphone, retired],
        position=20,
        audience=Audience.FIELD,
        job_families=["Propreté"],
        needs_device=True,
    )
    ModulePrerequisite.objects.create(module=intranet, competence=competence("5.2"), min_level=1)
    catalogue = load_catalogue()
    assert [m.code for m in catalogue.modules] == ["smartphone", "intranet"]
    loaded = catalogue.by_id[intranet.pk]
    assert loaded.outcomes == (("1.2", 0, 1), ("2.4", 0, 1))
    assert loaded.required_module_ids == (smartphone.pk,)
    assert loaded.level_prerequisites == (("5.2", 1),)
    assert loaded.job_families == ("Propreté",)
    assert (loaded.audience, loaded.needs_device, loaded.duration_minutes) == ("field", True, 90)
    assert loaded.format == ModuleFormat.GROUP
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.required_module_ids = ()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 30])
def test_load_catalogue_query_count_is_constant(size, django_assert_num_queries):
    previous = None
    for i in range(size):
        module = make_module(f"m{i}", outcomes=[("1.1", 0, 2), ("2.1", 0, 1)])
        if previous is not None:
            ModulePrerequisite.objects.create(module=module, required_module=previous)
        ModulePrerequisite.objects.create(module=module, competence=competence("5.2"), min_level=1)
        previous = module
    with django_assert_num_queries(3):
        catalogue = load_catalogue()
        assert len(catalogue.modules) == size
        assert all(len(m.outcomes) == 2 for m in catalogue.modules)


# --- The demo catalogue ------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    summary = demo_catalogue.seed(seed=1)
    return summary, load_catalogue()


def test_demo_has_a_believable_size(demo):
    summary, catalogue = demo
    assert 14 <= summary["modules"] == Module.objects.count() == len(catalogue.modules) <= 18


def test_demo_is_acyclic_and_valid(demo):
    _summary, catalogue = demo
    assert find_cycle(saved_requires()) is None
    assert catalogue.find_cycle() is None
    crcn = set(Competence.objects.crcn().values_list("code", flat=True))
    for module in Module.objects.all():
        module.full_clean()
    for module in catalogue.modules:
        assert module.outcomes, module.code
        for code, level_from, level_to in module.outcomes:
            assert code in crcn
            assert 0 <= level_from < level_to <= 8
        assert len({o.competence_code for o in module.outcomes}) == len(module.outcomes)
        assert module.id not in module.required_module_ids


def test_demo_job_families_exist_in_the_demo_workforce(demo):
    families = {family for _title, family, *_rest in JOBS}
    named = {f for m in demo[1].modules for f in m.job_families}
    assert named and named <= families


def test_demo_prerequisites_give_a_sensible_order(demo):
    catalogue = demo[1]

    def requires(code, other):
        return catalogue.by_code[other].id in catalogue.by_code[code].required_module_ids

    assert requires("intranet-paie", "smartphone")
    assert requires("visio", "messagerie")
    assert requires("tableur", "document")
    assert requires("rgpd", "securite")
    # A beginner who wants the spreadsheet starts with writing a document.
    before = catalogue.preparation_for(catalogue.by_code["tableur"], {"5.2": 1})
    assert [m.code for m in before] == ["document"]


def test_demo_fresque_coaching_and_cnfpt(demo):
    fresque = Module.objects.get(code="fresque-du-climat")
    assert (fresque.duration_minutes, fresque.group_min, fresque.group_max) == (180, 4, 16)
    assert fresque.trainer_kind == TrainerKind.FRESQUE
    coaching = Module.objects.get(format=ModuleFormat.COACHING)
    assert (coaching.duration_minutes, coaching.group_min, coaching.group_max) == (60, 1, 1)
    external = Module.objects.get(trainer_kind=TrainerKind.EXTERNAL)
    assert external.provider == "CNFPT" and external.cost_per_agent > 0
    smartphone = Module.objects.get(code="smartphone")
    assert (smartphone.audience, smartphone.place_need, smartphone.duration_minutes) == (
        Audience.FIELD,
        "tablets",
        90,
    )
    assert smartphone.group_max == 6
    assert Module.objects.filter(format=ModuleFormat.ELEARNING).exists()


def test_demo_modules_have_a_history(demo):
    module = Module.objects.get(code="messagerie")
    assert AuditEntry.objects.filter(
        target_type="training.module", target_id=str(module.pk)
    ).exists()
    assert ModuleOutcome.objects.filter(module=module).exists()
