"""The coordinator edits the loan rules and the network policy in the staff pages; the desk then
lends by them. Everyone else reads them."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maillon.audit.services import entries_for
from maillon.catalogue.models import ItemType
from maillon.circulation import services
from maillon.circulation.configuration import delete_rule, save_rule, update_policy
from maillon.circulation.models import LoanRule, NetworkPolicy
from maillon.network.models import Role
from maillon.patrons.models import PatronCategory
from tests.circulation.helpers import fr

RULES = reverse("circulation:rules")
NEW_RULE = reverse("circulation:rule_create")
POLICY = reverse("circulation:policy_edit")


def rule_form(**values) -> dict:
    form = {
        "library": "",
        "patron_category": "",
        "item_type": "",
        "loan_days": "21",
        "renewals": "2",
        "max_loans": "",
        "holds_allowed": "on",
        "hold_shelf_days": "10",
        "may_travel": "on",
        "note": "",
    }
    form.update({k: "" if v is None else str(v) for k, v in values.items()})
    return {k: v for k, v in form.items() if v is not False}


def test_coordinator_adds_a_rule_and_the_desk_lends_by_it(
    client, desk, network, types, categories, default_rule, make_patron, make_item, book
):
    client.force_login(desk["head"])
    response = client.post(
        NEW_RULE,
        rule_form(
            library=network["a"].pk,
            item_type=types["DVD"].pk,
            loan_days=7,
            renewals=0,
            note="DVD en courte durée",
        ),
    )
    assert response.status_code == 302
    rule = LoanRule.objects.get(library=network["a"], item_type=types["DVD"])
    changed_by = entries_for(rule).get(action="rule_created").user
    assert (rule.loan_days, rule.renewals, changed_by) == (7, 0, desk["head"])

    today = dt.date(2025, 3, 3)
    dvd = make_item(book, item_type="DVD")
    loan = services.checkout(desk["a"], network["a"], make_patron(), dvd, today=today)
    assert loan.due_on == today + dt.timedelta(days=7)
    # The same patron borrowing a book gets the default rule.
    other = services.checkout(desk["a"], network["a"], loan.patron, make_item(book), today=today)
    assert other.due_on == today + dt.timedelta(days=21)


def test_coordinator_changes_a_rule_in_place(client, desk, types, default_rule):
    rule = LoanRule.objects.create(item_type=types["DVD"], loan_days=14)
    client.force_login(desk["head"])
    response = client.post(
        reverse("circulation:rule_edit", args=[rule.pk]),
        rule_form(item_type=types["DVD"].pk, loan_days=10, holds_allowed=False),
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.loan_days, rule.holds_allowed) == (10, False)


def test_second_rule_for_one_scope_is_refused_and_the_form_kept(client, desk, types, default_rule):
    LoanRule.objects.create(item_type=types["DVD"], loan_days=14)
    client.force_login(desk["head"])
    response = client.post(
        NEW_RULE, rule_form(item_type=types["DVD"].pk, loan_days=3, note="doublon")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        fr(
            "A rule already exists for this library, patron category and item type: "
            "change that one instead."
        )
        in page
    )
    assert 'value="doublon"' in page
    assert LoanRule.objects.filter(item_type=types["DVD"]).count() == 1


def test_zero_day_loan_is_refused_with_the_field_named(client, desk, default_rule):
    client.force_login(desk["head"])
    response = client.post(NEW_RULE, rule_form(loan_days=0, library=""))
    assert response.status_code == 200
    assert 'id="id_loan_days_error"' in response.content.decode()
    assert LoanRule.objects.count() == 1


def test_the_default_rule_keeps_its_scope_and_cannot_be_deleted(
    client, desk, network, default_rule
):
    client.force_login(desk["head"])
    # Its scope fields are disabled: what is posted for them is ignored.
    response = client.post(
        reverse("circulation:rule_edit", args=[default_rule.pk]),
        rule_form(library=network["a"].pk, loan_days=28),
    )
    assert response.status_code == 302
    default_rule.refresh_from_db()
    assert (default_rule.library_id, default_rule.loan_days) == (None, 28)

    default_rule.library = network["a"]
    with pytest.raises(services.CirculationError) as refused:
        save_rule(desk["head"], default_rule)
    assert refused.value.code == "default_rule_scope"

    response = client.post(reverse("circulation:rule_delete", args=[default_rule.pk]), follow=True)
    assert (
        fr(
            "The network's default rule cannot be deleted: every loan needs a rule. "
            "Change its conditions instead."
        )
        in response.content.decode()
    )
    assert LoanRule.objects.filter(pk=default_rule.pk).exists()


def test_coordinator_deletes_a_narrow_rule(client, desk, types, default_rule):
    rule = LoanRule.objects.create(item_type=types["DVD"], loan_days=14)
    client.force_login(desk["head"])
    response = client.post(reverse("circulation:rule_delete", args=[rule.pk]))
    assert response.status_code == 302
    assert not LoanRule.objects.filter(pk=rule.pk).exists()


@pytest.mark.parametrize("who", ["a", "volunteer"])
def test_librarians_and_volunteers_read_the_rules_but_change_nothing(
    client, desk, staff, who, types, default_rule
):
    rule = LoanRule.objects.create(item_type=types["DVD"], loan_days=14)
    client.force_login(desk[who])
    page = client.get(RULES)
    assert page.status_code == 200
    assert reverse("circulation:rule_edit", args=[rule.pk]) not in page.content.decode()
    assert client.get(NEW_RULE).status_code == 403
    assert client.post(NEW_RULE, rule_form(loan_days=3)).status_code == 403
    assert (
        client.post(
            reverse("circulation:rule_edit", args=[rule.pk]),
            rule_form(item_type=types["DVD"].pk, loan_days=99),
        ).status_code
        == 403
    )
    assert client.post(reverse("circulation:rule_delete", args=[rule.pk])).status_code == 403
    assert client.post(POLICY, {"max_loans_per_library": "1"}).status_code == 403
    rule.refresh_from_db()
    assert rule.loan_days == 14 and LoanRule.objects.count() == 2
    assert NetworkPolicy.current().max_loans_per_library == 10


def test_md_staff_may_not_change_rules_through_the_service(staff, types, default_rule):
    with pytest.raises(Exception) as refused:
        save_rule(staff[Role.MD_STAFF], LoanRule(item_type=types["DVD"], loan_days=3))
    assert refused.type.__name__ == "PermissionDenied"
    with pytest.raises(Exception) as refused:
        delete_rule(staff[Role.LIBRARIAN], default_rule)
    assert refused.type.__name__ == "PermissionDenied"


def test_policy_change_moves_the_cap_at_the_desk(
    client, desk, network, make_patron, make_item, book, default_rule, policy
):
    client.force_login(desk["head"])
    response = client.post(
        POLICY,
        {
            "max_loans_per_library": "1",
            "max_loans_network": "20",
            "collective_exempt": "on",
            "anonymise_after_days": "30",
            "due_soon_days": "3",
        },
    )
    assert response.status_code == 302
    assert NetworkPolicy.current().max_loans_per_library == 1
    assert entries_for(NetworkPolicy.current()).get().user == desk["head"]

    patron = make_patron()
    today = dt.date(2025, 3, 3)
    services.checkout(desk["a"], network["a"], patron, make_item(book), today=today)
    with pytest.raises(services.CirculationError) as refused:
        services.checkout(desk["a"], network["a"], patron, make_item(book), today=today)
    assert refused.value.code == "max_loans_library"


def test_policy_form_keeps_bad_input(client, desk, policy):
    client.force_login(desk["head"])
    response = client.post(
        POLICY,
        {
            "max_loans_per_library": "dix",
            "max_loans_network": "20",
            "anonymise_after_days": "30",
            "due_soon_days": "3",
        },
    )
    assert response.status_code == 200
    assert 'value="dix"' in response.content.decode()
    assert NetworkPolicy.current().max_loans_per_library == 10


def test_update_policy_refuses_unknown_fields(desk, policy):
    with pytest.raises(ValueError):
        update_policy(desk["head"], loan_days=3)


def test_the_question_says_what_it_cannot_read(client, desk, network, categories, types):
    """A category that does not exist (an old link) left the form silent."""
    client.force_login(desk["a"])
    page = client.get(RULES, {"bibliotheque": "BBB", "categorie": "ZZZ", "type": "DVD"})
    text = page.content.decode()
    assert 'id="id_categorie_error"' in text and 'id="id_bibliotheque_error"' not in text


def test_question_names_the_rule_and_why(client, desk, network, categories, types, default_rule):
    LoanRule.objects.create(item_type=types["DVD"], loan_days=7)
    LoanRule.objects.create(library=network["b"], item_type=types["DVD"], loan_days=3)
    client.force_login(desk["a"])
    page = client.get(RULES, {"bibliotheque": "BBB", "categorie": "ADU", "type": "DVD"})
    text = page.content.decode()
    assert (
        fr(
            "This rule applies because it names %(criteria)s; it is the most specific of "
            "the %(count)d matching rules (the library counts most, then the patron "
            "category, then the item type).",
            criteria=", ".join(
                [
                    fr("the library %(name)s", name=network["b"].name),
                    fr("the item type %(name)s", name="DVD"),
                ]
            ),
            count=3,
        )
        in text
    )


def test_grid_shows_each_category_and_type_at_a_library(
    client, desk, network, categories, types, default_rule
):
    LoanRule.objects.create(
        library=network["b"], item_type=types["DVD"], loan_days=3, holds_allowed=False
    )
    client.force_login(desk["a"])
    text = client.get(RULES, {"grille": "BBB"}).content.decode()
    grid = text[
        text.index('class="rule-grid"') : text.index("</table>", text.index('class="rule-grid"'))
    ]
    # A cell per category and item type; the BBB DVD rule fills the DVD column.
    cells = PatronCategory.objects.filter(is_active=True).count() * ItemType.objects.count()
    assert cells >= 9 and grid.count("<td>") == cells
    assert grid.count(fr("%(days)s d", days=3)) == 3
    assert grid.count(fr("no holds")) == 3
    assert grid.count(fr("%(days)s d", days=21)) == cells - 3


def test_rules_as_csv(client, desk, network, types, default_rule):
    LoanRule.objects.create(
        library=network["a"], item_type=types["DVD"], loan_days=7, max_loans=2, note="Courte durée"
    )
    client.force_login(desk["volunteer"])
    response = client.get(reverse("circulation:rules_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    assert rows[1][:6] == [network["a"].name, fr("any category"), "DVD", "7", "2", "2"]
    assert rows[1][-1] == "Courte durée"


def test_rules_as_xlsx(client, desk, network, types, default_rule):
    LoanRule.objects.create(
        library=network["a"], item_type=types["DVD"], loan_days=7, max_loans=2, note="-Courte"
    )
    client.force_login(desk["volunteer"])
    response = client.get(reverse("circulation:rules_xlsx"))
    assert 'filename="regles-de-pret.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[1][:6] == (network["a"].name, fr("any category"), "DVD", 7, 2, 2)  # numbers
    assert rows[1][-1] == "'-Courte"
