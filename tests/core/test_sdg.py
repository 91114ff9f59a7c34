"""SDG taxonomy data, local targets, the tagging form field and ``sdg_tags_set``."""

import importlib

import pytest
from django import forms
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.utils import translation

from lidzdaliba.core.forms import SdgTags, SdgTagsField
from lidzdaliba.core.models import AuditEvent, SdgGoal, SdgTarget
from lidzdaliba.core.services import sdg as sdg_services

pytestmark = pytest.mark.django_db


def test_the_migration_loads_all_17_goals_and_169_un_targets():
    # then
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.filter(municipality__isnull=True).count() == 169
    goal = SdgGoal.objects.get(number=11)
    assert goal.colour == "#FD9D24"
    assert goal.name_lv == "Ilgtspējīgas pilsētas un kopienas"
    assert goal.name_en == "Sustainable cities and communities"
    assert goal.name_ru
    assert goal.name_uk
    assert goal.targets.count() == 10
    target = SdgTarget.objects.get(code="16.7", municipality__isnull=True)
    assert target.title_lv.startswith("Nodrošināt atsaucīgu, iekļaujošu, līdzdalīgu")
    assert target.title_en.startswith("Ensure responsive, inclusive, participatory")


def test_every_target_has_a_latvian_and_english_title_and_matches_its_goal():
    for target in SdgTarget.objects.select_related("goal"):
        assert target.title_lv, target.code
        assert target.title_en, target.code
        assert target.code.split(".")[0] == str(target.goal.number)


def test_titles_follow_the_active_language():
    target = SdgTarget.objects.get(code="1.1")
    with translation.override("en"):
        assert target.title.startswith("By 2030, eradicate extreme poverty")
    with translation.override("lv"):
        assert target.title.startswith("Līdz 2030. gadam izskaust galējo nabadzību")


def test_the_data_migration_is_reversible():
    # given
    migration = importlib.import_module("lidzdaliba.core.migrations.0002_sdg_taxonomy")
    # when
    migration.unload(django_apps, None)
    # then
    assert SdgGoal.objects.count() == 0
    assert SdgTarget.objects.count() == 0
    # when loaded again (twice: loading is idempotent)
    migration.load(django_apps, None)
    migration.load(django_apps, None)
    # then
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169


def test_administrator_adds_a_local_target(administrator, municipality):
    # when
    target = sdg_services.sdg_local_target_create(
        actor=administrator,
        municipality=municipality,
        code="11.L1",
        title={"lv": "Apkaimju iedzīvotāji lemj par līdzdalības budžetu", "en": "Residents decide"},
    )
    # then
    assert target.goal.number == 11
    assert target.is_local
    assert target.title_lv == "Apkaimju iedzīvotāji lemj par līdzdalības budžetu"
    assert target.title_en == "Residents decide"
    event = AuditEvent.objects.get(verb="sdg.local_target_created")
    assert event.actor == administrator
    assert event.municipality == municipality


@pytest.mark.parametrize(
    ("_case", "code"),
    [
        ("no L marker", "11.9"),
        ("unknown goal", "18.L1"),
        ("letters after L", "11.Lx"),
        ("empty", ""),
        ("UN-style code", "11.a"),
    ],
)
def test_malformed_local_codes_are_refused(administrator, municipality, _case, code):
    # when / then
    with pytest.raises(sdg_services.SdgTargetError) as exc:
        sdg_services.sdg_local_target_create(
            actor=administrator, municipality=municipality, code=code, title="Virsraksts"
        )
    assert "11.L1" in exc.value.message
    assert SdgTarget.objects.filter(municipality=municipality).count() == 0
    assert not AuditEvent.objects.filter(verb="sdg.local_target_created").exists()


def test_a_local_code_is_unique_per_municipality(administrator, municipality):
    # given
    sdg_services.sdg_local_target_create(
        actor=administrator, municipality=municipality, code="11.L1", title="Pirmais"
    )
    # when / then
    with pytest.raises(sdg_services.SdgTargetError):
        sdg_services.sdg_local_target_create(
            actor=administrator, municipality=municipality, code="11.L1", title="Otrais"
        )
    assert SdgTarget.objects.filter(municipality=municipality).count() == 1


def test_a_latvian_title_is_required(administrator, municipality):
    with pytest.raises(sdg_services.SdgTargetError):
        sdg_services.sdg_local_target_create(
            actor=administrator,
            municipality=municipality,
            code="11.L1",
            title={"en": "Only English"},
        )
    assert not SdgTarget.objects.filter(municipality=municipality).exists()


@pytest.mark.parametrize("who", ["anonymous", "resident", "moderator"])
def test_only_administrators_manage_local_targets(request, municipality, who):
    # given
    actor = request.getfixturevalue(who)
    # when / then
    with pytest.raises(PermissionDenied):
        sdg_services.sdg_local_target_create(
            actor=actor, municipality=municipality, code="11.L1", title="Virsraksts"
        )
    assert not SdgTarget.objects.filter(municipality=municipality).exists()


def test_un_targets_cannot_be_changed_or_removed(administrator):
    # given
    target = SdgTarget.objects.get(code="11.3")
    title = target.title_lv
    # when / then
    with pytest.raises(sdg_services.SdgTargetError):
        sdg_services.sdg_local_target_update(actor=administrator, target=target, title="Cits")
    with pytest.raises(sdg_services.SdgTargetError):
        sdg_services.sdg_local_target_delete(actor=administrator, target=target)
    target.refresh_from_db()
    assert target.title_lv == title


