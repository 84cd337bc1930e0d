"""``interdiction serve``: the yente-compatible screening API over the local store."""

from __future__ import annotations

from typing import Annotated

import typer

from interdiction.commands.common import (
    ConfigOption,
    DbOption,
    config_from,
    err,
    open_store,
    report_lists,
)
from interdiction.commands.screen import _index


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    refresh: Annotated[
        float, typer.Option(help="Seconds between checks of the store version.")
    ] = 5.0,
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Serve the yente-compatible screening API (read-only over the store)."""
    import uvicorn

    from interdiction.api import create_app

    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        report_lists(store, config)
        _index(store)
        path = store.path
    app = create_app(path, config, refresh_s=refresh)
    err.print(f"serving on http://{host}:{port} (OpenAPI docs at /docs); store {path}")
    uvicorn.run(app, host=host, port=port, log_level="info")
