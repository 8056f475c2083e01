from django.contrib import admin

from .models import IdentityProvider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "organisation", "enabled", "issuer"]
    list_filter = ["enabled"]
    search_fields = ["name", "slug", "issuer"]
    raw_id_fields = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "secret_configured"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "organisation", "enabled"]}),
        (
            "OpenID Connect",
            {
                "fields": ["issuer", "client_id", "client_secret_env", "secret_configured"],
                "description": "The callback (redirect URI) to register with the provider is "
                "https://<this site>/sso/callback/.",
            },
        ),
        (
            "Endpoints (leave empty to read them from the issuer's discovery document)",
            {
                "fields": [
                    "authorization_endpoint",
                    "token_endpoint",
                    "jwks_uri",
                    "userinfo_endpoint",
                    "scopes",
                    "signing_algorithm",
                ]
            },
        ),
    ]

    @admin.display(boolean=True, description="secret set in the environment")
    def secret_configured(self, obj):
        return bool(obj and obj.client_secret())