def test_local_target_update_and_delete_are_audited(administrator, municipality):
    # given
    target = sdg_services.sdg_local_target_create(
        actor=administrator, municipality=municipality, code="3.L1", title="Vecais"
    )
    # when
    sdg_services.sdg_local_target_update(actor=administrator, target=target, title="Jaunais")
    # then
    target.refresh_from_db()
    assert target.title_lv == "Jaunais"
    assert AuditEvent.objects.filter(verb="sdg.local_target_updated").count() == 1
    # when
    sdg_services.sdg_local_target_delete(actor=administrator, target=target)
    # then
    assert not SdgTarget.objects.filter(pk=target.pk).exists()
    assert AuditEvent.objects.filter(verb="sdg.local_target_deleted").count() == 1


class TaggingForm(forms.Form):
    sdg = SdgTagsField(required=False)


def test_the_tags_field_offers_un_and_own_local_targets_grouped_by_goal(
    administrator, municipality
):
    # given
    local = sdg_services.sdg_local_target_create(
        actor=administrator, municipality=municipality, code="11.L1", title="Vietējais mērķis"
    )
    # when
    form = TaggingForm()
    form.fields["sdg"].set_municipality(municipality)
    html = form.as_div()
    # then: one fieldset per goal inside the field's own fieldset, labelled checkboxes
    assert html.count('<fieldset class="sdg-goal') == 17
    assert "<legend>" in html
    assert f'value="target-{local.pk}"' in html
    assert f'<label for="id_sdg_t{local.pk}">' in html
    assert "Vietējais mērķis" in html


def test_the_tags_field_hides_other_municipalities_local_targets(administrator, municipality):
    # given
    sdg_services.sdg_local_target_create(
        actor=administrator, municipality=municipality, code="11.L1", title="Vietējais mērķis"
    )
    # when
    form = TaggingForm()
    form.fields["sdg"].set_municipality(None)
    # then
    assert "Vietējais mērķis" not in form.as_div()


def test_the_tags_field_cleans_to_goals_and_targets():
    # given
    goal = SdgGoal.objects.get(number=5)
    target = SdgTarget.objects.get(code="11.7")
    # when
    form = TaggingForm(data={"sdg": [f"goal-{goal.pk}", f"target-{target.pk}"]})
    # then
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sdg"] == SdgTags(goals=[goal], targets=[target])


def test_the_tags_field_refuses_unknown_values():
    form = TaggingForm(data={"sdg": ["target-999999"]})
    assert not form.is_valid()


def test_the_tags_field_renders_chosen_values_checked_and_open():
    target = SdgTarget.objects.get(code="11.7")
    form = TaggingForm(data={"sdg": [f"target-{target.pk}"]})
    html = form.as_div()
    assert f'value="target-{target.pk}" id="id_sdg_t{target.pk}" checked' in html
    assert "<details open>" in html


class FakeRelation:
    """Stands in for an SdgTaggable model's M2M manager: core has no concrete taggable
    model and tests may not add migrations."""

    def __init__(self, model):
        self.model = model
        self.ids: set[int] = set()

    def values_list(self, *fields, flat=False):
        return list(self.ids)

    def set(self, objs):
        self.ids = {getattr(o, "pk", o) for o in objs}


class FakeTaggable:
    def __init__(self, municipality):
        self.municipality_id = municipality.pk
        self.municipality = municipality
        self.sdg_goals = FakeRelation(SdgGoal)
        self.sdg_targets = FakeRelation(SdgTarget)


def test_tagging_a_target_tags_its_goal(municipality):
    # given
    obj = FakeTaggable(municipality)
    target = SdgTarget.objects.get(code="11.7")
    goal = SdgGoal.objects.get(number=3)
    # when
    sdg_services.sdg_tags_set(obj=obj, goals=[goal], targets=[target])
    # then
    assert obj.sdg_goals.ids == {goal.pk, target.goal_id}
    assert obj.sdg_targets.ids == {target.pk}


def test_tagging_with_another_municipalitys_target_is_refused(administrator, municipality):
    # given
    from lidzdaliba.core.models import Municipality

    other = Municipality.objects.create(
        slug="ventspils", name="Ventspils", map_center_lat=57.39, map_center_lon=21.56
    )
    foreign = sdg_services.sdg_local_target_create(
        actor=administrator, municipality=other, code="11.L1", title="Svešs"
    )
    obj = FakeTaggable(municipality)
    # when / then
    with pytest.raises(sdg_services.SdgTargetError):
        sdg_services.sdg_tags_set(obj=obj, targets=[foreign])
    assert obj.sdg_targets.ids == set()


def test_an_administrator_of_another_municipality_cannot_add_local_targets(municipality):
    from django.contrib.auth.models import Group

    from lidzdaliba.accounts import roles
    from lidzdaliba.core.models import Municipality
    from tests.factories import UserFactory

    other = Municipality.objects.create(
        slug="ventspils", name="Ventspils", map_center_lat=57.39, map_center_lon=21.56
    )
    outsider = UserFactory(municipality=other, is_staff=True)
    outsider.groups.add(Group.objects.get_or_create(name=roles.ADMINISTRATORS)[0])
    with pytest.raises(PermissionDenied):
        sdg_services.sdg_local_target_create(
            actor=outsider, municipality=municipality, code="11.L1", title="Svešs"
        )
    assert not SdgTarget.objects.filter(municipality=municipality).exists()
