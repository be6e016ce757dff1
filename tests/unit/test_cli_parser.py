"""The `rawbank` command's help and its refusals of a command line, in English and in Hindi."""
from __future__ import annotations

import argparse
import re

import pytest

from shared.cli import _parser, main
from shared.cli_parser import REFUSALS, Parser, in_hindi
from shared.config import environment_variables
from shared.i18n import translate

DEVANAGARI = re.compile("[\u0900-\u097f]")


def flat(text: str) -> str:
    return " ".join(text.split())


def parsers(parser: argparse.ArgumentParser, path=("rawbank",)):
    """Every parser of the command, with the words that reach it (rawbank, rawbank user, rawbank user add ...)."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, (*path, name))


def test_every_help_text_of_every_command_shows_in_english_and_hindi():
    seen = 0
    for path, parser in parsers(_parser()):
        shown = flat(parser.format_help())
        assert "usage / उपयोग:" in shown and "options / विकल्प:" in shown, path
        texts = [(action.help, vars(action)) for action in parser._actions
                 if action.help not in (None, argparse.SUPPRESS)]
        texts += [(choice.help, {}) for action in parser._actions if isinstance(action, argparse._SubParsersAction)
                  for choice in action._choices_actions]
        if len(path) > 1:
            assert parser.description, f"{' '.join(path)} says what it does"
            texts.append((parser.description, {}))
        for text, params in texts:
            hindi = translate(text, "hi")
            assert DEVANAGARI.search(hindi), f"{' '.join(path)}: no Hindi for {text!r}"
            for said in (text, hindi):
                assert flat(said % params if params else said) in shown, (path, said)
            seen += 1
    assert seen > 60  # every command's texts were looked at, not an empty walk


def test_help_never_breaks_an_option_across_lines():
    for path, parser in parsers(_parser()):
        shown = parser.format_help()
        assert not re.search(r"--[\w-]*-\n", shown), f"{' '.join(path)}: an option is cut in two"
        if path == ("rawbank", "user", "add"):
            assert "--password-stdin" in shown


def refusal(capsys, parser: argparse.ArgumentParser, argv: list[str]) -> tuple[str, str, str]:
    """What the parser says to a command line it refuses: (its English line, its Hindi line, the whole of stderr)."""
    with pytest.raises(SystemExit) as done:
        parser.parse_args(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    english = next(line for line in lines if ": error: " in line)
    return english, lines[lines.index(english) + 1].strip(), err


def test_each_of_argparses_refusals_is_said_in_hindi(capsys):
    parser = Parser(prog="tool")
    parser.add_argument("--role", choices=["admin", "artisan"], help="role")
    parser.add_argument("--ttl", type=int, help="ttl")
    parser.add_argument("--depot", help="depot")
    parser.add_argument("--depot-name", help="name")
    parser.add_argument("--json", action="store_true", help="json")
    either = parser.add_mutually_exclusive_group()
    either.add_argument("--memory", action="store_true", help="memory")
    either.add_argument("--data-dir", help="where")
    parser.add_argument("sku", help="sku")
    cases = [
        (["--role", "x", "S"], "तर्क --role: अमान्य चुनाव: 'x' (इनमें से चुनें: 'admin', 'artisan')"),
        (["--ttl", "soon", "S"], "तर्क --ttl: अमान्य int मान: 'soon'"),
        (["S", "--ttl"], "तर्क --ttl: एक मान चाहिए"),
        ([], "ये तर्क देने ज़रूरी हैं: sku"),
        (["S", "extra"], "अनजाने तर्क: extra"),
        (["S", "--dep", "VNS"], "अस्पष्ट विकल्प: --dep इनमें से किसी का भी हो सकता है: --depot, --depot-name"),
        (["S", "--memory", "--data-dir", "x"], "तर्क --data-dir: तर्क --memory के साथ इसकी अनुमति नहीं"),
        (["S", "--json=yes"], "तर्क --json: दिया गया मान 'yes' अनदेखा हुआ"),
    ]
    for argv, said in cases:
        english, hindi, err = refusal(capsys, parser, argv)
        assert english.startswith("tool: error: ")
        assert hindi.startswith(f"tool: गलती: {said}"), (argv, hindi)
        assert "`tool --help` lists what it takes." in err and "`tool --help` बताता है" in err
    assert len(cases) == len(REFUSALS) - 1  # every refusal but the `argument X: ...` frame, which most cases use


def test_a_refusal_argparse_words_otherwise_keeps_its_english_inside_the_hindi_frame():
    assert in_hindi("something argparse never said before") is None
    assert in_hindi("argument --role: a new complaint") == "तर्क --role: a new complaint"


def test_the_rawbank_command_refuses_in_both_languages(capsys):
    english, hindi, _ = refusal(capsys, _parser(), ["token", "--sub", "meera"])
    assert english == "rawbank token: error: the following arguments are required: --role"
    assert hindi == "rawbank token: गलती: ये तर्क देने ज़रूरी हैं: --role"
    for words in (["user"], ["reports"]):  # a group of commands without one of them: the word COMMAND, not a dest
        english, hindi, _ = refusal(capsys, _parser(), words)
        assert english.endswith("error: the following arguments are required: COMMAND")
        assert hindi.endswith("गलती: ये तर्क देने ज़रूरी हैं: COMMAND")
    english, hindi, _ = refusal(capsys, _parser(), ["tokn"])
    assert "invalid choice: 'tokn'" in english and "अमान्य चुनाव: 'tokn'" in hindi


def test_rawbank_env_says_each_variable_in_english_then_hindi(capsys):
    assert main(["env"]) == 0
    lines = capsys.readouterr().out.splitlines()
    variables = environment_variables()
    assert len(lines) == 2 * len(variables)
    for (name, doc), english, hindi in zip(variables.items(), lines[::2], lines[1::2]):
        assert english.split()[0] == name and english.endswith(doc)
        assert hindi.startswith(" " * 32) and DEVANAGARI.search(hindi), name
        assert hindi.strip() == translate(doc, "hi")


def test_rawbank_dev_refuses_a_port_no_service_can_listen_on(capsys):
    """Before, `rawbank dev --broker-port 99999` was an OverflowError traceback, and port 0 started a broker on a
    port nobody was told."""
    for option in ("--broker-port", "--inventory-port", "--requests-port", "--notifier-port"):
        for value in ("99999", "0", "-1", "nine"):
            english, hindi, _ = refusal(capsys, _parser(), ["dev", "--memory", option, value])
            assert english == f"rawbank dev: error: argument {option}: invalid port value: '{value}'"
            assert hindi.startswith(f"rawbank dev: गलती: तर्क {option}: अमान्य port मान: '{value}'")
    args = _parser().parse_args(["dev", "--broker-port", "1", "--notifier-port", "65535"])
    assert (args.broker_port, args.notifier_port) == (1, 65535)


def test_a_word_a_subcommand_does_not_take_is_refused_by_that_subcommand_with_its_own_help(capsys):
    """`rawbank reconcile --via-apii` showed `rawbank`'s usage and sent the operator to `rawbank --help`, which does
    not list --via-api; the subcommand's own usage and `rawbank reconcile --help` do."""
    for argv, prog in ((["reconcile", "--via-apii"], "rawbank reconcile"),
                       (["reports", "rebuild", "--nope"], "rawbank reports rebuild")):
        with pytest.raises(SystemExit) as stopped:
            _parser().parse_args(argv)
        err = capsys.readouterr().err
        assert stopped.value.code == 2
        assert err.startswith(f"usage / उपयोग: {prog} ") and f"{prog}: error: unrecognized arguments: " in err, err
        assert f"`{prog} --help` lists what it takes." in err and f"`{prog} --help` बताता है" in err, err


