"""Consent: consent records, cookies, the processing gate, restriction and objection state."""
