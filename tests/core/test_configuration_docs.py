"""docs/configuration.md documents every environment variable settings.py reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_variable_in_settings_is_documented():
    settings_text = (ROOT / "learnward" / "settings.py").read_text()
    used = set(re.findall(r"\b(LEARNWARD_[A-Z0-9_]+|DATABASE_URL)\b", settings_text))
    # A name ending in "_" is a family (LEARNWARD_RETENTION_*_MONTHS), documented as a pattern.
    used = {name for name in used if not name.endswith("_")}
    docs = (ROOT / "docs" / "configuration.md").read_text()
    documented = set(re.findall(r"^\|\s*`(LEARNWARD_[A-Z0-9_]+|DATABASE_URL)`", docs, re.M))
    assert "`LEARNWARD_RETENTION_<RULE>_MONTHS`" in docs
    missing = sorted(used - documented)
    assert missing == [], f"add these to docs/configuration.md: {missing}"
    assert "LEARNWARD_BASE_URL" in documented and "LEARNWARD_DATA_DIR" in documented
