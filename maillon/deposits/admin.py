from django.contrib import admin

from maillon.core.admin import ReadOnlyAdmin
from maillon.deposits.models import DepositAllowance, DepositLevel

admin.site.register([DepositLevel, DepositAllowance], ReadOnlyAdmin)
