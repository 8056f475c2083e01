from django.conf import settings


def site(request):
    return {
        "provider_name": settings.PROVIDER_NAME,
        "base_url": settings.BASE_URL,
    }
