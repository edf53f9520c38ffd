"""Placeholder: rules are added here."""

RULES: list = []
UNIT_RULES: list = []
PACKAGE_RULES: list = []
REGISTER_RULES: list = []
