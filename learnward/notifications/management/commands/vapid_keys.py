import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate_vapid_keys() -> tuple[str, str]:
    """A new P-256 key pair: (private key, public key), both base64url without padding, the
    forms LEARNWARD_VAPID_PRIVATE_KEY and LEARNWARD_VAPID_PUBLIC_KEY take."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64(private), _b64(public)


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for web push, as environment variables. Keep the private key "
        "secret; changing keys ends every existing push subscription."
    )

    def handle(self, *args, **options):
        private, public = generate_vapid_keys()
        # Environment variables: a machine format, not translated.
        for name, value in (
            ("LEARNWARD_VAPID_PRIVATE_KEY", private),
            ("LEARNWARD_VAPID_PUBLIC_KEY", public),
        ):
            self.stdout.write("=".join((name, value)))
