"""The `rawbank` command's argument parser, in English and Hindi: its help, and its refusal of what was typed.

Help texts are catalog texts (marked with N_ where they are written) and argparse's own words are
catalog texts here: the help shows each in English with its Hindi on the line below, as every
`rawbank` command says a thing (shared/console.py). A command line argparse refuses is said in both
languages too, with what to do next.
"""
from __future__ import annotations

import argparse
import copy
import functools
import re
import sys
import textwrap

from shared.console import say, tell
from shared.i18n import N_, in_both, translate

USAGE = N_("usage")
POSITIONALS = N_("positional arguments")
OPTIONS = N_("options")
HELP = N_("show this help message and exit")
ERROR = N_("{prog}: error: {message}")
SEE_HELP = N_("`{prog} --help` lists what it takes.")

#: argparse's refusals of a command line (Python 3.11's words, its values named), said in Hindi too.
#: tests/unit/test_cli_parser.py makes argparse say each one and checks it is recognised.
REFUSALS = (
    N_("argument {argument}: {problem}"),
    N_("the following arguments are required: {arguments}"),
    N_("invalid choice: {value} (choose from {choices})"),
    N_("invalid {kind} value: {value}"),
    N_("expected one argument"),
    N_("unrecognized arguments: {arguments}"),
    N_("ambiguous option: {option} could match {matches}"),
    N_("not allowed with argument {argument}"),
    N_("ignored explicit argument {value}"),
)
#: rawbank's own refusals of a value (argparse.ArgumentTypeError), said in Hindi the same way
WAIT_MINUTES = N_("{value} is not a number of minutes more than 0 and at most 1440 (a day); for example --wait 30")
OWN_REFUSALS = (WAIT_MINUTES,)


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """Each refusal as a pattern over argparse's English message, its `{name}`s captured."""
    def pattern(text: str) -> re.Pattern:
        parts = re.split(r"\{(\w+)\}", text)  # literal, name, literal, name, ..., literal
        return re.compile("".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
                                  for index, part in enumerate(parts)), re.DOTALL)
    return tuple((pattern(text), text) for text in (*REFUSALS, *OWN_REFUSALS))


def in_hindi(message: str) -> str | None:
    """argparse's refusal `message` in Hindi (the values typed kept as they are), or None if it is none of ours."""
    for pattern, text in _patterns():
        found = pattern.fullmatch(message)
        if found:
            values = found.groupdict()
            if "problem" in values:  # `argument --role: invalid choice: ...`: the problem is a refusal too
                values["problem"] = in_hindi(values["problem"]) or values["problem"]
            return translate(text, "hi", **values)
    return None


def _title(text: str) -> str:
    return " / ".join(in_both(text))


class _Formatter(argparse.HelpFormatter):
    """argparse's help with each text in English, then in Hindi below it."""

    def _expand_help(self, action):
        said = copy.copy(action)
        lines = []
        for text in in_both(action.help):  # the text, then its Hindi, each with its %(default)s filled
            said.help = text
            lines.append(super()._expand_help(said))
        return "\n".join(lines)

    def _split_lines(self, text, width):  # each language's line wrapped on its own, never inside --an-option
        return [line for part in text.splitlines()
                for line in textwrap.wrap(" ".join(part.split()), width, break_on_hyphens=False)]

    def _fill_text(self, text, width, indent):
        return textwrap.fill(" ".join(text.split()), width, initial_indent=indent, subsequent_indent=indent,
                             break_on_hyphens=False)

    def _format_text(self, text):  # a parser's description: a paragraph in each language
        format_text = super()._format_text
        return "".join(format_text(said) for said in in_both(text))

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, f"{_title(USAGE)}: " if prefix is None else prefix)


class _Commands(argparse._SubParsersAction):  # argparse's own action for subcommands, the one way to extend it
    """Subcommands whose own help starts with what they do (their `help` in the parent's list)."""

    def add_parser(self, name, **kwargs):
        if kwargs.get("help") and "description" not in kwargs:
            kwargs["description"] = kwargs["help"]
        return super().add_parser(name, **kwargs)


class Parser(argparse.ArgumentParser):
    """argparse's parser, in English and Hindi. Help texts are catalog texts (N_)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = _title(POSITIONALS), _title(OPTIONS)
        self.register("action", "parsers", _Commands)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("metavar", "COMMAND")  # not its dest (`reports_command`) in the usage and the refusals
        return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):
        """argparse's, but words it does not know are refused by the (sub)command they were given to, so its usage
        and its `--help` are the ones shown (`rawbank reconcile --via-apii`: `rawbank reconcile --help`)."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            self._chosen(parsed).error("unrecognized arguments: %s" % " ".join(extras))
        return parsed

    def _chosen(self, parsed) -> "Parser":
        """The innermost subcommand's parser that `parsed` went through."""
        parser = self
        while True:
            commands = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
            chosen = commands.choices.get(getattr(parsed, commands.dest, None)) if commands else None
            if chosen is None:
                return parser
            parser = chosen

    def error(self, message):
        """Usage, what is wrong in English then Hindi, and where to look next; exit status 2."""
        self.print_usage(sys.stderr)
        say(translate(ERROR, "en", prog=self.prog, message=message),
            translate(ERROR, "hi", prog=self.prog, message=in_hindi(message) or message), sys.stderr)
        tell(SEE_HELP, sys.stderr, prog=self.prog)
        self.exit(2)
