"""The ``interdiction`` command: assembles the nouns and maps errors to exit codes.

Each noun lives in ``interdiction.commands.<noun>`` and calls the public functions of the
capabilities; nothing here computes anything.
"""

from __future__ import annotations

import os
import sys
import traceback

import typer

from interdiction import __version__
from interdiction.cases.build import CaseError
from interdiction.cases.casefile import CaseFileError
from interdiction.commands import (
    ais,
    case,
    entities,
    export,
    lists,
    network,
    report,
    resolve,
    screen,
    serve,
    trade,
    vessels,
)
from interdiction.commands.common import Exit, NotFound, err
from interdiction.config import ConfigError, load_config
from interdiction.screening import DecisionError
from interdiction.sharing.markings import MarkingError
from interdiction.sources.base import InputError
from interdiction.sources.load import BundleError
from interdiction.sources.update import UpdateError
from interdiction.store import StoreError

app = typer.Typer(
    name="interdiction",
    help="Sanctions lists, screening, networks, AIS and trade analytics for the DPRK-Russia-China "
    "nexus. Offline: only `lists update` uses the network.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(lists.app, name="lists")
app.add_typer(entities.app, name="entities")
app.add_typer(export.app, name="export")
app.add_typer(report.app, name="report")
app.add_typer(case.app, name="case")
app.add_typer(trade.app, name="trade")
app.add_typer(network.app, name="network")
app.add_typer(resolve.app, name="resolve")
app.add_typer(ais.app, name="ais")
app.add_typer(vessels.app, name="vessels")
app.command("screen")(screen.screen)
app.command("compare")(screen.compare)
app.add_typer(screen.decisions_app, name="decisions")
app.command("serve")(serve.serve)

config_app = typer.Typer(help="The configuration in effect.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show() -> None:
    """The effective configuration (defaults, file, environment) as JSON, with its hash."""
    config = load_config()
    from interdiction.commands.common import to_json

    print(to_json({"config": config.model_dump(mode="json"), "hash": config.config_hash()}))


@app.command("version")
def version() -> None:
    """Print the version."""
    print(__version__)


EXIT_FOR: tuple[tuple[type[BaseException], Exit], ...] = (
    (BundleError, Exit.INTEGRITY),
    (CaseFileError, Exit.INPUT),
    (CaseError, Exit.INPUT),
    (MarkingError, Exit.REFUSED),
    (InputError, Exit.INPUT),
    (StoreError, Exit.STORE),
    (UpdateError, Exit.NETWORK),
    (NotFound, Exit.NOT_FOUND),
    (ConfigError, Exit.USAGE),
    (DecisionError, Exit.USAGE),
)


def run(argv: list[str] | None = None) -> int:
    """Run one command; return its documented exit code (errors printed on stderr)."""
    try:
        # Without standalone mode, click returns the code of typer.Exit(code) rather than
        # raising SystemExit: it must reach the shell.
        code = app(argv, standalone_mode=False)
        return code if isinstance(code, int) else Exit.OK
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else Exit.INTERNAL
    except KeyboardInterrupt:
        err.print("interrupted: nothing was committed by the interrupted step")
        return 130
    except Exception as exc:
        if isinstance(exc, typer.Exit):
            return int(exc.exit_code)
        if isinstance(exc, typer.Abort):
            return 130
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code"):
            show()  # a usage error from the argument parser (typer's click)
            return Exit.USAGE
        for kind, code in EXIT_FOR:
            if isinstance(exc, kind):
                err.print(f"[red]error:[/] {exc}")
                return code
        err.print(f"[red]internal error:[/] {type(exc).__name__}: {exc}")
        if os.environ.get("INTERDICTION_DEBUG"):
            traceback.print_exc()
        else:
            err.print("set INTERDICTION_DEBUG=1 for the traceback, and please report it")
        return Exit.INTERNAL


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
