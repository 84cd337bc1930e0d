"""The ``interdiction`` command: assembles the nouns and maps errors to exit codes.

Each noun lives in ``interdiction.commands.<noun>`` and calls the public functions of the
capabilities; nothing here computes anything. A noun's module is imported when the noun is
used (or help lists it), so ``interdiction ais ...`` does not import the list readers, the
trade charts or the network's scipy.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo

from interdiction import __version__
from interdiction.commands.common import Exit, err
from interdiction.config import load_config

# noun -> the module whose ``app`` it is ("module:attribute" for another attribute)
NOUNS = {
    "lists": "interdiction.commands.lists",
    "entities": "interdiction.commands.entities",
    "export": "interdiction.commands.export",
    "report": "interdiction.commands.report",
    "case": "interdiction.commands.case",
    "trade": "interdiction.commands.trade",
    "network": "interdiction.commands.network",
    "resolve": "interdiction.commands.resolve",
    "ais": "interdiction.commands.ais",
    "vessels": "interdiction.commands.vessels",
    "decisions": "interdiction.commands.screen:decisions_app",
}
# single top-level commands -> "module:function"
COMMANDS = {
    "screen": "interdiction.commands.screen:screen",
    "compare": "interdiction.commands.screen:compare",
    "serve": "interdiction.commands.serve:serve",
}


def _attribute(target: str, default: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name or default)


class _Nouns(MutableMapping[str, Any]):
    """The top-level commands: built ones, and the nouns, built on first look-up."""

    def __init__(self, group: LazyNouns, built: MutableMapping[str, Any]) -> None:
        self.group = group
        self.built = dict(built)

    def __getitem__(self, name: str) -> Any:
        if name not in self.built and name in NOUNS:
            self.built[name] = get_group_from_info(
                TyperInfo(_attribute(NOUNS[name], "app"), name=name),
                pretty_exceptions_short=True,
                suggest_commands=self.group.suggest_commands,
                rich_markup_mode=self.group.rich_markup_mode,
            )
        elif name not in self.built and name in COMMANDS:
            self.built[name] = get_command_from_info(
                CommandInfo(name=name, callback=_attribute(COMMANDS[name], name)),
                pretty_exceptions_short=True,
                rich_markup_mode=self.group.rich_markup_mode,
            )
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.built[name]

    def __iter__(self) -> Iterator[str]:
        yield from NOUNS
        yield from COMMANDS
        yield from (name for name in self.built if name not in NOUNS and name not in COMMANDS)

    def __len__(self) -> int:
        return len(set(NOUNS) | set(COMMANDS) | set(self.built))


class LazyNouns(TyperGroup):
    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Nouns(self, self.commands)  # the group's click commands


app = typer.Typer(
    name="interdiction",
    help="Sanctions lists, screening, networks, AIS and trade analytics for the DPRK-Russia-China "
    "nexus. Offline: only `lists update` uses the network.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=LazyNouns,
)

config_app = typer.Typer(help="The configuration in effect.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show() -> None:
    """The effective configuration (defaults, file, environment) as JSON, with its hash."""
    config = load_config()
    from interdiction.commands.common import to_json

    print(to_json({"config": config.model_dump(mode="json"), "hash": config.config_hash()}))


@app.command("version")
def version(
    matcher: bool = typer.Option(
        False, "--matcher", help="Also the matcher's version and whether it runs compiled."
    ),
) -> None:
    """Print the version; with --matcher, what a screening result's matcher field will say
    and how the matcher runs here (compiled with mypyc, or as Python, and why)."""
    print(__version__)
    if matcher:
        from interdiction.screening import MATCHER, MATCHER_VERSION, native

        print(f"matcher {MATCHER} {MATCHER_VERSION}: {native.STATUS}")


# (module, class) -> exit code. An exception's class is looked up only in modules already
# imported: an exception from a module never imported cannot be of its classes.
EXIT_FOR: tuple[tuple[str, str, Exit], ...] = (
    ("interdiction.sources.load", "BundleError", Exit.INTEGRITY),
    ("interdiction.cases.casefile", "CaseFileError", Exit.INPUT),
    ("interdiction.cases.build", "CaseError", Exit.INPUT),
    ("interdiction.sharing.markings", "MarkingError", Exit.REFUSED),
    ("interdiction.sources.base", "InputError", Exit.INPUT),
    ("interdiction.store.db", "StoreError", Exit.STORE),
    ("interdiction.sources.update", "UpdateError", Exit.NETWORK),
    ("interdiction.commands.common", "NotFound", Exit.NOT_FOUND),
    ("interdiction.config", "ConfigError", Exit.USAGE),
    ("interdiction.screening.decisions", "DecisionError", Exit.USAGE),
)


def exit_code(exc: BaseException) -> Exit | None:
    for module, name, code in EXIT_FOR:
        kind = getattr(sys.modules.get(module), name, None)
        if isinstance(kind, type) and isinstance(exc, kind):
            return code
    return None


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
        mapped = exit_code(exc)
        if mapped is not None:
            err.print(f"[red]error:[/] {exc}")
            return mapped
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
