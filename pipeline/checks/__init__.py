"""Every rule of the check catalog applied to the register.

``context`` holds what every rule is given, ``apply.check_register`` runs them all.
Rules are plain functions grouped by what they look at; each module lists its rules in
``RULES`` (and unit, package or register rules in ``UNIT_RULES``, ``PACKAGE_RULES``,
``REGISTER_RULES``). Every rule runs under its own ``try``: a rule that breaks on
strange data is recorded in ``register.check_errors`` and the other rules still run.
"""
