"""The payment providers' settings and gateways (contracts.md, "Payments").

``build_gateways`` gives one ``PaymentGateway`` per provider: ``"stripe"`` (USD) and ``"flutterwave"`` (NGN). A
provider without a secret key gets ``sandbox(provider_name, currency)`` instead (the dev sandbox: its checkout URL
is a page of our own app), so the whole flow works on the embedded default with no keys.

``PaymentsSettings`` is a settings section; the domain module that uses the gateways (mentorship) declares it as
its ``settings`` (or reads it with ``settings.section(PaymentsSettings)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, ClassVar

from adapters.payments.flutterwave import DEFAULT_API_BASE as FLUTTERWAVE_API_BASE
from adapters.payments.flutterwave import FlutterwavePaymentGateway
from adapters.payments.stripe import DEFAULT_API_BASE as STRIPE_API_BASE
from adapters.payments.stripe import StripePaymentGateway
from bootstrap.settings import Secret, Section, var
from ports.payments import PaymentGateway

__all__ = ("PaymentsSettings", "build_gateways")


class PaymentsSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "payments"

    stripe_secret_key: Annotated[
        Secret, var("STRIPE_SECRET_KEY", "Stripe API secret key (`sk_…`); unset: Stripe payments use the sandbox")
    ] = Secret("")
    stripe_webhook_secret: Annotated[
        Secret,
        var("STRIPE_WEBHOOK_SECRET", "signing secret (`whsec_…`) of the `POST /payments/stripe/webhook/` endpoint"),
    ] = Secret("")
    stripe_api_base: Annotated[str, var("STRIPE_API_BASE", "Stripe API base URL (a local fake in tests)")] = (
        STRIPE_API_BASE
    )
    flutterwave_secret_key: Annotated[
        Secret,
        var("FLUTTERWAVE_SECRET_KEY", "Flutterwave v3 secret key; unset: Flutterwave payments use the sandbox"),
    ] = Secret("")
    flutterwave_webhook_hash: Annotated[
        Secret,
        var(
            "FLUTTERWAVE_WEBHOOK_HASH",
            "the secret hash set in Flutterwave's dashboard, sent as `verif-hash` (unset: every webhook is refused)",
        ),
    ] = Secret("")
    flutterwave_api_base: Annotated[
        str, var("FLUTTERWAVE_API_BASE", "Flutterwave v3 API base URL (a local fake in tests)")
    ] = FLUTTERWAVE_API_BASE


def build_gateways(
    settings: PaymentsSettings, sandbox: Callable[[str, str], PaymentGateway]
) -> dict[str, PaymentGateway]:
    """``{"stripe": <USD gateway>, "flutterwave": <NGN gateway>}``; the sandbox for a provider without a key."""
    gateways: dict[str, PaymentGateway] = {}
    if settings.stripe_secret_key:
        gateways["stripe"] = StripePaymentGateway(
            settings.stripe_secret_key.get(),
            settings.stripe_webhook_secret.get(),
            api_base=settings.stripe_api_base or STRIPE_API_BASE,
            currency="USD",
        )
    else:
        gateways["stripe"] = sandbox("stripe", "USD")
    if settings.flutterwave_secret_key:
        gateways["flutterwave"] = FlutterwavePaymentGateway(
            settings.flutterwave_secret_key.get(),
            settings.flutterwave_webhook_hash.get(),
            api_base=settings.flutterwave_api_base or FLUTTERWAVE_API_BASE,
            currency="NGN",
        )
    else:
        gateways["flutterwave"] = sandbox("flutterwave", "NGN")
    return gateways
