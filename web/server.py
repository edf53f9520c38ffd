"""``intake web``: the workspace served by uvicorn, on loopback unless told otherwise."""

from __future__ import annotations

import os

import uvicorn

from pipeline.settings import WorkspaceOptions
from web.app import create_app


def serve(options: WorkspaceOptions) -> None:
    """Until stopped. Files the server makes (SQLite's companions) are its owner's only."""
    os.umask(0o077)
    uvicorn.run(create_app(options), host=options.host, port=options.port,
                log_level="warning", server_header=False, proxy_headers=False)
