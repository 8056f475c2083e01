"""What is sold and how, kept in the admin: products, coupons, VAT rates and the store settings.

Orders, invoices and credit notes are not here: they change only through the services (paying,
cancelling, refunding), which the sales pages (/staff/sales/) call, and issued documents never
change at all.
"""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import Coupon, Product, StoreSettings, TaxRate


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "price", "active", "access", "seats_allowed"]
    list_filter = ["active", "seats_allowed"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["courses"]
    fields = ["title", "slug", "courses", "price", "access_months", "seats_allowed", "active"]

    @admin.display(description=gettext_lazy("access"), ordering="access_months")
    def access(self, obj: Product) -> str:
        if not obj.access_months:
            return _("Without end")
        return ngettext("%(count)s month", "%(count)s months", obj.access_months) % {
            "count": obj.access_months
        }


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "value", "valid_until", "usage_limit", "times_used", "active"]
    list_filter = ["active", "kind"]
    search_fields = ["code"]
    filter_horizontal = ["products"]
    fields = [
        "code",
        "kind",
        "value",
        "valid_until",
        "usage_limit",
        "times_used",
        "products",
        "active",
    ]
    # Counted by checkouts under a row lock; never typed in.
    readonly_fields = ["times_used"]


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ["country", "name", "rate", "in_eu", "updated_at"]
    list_display_links = ["country", "name"]
    list_editable = ["rate"]
    list_filter = ["in_eu"]
    search_fields = ["country", "name"]
    fields = ["country", "name", "rate", "in_eu", "updated_at"]
    readonly_fields = ["updated_at"]


@admin.register(StoreSettings)
class StoreSettingsAdmin(admin.ModelAdmin):
    """The one row of settings: changed, never added twice or deleted."""

    list_display = ["__str__", "legal_name", "currency", "prices_include_vat", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not StoreSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.pk = 1  # the row StoreSettings.current() reads
        super().save_model(request, obj, form, change)