def test_dead_letters_are_read_of_the_topics_there_are_only(capsys):
    """`rawbank dlq list --topic bogus` said "no dead letters in bogus." with exit 0: a typo read as all clear."""
    assert _parser().parse_args(["dlq", "list", "--topic", "inventory.events"]).topic == ["inventory.events"]
    with pytest.raises(SystemExit) as stopped:
        _parser().parse_args(["dlq", "list", "--topic", "bogus"])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "invalid choice: 'bogus' (choose from 'inventory.events', " in err, err


def test_a_backup_wait_out_of_range_says_the_range_and_an_example_in_both_languages(capsys):
    for typed in ("5000", "0", "soon"):
        english, hindi, _ = refusal(capsys, _parser(), ["backup", "/backups/x", "--wait", typed])
        assert english == (f"rawbank backup: error: argument --wait: '{typed}' is not a number of minutes more than 0 "
                           "and at most 1440 (a day); for example --wait 30")
        assert hindi == (f"rawbank backup: गलती: तर्क --wait: '{typed}' 0 से अधिक और अधिक से अधिक 1440 (एक दिन) "
                         "मिनट की संख्या नहीं है; जैसे --wait 30")
    assert _parser().parse_args(["backup", "/backups/x", "--wait", "1440"]).wait == 1440
