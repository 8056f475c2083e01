"""The sales pages for staff, mounted at /staff/sales/ (learnward.commerce.staff_views)."""

from django.urls import path

from . import staff_views

app_name = "commerce_staff"

urlpatterns = [
    path("", staff_views.orders, name="orders"),
    path("orders/<str:reference>/", staff_views.order, name="order"),
    path(
        "orders/<str:reference>/mark-paid/",
        staff_views.order_mark_paid_view,
        name="order_mark_paid",
    ),
    path("orders/<str:reference>/cancel/", staff_views.order_cancel_view, name="order_cancel"),
    path("invoices/", staff_views.invoices, name="invoices"),
    path("invoices/<str:number>/", staff_views.invoice, name="invoice"),
    path("invoices/<str:number>/refund/", staff_views.invoice_refund_view, name="invoice_refund"),
    path("credit-notes/", staff_views.credit_notes, name="credit_notes"),
    path("export/", staff_views.export, name="export"),
]
