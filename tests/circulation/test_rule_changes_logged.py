"""Who changed a loan rule or the network policy, when and what: the audit log keeps it and the
rules page reads it there."""

from django.urls import reverse
from django.utils import timezone

from maillon.audit.display import lines
from maillon.audit.models import AuditEntry
from maillon.audit.services import entries_for
from maillon.circulation.configuration import delete_rule, save_rule, update_policy
from maillon.circulation.models import LoanRule, NetworkPolicy
from tests.circulation.helpers import fr


def test_a_rule_change_says_who_and_what(client_fr, desk, network, types, default_rule):
    rule = save_rule(desk["head"], LoanRule(library=network["a"], item_type=types["DVD"]))
    rule.loan_days, rule.note = 7, "Nouveautés"
    save_rule(desk["head"], rule)
    save_rule(desk["head"], rule)  # nothing changed: nothing to record
    changed = entries_for(rule).get(action="rule_changed")
    assert changed.user == desk["head"]
    assert changed.details["changes"] == {"loan_days": [21, 7], "note": ["", "Nouveautés"]}
    assert entries_for(rule).count() == 2

    client_fr.force_login(desk["a"])
    body = client_fr.get(reverse("circulation:rules")).content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    who = desk["head"].get_full_name()
    assert fr("changed %(date)s by %(name)s", date=today, name=who) in body

    (line,) = lines([changed])
    assert line.label == fr("Loan rule changed")
    assert "Nouveautés" in dict(line.details)[fr("changes")]


def test_deleting_a_rule_and_changing_the_policy_are_recorded(desk, network, types, default_rule):
    rule = save_rule(desk["head"], LoanRule(library=network["b"], loan_days=14))
    pk = rule.pk
    delete_rule(desk["head"], rule)
    deleted = AuditEntry.objects.get(action="rule_deleted", object_id=pk)
    assert deleted.details["changes"]["loan_days"] == [14, None]

    update_policy(desk["head"], anonymise_after_days=60)
    entry = entries_for(NetworkPolicy.current()).get(action="policy_changed")
    assert entry.user == desk["head"]
    assert entry.details["changes"]["anonymise_after_days"][1] == 60
