"""What harvesters of a set must be told when a record leaves it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SetMembership(models.Model):
    """A record's place in one OAI-PMH set (``library:G04``, ``collection:BASE``, or the
    parents ``library`` and ``collection``): in it since ``joined_at`` while ``left_at`` is
    empty; out of it since ``left_at`` (its last copy there gone, moved or withdrawn), which a
    harvest of the set lists as a deletion. One row per record and set: a record that comes
    back reopens its row. Written only by ``maillon.oai.sets.refresh`` (and its backfill)."""

    record = models.ForeignKey(
        "catalogue.Record", on_delete=models.CASCADE, related_name="oai_sets", db_index=False
    )
    spec = models.CharField(_("OAI-PMH set"), max_length=120)
    joined_at = models.DateTimeField(_("joined"))
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("OAI-PMH set membership")
        verbose_name_plural = _("OAI-PMH set memberships")
        constraints = [
            models.UniqueConstraint(fields=["record", "spec"], name="oai_set_once_per_record")
        ]
        indexes = [
            # A set's members in record order (a harvest's pages).
            models.Index(
                fields=["spec", "record"],
                condition=Q(left_at__isnull=True),
                name="oai_set_members",
            ),
            # Those that left a set, by date (an incremental harvest's deletions).
            models.Index(
                fields=["spec", "left_at", "record"],
                condition=Q(left_at__isnull=False),
                name="oai_set_leavers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spec} · {self.record_id}"
