from django.urls import path

from maillon.purchasing import alert_views as alerts
from maillon.purchasing import declaration_views as declarations
from maillon.purchasing import gaps, supply_views, views
from maillon.purchasing import order_views as orders
from maillon.purchasing import receiving_views as receiving
from maillon.purchasing import selection_views as lists
from maillon.purchasing import suggestion_views as suggestions

app_name = "purchasing"
urlpatterns = [
    path("", views.home, name="home"),
    path("budgets/", views.budgets, name="budgets"),
    path("budgets/fonds/<int:pk>/", views.fund_edit, name="fund"),
    path("fournisseurs/", views.suppliers, name="suppliers"),
    path("fournisseurs/nouveau/", views.supplier_edit, name="supplier_create"),
    path("fournisseurs/<int:pk>/", views.supplier_edit, name="supplier"),
    path("fournisseurs/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path(
        "fournisseurs/<int:pk>/contacts/<int:contact_pk>/supprimer/",
        views.contact_remove,
        name="contact_remove",
    ),
    path("listes/", lists.lists, name="selections"),
    path("listes/manque-du-fonds-de-base/", gaps.propose_gap, name="propose_gap"),
    path("listes/<int:pk>/", lists.detail, name="selection"),
    path("listes/<int:pk>/proposer/", lists.propose, name="propose"),
    path("listes/<int:pk>/isbn/", lists.propose_isbn, name="propose_isbn"),
    path("listes/<int:pk>/a-la-main/", lists.propose_by_hand, name="propose_by_hand"),
    path("listes/<int:pk>/titres/<int:title_pk>/engager/", lists.commit, name="commit"),
    path("listes/<int:pk>/titres/<int:title_pk>/plafond/", lists.cap, name="cap"),
    path(
        "listes/<int:pk>/engagements/<int:commitment_pk>/retirer/",
        lists.withdraw,
        name="withdraw",
    ),
    path("listes/<int:pk>/clore/", lists.close, name="close"),
    path("listes/<int:pk>/couverture/", lists.coverage, name="coverage"),
    path("listes/<int:pk>/commander/", orders.build, name="build"),
    path("commandes/", orders.order_list, name="orders"),
    path("commandes/nouvelle/", orders.order_new, name="order_new"),
    path("commandes/<int:pk>/", orders.order_detail, name="order"),
    path("commandes/<int:pk>/envoyer/", orders.send, name="send"),
    path("commandes/<int:pk>/lignes/", orders.add_line, name="add_line"),
    path(
        "commandes/<int:pk>/lignes/<int:line_pk>/annuler/", orders.cancel_line, name="cancel_line"
    ),
    path("commandes/<int:pk>/relance/", orders.claim, name="claim"),
    path("commandes/<int:pk>/commande.<str:fmt>", orders.document, name="order_document"),
    path("reception/", receiving.reception, name="reception"),
    path("reception/lignes/<int:line_pk>/", receiving.receive, name="receive"),
    path("factures/", receiving.invoices, name="invoices"),
    path("ratio-reservations/", alerts.report, name="holds_ratio"),
    path("ratio-reservations/proposer/", alerts.propose, name="propose_holds"),
    path("ratio-reservations/seuils/", alerts.thresholds, name="holds_thresholds"),
    path("declarations/", declarations.declarations, name="declarations"),
    path("fournitures/", supply_views.supplies_home, name="supplies"),
    path("fournitures/commandes/<int:pk>/", supply_views.supply_order, name="supply_order"),
    path("fournitures/articles/nouveau/", supply_views.supply_article, name="supply_article_new"),
    path("fournitures/articles/<int:pk>/", supply_views.supply_article, name="supply_article"),
    path("fournitures/articles/<int:pk>/utiliser/", supply_views.supply_use, name="supply_use"),
    path("suggestions/", suggestions.suggestion_list, name="suggestions"),
    path("suggestions/guichet/", suggestions.desk, name="desk_suggestion"),
    path("suggestions/<int:pk>/decision/", suggestions.decide, name="decide"),
]
