"""Signed credentials: Open Badges 3.0 with Data Integrity proofs (eddsa-rdfc-2022), the issuer's
did:web document and the BitstringStatusList that publishes revocation."""
