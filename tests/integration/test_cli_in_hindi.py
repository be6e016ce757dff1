"""`rawbank backup` and `rawbank status` with --lang hi: Hindi sentences a reader understands, the OS's own words
only in brackets, and what to do next; codes, names and paths stay as they are."""
from __future__ import annotations

import errno
import os
import pathlib
import pwd
import re
import sqlite3

from shared import backup, status
from shared.cli import main
from shared.datadir import DataDir
from tests.integration.test_backup_refusal import stores_in

#: what a Hindi line may still hold in Latin letters: commands, codes, units, the user's name (and the OS's words in
#: brackets, given to `english_words`)
CODES = {"rawbank", "backup", "restore", "reconcile", "status", "dev", "make", "cd", "venv", "bin", "date", "F", "rm",
         "r", "DIR", "USB", "KB", "MB", "GB", "B", "via", "api", "data", "dir"}


def english_words(line: str, *, allowed=()) -> set[str]:
    """The words in Latin letters in `line` that are neither a path, a bracketed OS text allowed, nor a code."""
    for text in allowed:
        line = line.replace(f"({text})", "")
    line = re.sub(r"\S*/\S*", " ", line)  # paths
    return {word for word in re.findall(r"[A-Za-z]+", line) if word not in CODES | {pwd.getpwuid(os.geteuid()).pw_name}}


def said_in_hindi(capsys, argv) -> tuple[int, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, (out.out + out.err).strip()


def test_a_backup_into_a_folder_it_may_not_write_says_so_in_hindi_and_what_to_do(tmp_path, config, capsys,
                                                                                  monkeypatch):
    """A folder this user may list but not write in (an empty directory of another user, a mount point) got
    "स्टोर ... कॉपी नहीं हो सके ([Errno 13] Permission denied: '.../inventory.sqlite')": Python's English, the
    reason only in it."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    target = tmp_path / "usb"
    target.mkdir()

    def refused(path):  # what os.open says to a user without write permission there (root is never refused)
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    monkeypatch.setattr(backup, "private", refused)

    code, hindi = said_in_hindi(capsys, ["backup", "--lang", "hi", "--data-dir", str(data.path), str(target)])
    assert code == 2 and "\n" not in hindi
    assert f"को फ़ोल्डर {target} में लिखने की अनुमति नहीं है (Permission denied); कुछ नहीं रखा गया।" in hindi
    assert "ऐसा फ़ोल्डर दें जिसमें यह उपयोगकर्ता लिख सके" in hindi and "लिखने की अनुमति दें" in hindi
    assert not english_words(hindi, allowed=["Permission denied"]) and "Errno" not in hindi
    code, english = said_in_hindi(capsys, ["backup", "--lang", "en", "--data-dir", str(data.path), str(target)])
    assert f"may not write in the directory {target} (Permission denied); nothing was kept." in english
    assert "Give a directory this user may write in" in english
    assert not any(target.iterdir())


def test_a_backup_whose_folder_cannot_be_made_names_the_folder_above_it_in_hindi(tmp_path, config, capsys,
                                                                                 monkeypatch):
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    parent = tmp_path / "backups"
    parent.mkdir()
    target = parent / "2026-12-06"

    def refused(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
    monkeypatch.setattr(pathlib.Path, "mkdir", refused)

    code, hindi = said_in_hindi(capsys, ["backup", "--lang", "hi", "--data-dir", str(data.path), str(target)])
    assert code == 2
    assert f"फ़ोल्डर {parent} में लिखने की अनुमति नहीं है (Permission denied)" in hindi
    assert not english_words(hindi, allowed=["Permission denied"])


def test_a_backup_into_a_missing_place_or_a_full_disk_says_why_in_hindi(tmp_path, config, capsys, monkeypatch):
    """They said "प्रति के लिए काम में नहीं आ सकती (No such file or directory)": the only reason was English."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    target = pathlib.Path("/proc/rawbank-backup")  # no directory can be made there, whoever runs it

    code, hindi = said_in_hindi(capsys, ["backup", "--lang", "hi", "--data-dir", str(data.path), str(target)])
    assert code == 2
    assert hindi.startswith(f"rawbank backup: फ़ोल्डर {target} नहीं बन सकता (No such file or directory): उसके पते का")
    assert "देखें कि जिस डिस्क पर यह फ़ोल्डर होना है (जैसे USB ड्राइव) वह लगी हुई है" in hindi
    assert not english_words(hindi, allowed=["No such file or directory"])

    monkeypatch.setattr(backup, "copy", lambda *_: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on "
                                                                                 "device")))
    code, hindi = said_in_hindi(capsys, ["backup", "--lang", "hi", "--data-dir", str(data.path),
                                         str(tmp_path / "full")])
    assert code == 2
    assert "वाली डिस्क भरी हुई है (No space left on device); कुछ नहीं रखा गया। वहाँ जगह खाली करें" in hindi
    assert not english_words(hindi, allowed=["No space left on device"])

    monkeypatch.setattr(backup, "copy", lambda *_: (_ for _ in ()).throw(sqlite3.OperationalError("database is "
                                                                                                  "locked")))
    code, hindi = said_in_hindi(capsys, ["backup", "--lang", "hi", "--data-dir", str(data.path),
                                         str(tmp_path / "locked")])
    assert code == 2 and "कॉपी नहीं हो सकीं (database is locked); कुछ नहीं रखा गया। देखें कि" in hindi
    assert not english_words(hindi, allowed=["database is locked"])


