from django.conf import settings

from .branding import current_branding


def site(request):
    return {
        "provider_name": settings.PROVIDER_NAME,
        "base_url": settings.BASE_URL,
        "brand": current_branding(),
        # Menu items appear only when their feature is on (the AI features: learnward.ai.provider).
        "ai_enabled": bool(settings.AI_BASE_URL and settings.AI_MODEL),
    }
