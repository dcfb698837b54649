"""The most specific rule wins (library > patron category > item type), and says why."""

import pytest
from django.db import IntegrityError, transaction

from maillon.circulation.models import LoanRule
from maillon.circulation.services import explain_rule, rule_for


@pytest.fixture
def rules(network, categories, types, default_rule):
    return {
        "default": default_rule,
        "dvd": LoanRule.objects.create(item_type=types["DVD"], loan_days=7),
        "child": LoanRule.objects.create(patron_category=categories["child"], loan_days=28),
        "child_dvd": LoanRule.objects.create(
            patron_category=categories["child"], item_type=types["DVD"], loan_days=14
        ),
        "a": LoanRule.objects.create(library=network["a"], loan_days=30),
    }


def test_default_rule_is_seeded_by_the_migration(db):
    rule = LoanRule.objects.get(library=None, patron_category=None, item_type=None)
    assert (rule.loan_days, rule.renewals, rule.holds_allowed, rule.hold_shelf_days) == (
        21,
        2,
        True,
        10,
    )


def test_nothing_specific_gives_the_default(rules, network, categories, types):
    assert rule_for(network["b"], categories["adult"], types["LIVRE"]) == rules["default"]


def test_item_type_beats_default(rules, network, categories, types):
    assert rule_for(network["b"], categories["adult"], types["DVD"]) == rules["dvd"]


def test_category_beats_item_type(rules, network, categories, types):
    assert rule_for(network["b"], categories["child"], types["LIVRE"]) == rules["child"]


def test_category_and_type_beat_category_alone(rules, network, categories, types):
    assert rule_for(network["b"], categories["child"], types["DVD"]) == rules["child_dvd"]


def test_library_beats_category_and_type(rules, network, categories, types):
    assert rule_for(network["a"], categories["child"], types["DVD"]) == rules["a"]


def test_explanation_names_the_criteria(rules, network, categories, types):
    explanation = explain_rule(network["b"], categories["child"], types["DVD"])
    assert explanation.rule == rules["child_dvd"]
    assert "Enfant" in explanation.reason and "DVD" in explanation.reason
    assert "14" in explanation.reason
    assert [r.pk for r in explanation.overridden] == [
        rules["child"].pk,
        rules["dvd"].pk,
        rules["default"].pk,
    ]


def test_explanation_of_the_default(rules, network, categories, types):
    explanation = explain_rule(network["b"], categories["adult"], types["LIVRE"])
    assert explanation.rule == rules["default"] and explanation.overridden == []
    assert explanation.reason


def test_two_rules_for_the_same_scope_are_refused(rules, types):
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanRule.objects.create(item_type=types["DVD"], loan_days=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanRule.objects.create(loan_days=3)  # a second default
