"""Attempts counted per account or per address, in the database so every process agrees."""

from django.db import models


class Counter(models.Model):
    """Attempts under one key (a hashed account name or an address) in the current window; past
    its limit the key is locked until ``locked_until``."""

    key = models.CharField(max_length=80, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
