"""Stand-ins for what cannot run here, each speaking the real protocol on loopback: an SMTP
server (aiosmtpd) and an OpenAI-compatible LLM endpoint."""