def test_a_backup_with_nothing_to_back_up_says_what_to_do_in_both_languages(tmp_path, capsys):
    """It said only "there is nothing to back up in DIR (no stores yet)": not which directory to give instead."""
    empty = tmp_path / "not-the-data"
    code, said = said_in_hindi(capsys, ["backup", "--data-dir", str(empty), str(tmp_path / "copy")])
    english, hindi = said.splitlines()
    assert code == 2
    assert english.startswith(f"rawbank backup: there is nothing to back up in {empty} (no stores yet). Name the data "
                              "directory rawbank runs on with --data-dir")
    assert "--data-dir से बताएँ" in hindi and "पहले वहाँ rawbank शुरू करें" in hindi
    assert not english_words(hindi)


def test_status_in_hindi_has_no_english_words_but_codes_and_names(tmp_path, config, capsys):
    """It said "उपभोक्ता पिछड़ाव (consumer lag)", "pid", "आउटबॉक्स" and each service by its English code."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config, note="a note")
    (data.path / "before-restore-20261206T101500Z").mkdir()
    data.write_json("running.json", {"pid": os.getpid(), "urls": {}})

    code, hindi = said_in_hindi(capsys, ["status", "--lang", "hi", "--data-dir", str(data.path)])
    assert code == 0
    lines = hindi.splitlines()
    collections = [line for line in lines if re.fullmatch(r" {4}\w+: \d+", line)]  # each collection: its name
    assert collections
    for line in lines:
        if line not in collections:
            assert not english_words(line), line
    assert f"प्रक्रिया संख्या {os.getpid()}" in hindi and "पिछला बैकअप: कभी नहीं" in hindi
    assert any(line.startswith("इन्वेंटरी सेवा: ") for line in lines)
    assert "  इस सेवा के पढ़ने को बचे संदेश: " in hindi and "दूसरी सेवाओं को अभी न भेजे गए संदेश: 0" in hindi

    data.write_json("last-backup.json", {"at": "2026-12-06T02:30:00+00:00", "directory": "/media/usb/rawbank"})
    os.remove(data.path / "running.json")
    code, english = said_in_hindi(capsys, ["status", "--data-dir", str(data.path)])
    lines = english.splitlines()  # English as it was
    assert lines[0] == f"rawbank data directory {data.path}" and lines[1].endswith(" in 3 stores")
    assert "running: no" in lines and "last backup: 6 Dec 2026, 08:00 IST to /media/usb/rawbank" in lines
    assert any(re.fullmatch(r"inventory: \S+ \w?B, \d+ documents", line) for line in lines)
    assert "  consumer lag: unknown (not running)" in lines


def test_status_names_each_collection_in_plain_words_with_its_own_name_in_brackets(tmp_path, config, capsys):
    """It listed each store's collections by their internal names ("relay_published: 3", "login_attempts: 1"), which
    say nothing to a depot's staff: now by a plain name in the report's language, the internal name in brackets (a
    collection nobody names, by that alone)."""
    from services import requests as requests_service
    from shared.durable_store import DurableStore
    from shared.runtime import Runtime
    from shared.spec import all_specs
    data = DataDir(tmp_path / "var")
    stores_in(data, config, note="a note")
    durable = DurableStore(data.store("requests"))
    runtime = Runtime(requests_service.spec(), config, client=durable.client)
    runtime.store = durable
    runtime.db.login_attempts.insert_one({"_id": "asha", "count": 3})
    runtime.db.relay_published.insert_one({"_id": "event-1", "settled": True})
    runtime.sync()
    runtime.close()

    code, english = said_in_hindi(capsys, ["status", "--data-dir", str(data.path)])
    assert code == 0
    assert "    failed login attempts and lockouts (login_attempts): 1" in english.splitlines()
    assert "    events sent, kept until every service has read them (relay_published): 1" in english.splitlines()
    assert "    notes: 1" in english.splitlines()
    code, hindi = said_in_hindi(capsys, ["status", "--lang", "hi", "--data-dir", str(data.path)])
    lines = hindi.splitlines()
    assert "    लॉग इन की असफल कोशिशें और रोक (login_attempts): 1" in lines
    assert "    भेजी गई घटनाएँ, हर सेवा के पढ़ लेने तक रखी हुई (relay_published): 1" in lines
    assert "    notes: 1" in lines and all(not english_words(line, allowed=["login_attempts", "relay_published"])
                                           for line in lines if line.startswith("    ") and line != "    notes: 1")
    for spec in all_specs():  # every collection a service indexes or keeps an outbox in is named
        named = {*spec.collections, *status.SHARED_COLLECTIONS}
        assert not {*spec.indexes, *spec.outbox_collections} - named, spec.name


def test_status_with_lang_hi_refuses_a_data_directory_it_may_not_read_in_hindi_only(tmp_path, capsys, monkeypatch):
    """`rawbank status --lang hi` on a directory this user may not read said, in English then Hindi, that the data
    directory "is not writable": it only reads it."""
    (tmp_path / "secret").write_text("a secret\n")
    read_text = pathlib.Path.read_text

    def refused(self, *args, **kwargs):  # what a user who may not read the secret is told (root never is)
        if self.name == "secret":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return read_text(self, *args, **kwargs)
    monkeypatch.setattr(pathlib.Path, "read_text", refused)
    user = pwd.getpwuid(os.geteuid()).pw_name

    assert main(["status", "--lang", "hi", "--data-dir", str(tmp_path)]) == 2
    said = capsys.readouterr().err.strip()
    assert "\n" not in said
    assert said.startswith(f"rawbank: डेटा फ़ोल्डर {tmp_path} पढ़ा नहीं जा सकता (Permission denied): इस "
                           f"उपयोगकर्ता ({user}) को उसे पढ़ने की अनुमति नहीं है। इसे उसी उपयोगकर्ता से चलाएँ जिससे "
                           "rawbank चलता है")
    assert not english_words(said.replace("RAWBANK_DATA_DIR", ""), allowed=["Permission denied"])
    assert main(["status", "--data-dir", str(tmp_path)]) == 2  # without --lang: both, as every command says it
    english, hindi = capsys.readouterr().err.strip().splitlines()
    assert english == (f"rawbank: The data directory {tmp_path} cannot be read (Permission denied): this user ({user}) "
                       "may not read it. Run this as the user rawbank runs as, fix its permissions, or choose another "
                       "directory with --data-dir or RAWBANK_DATA_DIR.")


def test_user_add_without_a_store_names_the_service_in_hindi(tmp_path, capsys):
    """Its Hindi line said "MONGO_URI में requests सेवा का MongoDB दें": the service by its English code."""
    assert main(["user", "add", "bob", "--role", "admin", "--data-dir", str(tmp_path / "nothing")]) == 2
    english, hindi = capsys.readouterr().err.strip().splitlines()
    assert english.startswith("rawbank user add: set MONGO_URI to the requests service's MongoDB, or run it where")
    assert "MONGO_URI में अनुरोध सेवा का MongoDB दें" in hindi and "requests" not in hindi


def test_backup_and_restore_in_hindi_say_folder_not_the_loanword_directory(tmp_path, config, capsys):
    """Their Hindi said "डायरेक्टरी" (and "स्टोर", a storeroom to a depot's staff) where the new lines say
    "फ़ोल्डर": one word for one thing, the one a Hindi reader knows."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    a_file, full = tmp_path / "a-file", tmp_path / "full"
    a_file.write_text("not a backup\n")
    full.mkdir()
    (full / "something").write_text("kept\n")
    said = {}
    for argv in (["backup", str(a_file)], ["backup", str(full)], ["backup", str(data.path / "copy")],
                 ["restore", str(tmp_path / "no-such-backup")], ["restore", str(a_file)], ["restore", str(full)],
                 ["restore", str(data.path)]):
        code, hindi = said_in_hindi(capsys, [*argv, "--lang", "hi", "--data-dir", str(data.path)])
        assert code == 2
        said[" ".join(argv)] = hindi
    for hindi in said.values():
        assert "फ़ोल्डर" in hindi and "डायरेक्टरी" not in hindi and "स्टोर" not in hindi, hindi
    assert "वह फ़ोल्डर दें जो `rawbank backup` ने लिखा था" in said[f"restore {a_file}"]
    assert "कोई नया या खाली फ़ोल्डर दें" in said[f"backup {full}"]


def test_a_backup_in_hindi_names_the_services_in_hindi(tmp_path, config, capsys):
    """Its Hindi line said "... में inventory, requests, notifier का बैकअप हो गया": the services by their English codes,
    where `rawbank status --lang hi` names them in Hindi. English names them by their codes, as before."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    code, hindi = said_in_hindi(capsys, ["backup", "--lang", "hi", "--data-dir", str(data.path),
                                         str(tmp_path / "copy")])
    assert code == 0 and " में इन्वेंटरी सेवा, अनुरोध सेवा, नोटिफ़ायर सेवा का बैकअप हो गया (" in hindi, hindi
    assert not english_words(hindi), hindi
    code, english = said_in_hindi(capsys, ["backup", "--lang", "en", "--data-dir", str(data.path),
                                           str(tmp_path / "again")])
    assert code == 0 and english.startswith(f"Backed up inventory, requests, notifier from {data.path} to "), english


def check_ports_with_one_taken(names) -> int:
    """`rawbank dev`'s port check with one port taken, named for each of `names`: the port (it refused, exit 1)."""
    import socket
    import pytest
    from shared import dev
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        with pytest.raises(SystemExit):
            dev.check_ports({name: port for name in names})
    finally:
        taken.close()
    return port


def test_rawbank_dev_names_the_broker_and_services_in_hindi_when_a_port_is_taken(capsys):
    """Its Hindi said "पोर्ट 9092 (broker के लिए)": the part by its English code, the text outside the catalog."""
    port = check_ports_with_one_taken(["broker", "notifier"])
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert f"Port {port} (needed for broker) is already in use." in lines  # English as it was
    assert f"पोर्ट {port} (संदेश-केंद्र के लिए ज़रूरी) पहले से उपयोग में है।" in lines
    assert f"पोर्ट {port} (नोटिफ़ायर सेवा के लिए ज़रूरी) पहले से उपयोग में है।" in lines
    assert all(not english_words(line) for line in lines if line.startswith("पोर्ट"))


def test_rawbank_dev_with_a_port_taken_suggests_the_command_as_it_is_run_from_the_checkout(capsys, monkeypatch):
    """It said "e.g. rawbank dev --notifier-port N": who ran `make dev` has no `rawbank` on their PATH."""
    from shared.datadir import checkout
    monkeypatch.chdir(checkout())
    port = check_ports_with_one_taken(["notifier"])
    other = port + 1000 if port < 64535 else port - 1000
    out = capsys.readouterr().out
    assert f"e.g. .venv/bin/rawbank dev --notifier-port {other}. Then run again." in out
    assert f".venv/bin/rawbank dev --notifier-port {other}" in out.splitlines()[-1]  # the Hindi line too
