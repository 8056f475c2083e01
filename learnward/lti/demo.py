"""Demo data for the LTI tool: one example platform registration, "Harbourside Care LMS
(example)", filled in as staff would from what a Moodle administrator hands over, so the staff
page at /staff/lti/ shows a registration and the addresses to give back. Its addresses are on
the reserved .test domain: it is labelled as an example and no launch can come from it.

Idempotent: nothing is added once it exists.
"""

from __future__ import annotations

from .models import LtiDeployment, LtiPlatform

ISSUER = "https://lms.harbourside-care.test"


def load(result: dict) -> None:
    platform = LtiPlatform.objects.filter(issuer=ISSUER, client_id="learnward-demo").first()
    if platform is None:
        platform = LtiPlatform.objects.create(
            name="Harbourside Care LMS (example)",
            issuer=ISSUER,
            client_id="learnward-demo",
            auth_login_url=f"{ISSUER}/mod/lti/auth.php",
            auth_token_url=f"{ISSUER}/mod/lti/token.php",
            jwks_url=f"{ISSUER}/mod/lti/certs.php",
            is_example=True,
        )
        LtiDeployment.objects.create(platform=platform, deployment_id="1")
    result.setdefault("lti_platforms", []).append(platform.name)
