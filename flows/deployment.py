"""The step ``prefect deploy`` runs for ``prefect.yaml``: where the deployment's runs start.

``prefect.yaml``'s build step calls ``project_root``, and its pull step sets the working
directory of every run to what it returned, so no variable has to be set to deploy:
the checkout is found from this file (the one ``prefect deploy`` imports from the
project's ``.venv``). INTAKE_HOME overrides it, for workers whose checkout lies
elsewhere than the deploying machine's; a checkout that cannot be right refuses the
deploy with a message instead of storing a path that every run would crash on.
"""

from __future__ import annotations

import os
from pathlib import Path

from flows.options import HOME_ENV, PROJECT_ROOT

ENTRYPOINT = Path("flows") / "daily.py"


class DeployRefused(RuntimeError):
    """The deployment would not run; the text says what to do."""


def project_root() -> dict[str, str]:
    """{"directory": the checkout the deployment's runs start in}."""
    given = os.environ.get(HOME_ENV, "").strip()
    root = Path(given).expanduser() if given else PROJECT_ROOT
    if not root.is_absolute():
        raise DeployRefused(f"{HOME_ENV}={given} is not an absolute path: the worker would "
                            "resolve it from wherever it starts. Give the checkout's full path.")
    if not given and not (root / ENTRYPOINT).is_file():
        raise DeployRefused(f"{root} is not a checkout of this project ({ENTRYPOINT} missing)")
    print(f"Runs of this deployment start in {root}")
    return {"directory": str(root)}
