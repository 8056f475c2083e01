from django.urls import path

from . import views

app_name = "commerce"

urlpatterns = [
    path("shop/orders/", views.my_orders, name="orders"),
    path("shop/orders/<str:reference>/", views.order_detail, name="order"),
    path("shop/orders/<str:reference>/pay/", views.order_pay, name="order_pay"),
    path("shop/orders/<str:reference>/return/", views.order_return, name="order_return"),
    path("shop/orders/<str:reference>/proforma.pdf", views.proforma_pdf, name="proforma_pdf"),
    path("shop/orders/<str:reference>/codes/", views.seat_codes, name="seat_codes"),
    path("shop/invoices/<str:number>.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("shop/credit-notes/<str:number>.pdf", views.credit_note_pdf, name="credit_note_pdf"),
    path("shop/redeem/", views.redeem, name="redeem"),
    path("shop/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("shop/<slug:slug>/buy/", views.buy, name="buy"),
    path("shop/<slug:slug>/seats/", views.buy_seats, name="buy_seats"),
]
