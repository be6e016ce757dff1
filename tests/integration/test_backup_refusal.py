"""`rawbank backup` keeps no copy of stores that disagree, and says why in English and Hindi."""
from __future__ import annotations

import re
import time
from pathlib import Path

from services import inventory, notifier, requests as requests_service
from services.inventory import ledger
from shared import backup, revocation
from shared.datadir import DataDir
from shared.durable_store import DurableStore
from shared.runtime import Runtime
from tests.integration.test_bank_support import Bank
from tests.integration.test_notifier_reports import answer, open_the_bank, thirty_kg_for_three

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}


def test_stores_that_never_agree_are_not_kept_and_the_first_problem_is_said_in_both_languages(
        tmp_path, config, capsys, monkeypatch):
    data = DataDir(tmp_path / "var")
    data.path.mkdir()
    for name, package in PACKAGES.items():
        durable = DurableStore(data.store(name))
        runtime = Runtime(package.spec(), config, client=durable.client)
        runtime.store = durable
        if runtime.spec.seed:
            runtime.spec.seed(runtime.db, config)
        if name == "inventory":  # on hand moved without its ledger entry
            runtime.db.stock.update_one({"_id": "VNS/YRN-COT-40"}, {"$inc": {"on_hand": 1000}})
        runtime.sync()
        runtime.close()
    monkeypatch.setattr(backup, "ATTEMPT_SECONDS", 0)
    target = tmp_path / "copy"

    assert backup.backup(data, config, str(target)) == 1
    english, hindi = capsys.readouterr().out.splitlines()
    assert "VNS/YRN-COT-40: on hand 201 but the ledger sums to 200" in english and "nothing was kept" in english
    assert "VNS/YRN-COT-40: मौजूद 201, पर आवाजाही खाते का जोड़ 200" in hindi and "कुछ नहीं रखा गया" in hindi
    assert not list(target.glob("*.sqlite"))


def test_a_backup_of_stores_at_rest_that_do_not_agree_says_so_at_once_and_how_to_keep_them(tmp_path, config, capsys):
    """After a crash, with nothing running, a backup tried again for two minutes and then said to try "when traffic is
    quiet": there was no traffic, and trying again could never help until rawbank started."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    requests_store = DurableStore(data.store("requests"))  # an event a crash left in an outbox, not yet published
    requests_store.client.rawbank_requests[revocation.COLLECTION].insert_one(  # a logout's TokenRevoked
        {"_id": "token-1", "until": "2026-12-05T18:00:00Z", "outbox": [{"event_id": "e1"}]})
    requests_store.client.close()
    requests_store.close()
    target = tmp_path / "copy"
    began = time.monotonic()
    assert backup.backup(data, config, str(target)) == 1
    assert time.monotonic() - began < backup.ATTEMPT_SECONDS / 4  # one copy, not two minutes of them
    english, hindi = two_lines(capsys)
    assert "rawbank is not running" in english and "requests outbox not drained" in english
    assert f"start it (.venv/bin/rawbank dev --data-dir {data.path}), then back up again" in english  # not ./var
    assert f"cp -a {data.path} {data.path}-as-stopped" in english
    assert "कुछ नहीं रखा गया" in hindi and f"cp -a {data.path}" in hindi
    assert not list(target.glob("*.sqlite"))


def stores_in(data: DataDir, config, note: str | None = None) -> None:
    """The three services' stores (empty, so they agree), with `note` stored in the requests store if given."""
    data.path.mkdir(parents=True, exist_ok=True)
    for name, package in PACKAGES.items():
        durable = DurableStore(data.store(name))
        runtime = Runtime(package.spec(), config, client=durable.client)
        runtime.store = durable
        if note and name == "requests":
            runtime.db.notes.insert_one({"_id": note})
        runtime.sync()
        runtime.close()


def files(directory) -> dict:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()
            and path.suffix != ".lock" and not path.name.endswith("-shm")}


def two_lines(capsys) -> tuple[str, str]:
    english, hindi = capsys.readouterr().out.splitlines()
    return english, hindi.strip()


def test_a_backup_of_a_store_a_newer_rawbank_wrote_says_so_and_copies_nothing(tmp_path, config, capsys):
    import sqlite3
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    connection = sqlite3.connect(data.store("requests"))
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    target = tmp_path / "copy"

    assert backup.backup(data, config, str(target)) == 2  # not a traceback
    english, hindi = two_lines(capsys)
    assert english.startswith("rawbank backup: ") and "requests.sqlite" in english and "newer rawbank" in english
    assert hindi.startswith("rawbank backup: ") and "requests.sqlite" in hindi
    assert not target.exists() or not any(target.iterdir())  # the same directory can be given again


def backed_up_then_changed(tmp_path, config) -> tuple[DataDir, Path]:
    """Stores in tmp_path/var, a backup of them in tmp_path/copy, then more written to the stores."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    copy = tmp_path / "copy"
    assert backup.backup(data, config, str(copy)) == 0
    stores_in(data, config, note="written after the backup")
    return data, copy


def test_a_restore_from_a_backup_with_a_store_missing_changes_nothing(tmp_path, config, capsys):
    data, copy = backed_up_then_changed(tmp_path, config)
    (copy / "requests.sqlite").unlink()  # a copy that did not all reach the backup disk
    capsys.readouterr()
    before = files(data.path)

    assert backup.restore(data, str(copy)) == 2
    english, hindi = two_lines(capsys)
    assert "requests.sqlite is missing" in english and "nothing was changed" in english
    assert "requests.sqlite नहीं मिली" in hindi
    assert files(data.path) == before and not list(data.path.glob("before-restore-*"))


def test_a_restore_that_fails_part_way_puts_the_stores_back(tmp_path, config, capsys):
    data, copy = backed_up_then_changed(tmp_path, config)
    before = files(data.path)
    (data.path / ".requests.sqlite.partial").mkdir()  # the second store cannot be written into place
    capsys.readouterr()

    assert backup.restore(data, str(copy)) == 2
    assert "rawbank restore: " in capsys.readouterr().out
    assert files(data.path) == before and not list(data.path.glob("before-restore-*"))


def test_a_backup_says_which_copy_it_kept_in_hindi_too(tmp_path, config, capsys):
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    target = tmp_path / "copy"

    assert backup.backup(data, config, str(target)) == 0
    english, hindi = two_lines(capsys)
    assert english.startswith("Backed up inventory, requests, notifier from ") and english.endswith("(copy 1).")
    assert f"{data.path} से {target} में इन्वेंटरी सेवा, अनुरोध सेवा, नोटिफ़ायर सेवा का बैकअप हो गया" in hindi
    assert hindi.endswith("(प्रति 1)।")


def test_a_backup_to_a_file_says_so_and_touches_it_not(tmp_path, config, capsys):
    """Before, `rawbank backup /backups/rawbank/log` (a file, e.g. the cron job's log) was a NotADirectoryError
    traceback with exit code 1."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    log = tmp_path / "log"
    log.write_text("yesterday's backup\n")

    assert backup.backup(data, config, str(log)) == 2
    english, hindi = two_lines(capsys)
    assert english == (f"rawbank backup: {log} is a file, not a directory; nothing was copied. Give a new or empty "
                       f"directory, e.g. {log}-copy.")
    assert hindi.startswith(f"rawbank backup: {log} ") and "फ़ाइल" in hindi and f"{log}-copy" in hindi
    assert log.read_text() == "yesterday's backup\n"


def test_a_backup_to_a_place_it_cannot_be_made_says_so_of_the_backup_not_of_the_data_directory(tmp_path, config,
                                                                                                capsys):
    """It said "The data directory /proc/x is not writable ... choose another directory with --data-dir": the data
    directory was fine, and --data-dir is no answer to where the copy goes (the cron job's log read as much).
    Then "{target} cannot be used for the copy (No such file or directory)": the OS's words were the only reason."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    target = Path("/proc/rawbank-backup")  # no directory can be made there, whoever runs it

    assert backup.backup(data, config, str(target)) == 2
    english, hindi = two_lines(capsys)
    assert english.startswith(f"rawbank backup: the directory {target} cannot be made (No such file or directory): "
                              "a part of its path is missing") and "--data-dir" not in english
    assert "nothing was kept. Check that the disk it is on (e.g. the USB drive) is attached" in english
    assert hindi.startswith(f"rawbank backup: फ़ोल्डर {target} नहीं बन सकता") and "--data-dir" not in hindi


def test_a_backups_files_are_readable_by_their_owner_only(tmp_path, config, capsys):
    """Before, a backup into a directory that existed (or under the umask) left each store copy, with its password
    hashes and artisans' phone numbers, readable by every user of the machine (0644)."""
    import os
    import stat
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    target = tmp_path / "copy"
    target.mkdir(mode=0o755)  # made beforehand, as a mounted backup disk's directory is
    os.chmod(target, 0o755)
    old = os.umask(0o022)
    try:
        assert backup.backup(data, config, str(target)) == 0
    finally:
        os.umask(old)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in target.iterdir() if path.suffix == ".sqlite"}
    assert set(modes) == {"inventory.sqlite", "requests.sqlite", "notifier.sqlite"}
    assert all(mode & 0o077 == 0 for mode in modes.values()), {name: oct(mode) for name, mode in modes.items()}
    # and so are the stores rawbank makes, and the ones a restore puts in place (they were 0644 under this umask)
    old = os.umask(0o022)
    try:
        fresh = DataDir(tmp_path / "fresh")
        stores_in(fresh, config)
        assert backup.restore(fresh, str(target)) == 0
    finally:
        os.umask(old)
    for directory in (data.path, fresh.path):
        modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in directory.iterdir()
                 if path.name.endswith((".sqlite", ".sqlite-wal"))}
        assert {"inventory.sqlite", "requests.sqlite", "notifier.sqlite"} <= set(modes)
        assert all(mode & 0o077 == 0 for mode in modes.values()), {name: oct(mode) for name, mode in modes.items()}


def test_a_restore_into_a_directory_rawbank_never_used_is_refused_unless_asked_for(tmp_path, config, capsys,
                                                                                 monkeypatch):
    """`cd /tmp/x && rawbank restore B` made /tmp/x/var, said "Start rawbank as usual (make dev)" and exited 0, while
    `make dev` in the checkout started on its old ./var, untouched; a mistyped --data-dir did the same."""
    from shared import datadir
    from shared.cli import main
    data, copy = backed_up_then_changed(tmp_path, config)
    elsewhere = tmp_path / "x"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    capsys.readouterr()
    checkout = datadir.checkout()

    assert main(["restore", str(copy)]) == 2  # ./var of the current directory, not of the checkout
    english, hindi = two_lines(capsys)
    assert english.startswith(f"rawbank restore: {elsewhere / 'var'} is not a rawbank data directory") and (
        f"not the one `make dev` in {checkout} uses ({checkout / 'var'}); nothing was changed" in english)
    assert f"cd {checkout} && .venv/bin/rawbank restore {copy}" in english and "add --new" in english
    assert f"{elsewhere / 'var'}" in hindi and "--new" in hindi and "कुछ नहीं बदला" in hindi
    assert not (elsewhere / "var").exists()
    wrong = tmp_path / "wrongdir"
    assert main(["restore", str(copy), "--data-dir", str(wrong)]) == 2
    assert "is not a rawbank data directory" in capsys.readouterr().out and not wrong.exists()

    assert main(["restore", str(copy), "--data-dir", str(wrong), "--new"]) == 0  # on purpose
    english, hindi = two_lines(capsys)
    assert english.endswith(f"Start rawbank on it with: cd {checkout} && .venv/bin/rawbank dev --data-dir {wrong}")
    assert hindi.endswith(f"cd {checkout} && .venv/bin/rawbank dev --data-dir {wrong}")
    assert (wrong / "requests.sqlite").is_file()
    assert main(["restore", str(copy), "--data-dir", str(data.path)]) == 0  # a data directory rawbank has used
    assert "before-restore-" in capsys.readouterr().out


def test_a_restore_on_a_fresh_clone_makes_its_var_and_says_make_dev(tmp_path, config, capsys, monkeypatch):
    from shared import datadir
    from shared.cli import main
    _, copy = backed_up_then_changed(tmp_path, config)
    clone = tmp_path / "clone"  # a fresh clone of rawbank on a new machine: no ./var yet
    clone.mkdir()
    monkeypatch.setattr(datadir, "checkout", lambda: clone)
    monkeypatch.chdir(clone)
    capsys.readouterr()

    assert main(["restore", str(copy)]) == 0
    english, hindi = two_lines(capsys)
    assert re.match(r"Restored the copy of \d+ \w+ 20\d\d, \d\d:\d\d IST into ", english)  # India's time, said
    assert f"into {clone / 'var'}." in english
    assert english.endswith("Start rawbank on it with: make dev") and hindi.endswith("make dev")
    assert (clone / "var" / "inventory.sqlite").is_file()


def test_a_backup_into_the_data_directory_or_around_it_is_refused_and_never_suggested(tmp_path, config, capsys):
    """`rawbank backup --data-dir D D` said "D is not empty; ... e.g. D/$(date +%F)": followed, the backup went into
    the data directory (exit 0), lost with its disk, while README says to keep backups on another disk."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    before = names(data.path)

    for target, word in ((data.path, "inside the data directory"), (data.path / "2026-12-05", "inside the data"),
                         (tmp_path, "is inside")):
        assert backup.backup(data, config, str(target)) == 2
        english, hindi = two_lines(capsys)
        assert word in english and "nothing was copied" in english and "another disk" in english, english
        assert "$(date +%F)" not in english.replace("/media/usb/rawbank-$(date +%F)", ""), english
        assert "/media/usb/rawbank-$(date +%F)" in hindi and "कुछ कॉपी नहीं" in hindi
    assert names(data.path) == before  # nothing was made in it
    elsewhere = tmp_path / "backups"
    elsewhere.mkdir()
    (elsewhere / "log").write_text("")
    assert backup.backup(data, config, str(elsewhere)) == 2  # a directory outside: a new one in it is suggested
    english, hindi = two_lines(capsys)
    assert english.endswith(f"e.g. {elsewhere}/$(date +%F).") and f"{elsewhere}/$(date +%F)" in hindi


def names(directory) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if not path.name.endswith(("-shm", "-wal")))


def test_a_restore_from_a_damaged_backup_says_the_backup_is_damaged_and_changes_nothing(tmp_path, config, capsys):
    """It said the live store's message ("is damaged ... Restore the last backup (rawbank restore DIR) ... Keep the
    damaged file aside"): the live store was fine, and the damaged file was the backup being restored."""
    import os
    data, copy = backed_up_then_changed(tmp_path, config)
    store = copy / "notifier.sqlite"
    whole = store.read_bytes()
    before = files(data.path)
    for size in (100, len(whole) // 2, 0):  # its header cut, its pages cut, nothing left
        with open(store, "r+b") as file:
            os.ftruncate(file.fileno(), size)
        capsys.readouterr()

        assert backup.restore(data, str(copy)) == 2, size
        english, hindi = two_lines(capsys)
        assert english.startswith(f"rawbank restore: {store} in this backup is damaged"), english
        assert "nothing was changed" in english and "restore an earlier one" in english
        assert "Keep the damaged file aside" not in english and "restore the last backup" not in english.lower()
        assert f"{store}" in hindi and "पहले" in hindi
        assert files(data.path) == before and not list(data.path.glob("before-restore-*"))
        store.write_bytes(whole)
    assert backup.restore(data, str(copy)) == 0  # the whole copy again


def test_a_restore_says_what_a_directory_without_a_manifest_is(tmp_path, config, capsys):
    """An unfinished backup, a directory that does not exist and the data directory itself were all said as "holds
    no rawbank backup (rawbank-backup.json is missing)"."""
    data, copy = backed_up_then_changed(tmp_path, config)
    (copy / backup.MANIFEST).unlink()  # a backup killed before its copies were checked and kept
    empty = tmp_path / "failed"
    empty.mkdir()
    a_file = tmp_path / "log"
    a_file.write_text("")
    other = tmp_path / "notes"
    other.mkdir()
    (other / "readme.txt").write_text("")
    capsys.readouterr()
    before = files(data.path)
    said = {}
    for source in (copy, empty, tmp_path / "no-such-backup", data.path, a_file, other):
        assert backup.restore(data, str(source)) == 2, source
        said[source] = two_lines(capsys)
        assert said[source][0].startswith(f"rawbank restore: {source} ") and "nothing was changed" in said[source][0]
        assert said[source][1].startswith(f"rawbank restore: {source} ") and "कुछ नहीं बदला" in said[source][1]
    assert files(data.path) == before and not list(data.path.glob("before-restore-*"))
    for source in (copy, empty):
        english, hindi = said[source]
        assert "holds an unfinished backup" in english and "Restore an earlier backup" in english, english
        assert f"delete this directory (rm -r {source})" in english and f"rm -r {source}" in hindi
    assert "does not exist" in said[tmp_path / "no-such-backup"][0]
    assert "is the data directory itself, not a backup" in said[data.path][0]
    assert "is a file, not a backup" in said[a_file][0]
    assert "holds no rawbank backup (rawbank-backup.json is missing)" in said[other][0]


def test_a_backup_that_fails_or_is_stopped_leaves_no_directory_it_made(tmp_path, config, capsys, monkeypatch):
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    target = tmp_path / "backups" / "2026-12-05"
    target.parent.mkdir()  # a backup makes only its last folder (tests/integration/test_backup_disk_attached.py)
    monkeypatch.setattr(backup, "reconcile_copies", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        backup.backup(data, config, str(target))
        raise AssertionError("Ctrl-C was not passed on")
    except KeyboardInterrupt:
        pass
    assert not target.exists() and (tmp_path / "backups").is_dir()  # its parent was there before: kept

    monkeypatch.setattr(backup, "copy", lambda *_: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    assert backup.backup(data, config, str(target)) == 2
    assert "nothing was kept" in capsys.readouterr().out and not target.exists()
    target.mkdir()  # made beforehand (a mounted disk's directory): it stays, empty
    assert backup.backup(data, config, str(target)) == 2
    assert target.is_dir() and not any(target.iterdir())


class InFlight:
    """A reconciliation problem as `check` gives it: said in English, and in Hindi by `said`."""

    def __str__(self) -> str:
        return "requests outbox not drained"

    def said(self, lang: str) -> str:
        return "अनुरोध सेवा की भेजने को रखी घटनाएँ अभी भेजी नहीं गईं"


def test_a_backup_under_steady_traffic_says_each_try_can_wait_longer_and_keeps_only_copies_that_agree(
        tmp_path, config, capsys, monkeypatch):
    """Under steady traffic it tried silently for two minutes, then gave up with "Try again when traffic is quiet":
    nothing said what it was doing, nor how to let it try for longer."""
    from shared.cli import main
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    monkeypatch.setattr(backup, "_running", lambda *_: True)
    monkeypatch.setattr(backup, "PROGRESS_SECONDS", 0)
    monkeypatch.setattr(backup, "reconcile_copies", lambda *_: [InFlight()])
    target = tmp_path / "copy"

    assert backup.backup(data, config, str(target), wait=1.2) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("rawbank backup: copy 1 did not agree (requests outbox not drained: an event was in flight "
                        "between the services); taking it again, for up to 1 s more (--wait MINUTES for longer).")
    assert "प्रति 1" in lines[1] and "--wait" in lines[1] and "copy 2 did not agree" in lines[2]
    english, hindi = lines[-2], lines[-1].strip()
    assert english.startswith("rawbank backup: the services never came to rest long enough for copies that agree: ")
    assert "(the last: requests outbox not drained); nothing was kept. Run it at a quiet hour" in english
    assert english.endswith(f"let it try for longer: rawbank backup --wait 10 {target}")
    assert f"--wait 10 {target}" in hindi and "कुछ नहीं रखा गया" in hindi
    assert not target.exists()  # nothing kept, and the directory it made is gone

    answers = iter([[InFlight()], [InFlight()], []])  # two copies with an event in flight, then one that agrees
    monkeypatch.setattr(backup, "reconcile_copies", lambda *_: next(answers))
    assert main(["backup", "--wait", "5", "--data-dir", str(data.path), str(target)]) == 0
    out = capsys.readouterr().out
    assert "copy 1 did not agree" in out and "copy 2 did not agree" in out and out.count("did not agree") == 2
    assert "(copy 3)." in out and (target / backup.MANIFEST).is_file()
    for wrong in ("0", "-1", "soon", "1441"):
        try:
            main(["backup", "--wait", wrong, "--data-dir", str(data.path), str(tmp_path / "other")])
        except SystemExit as refused:
            assert refused.code == 2
        assert "--wait" in capsys.readouterr().err and not (tmp_path / "other").exists()


def test_status_shows_what_a_restore_set_aside_and_restore_takes_lang(tmp_path, config, capsys):
    """`rawbank status` said "482.3 MB in 3 stores" while var/before-restore-* (hundreds of MB) stayed forever, and
    `rawbank restore --lang hi` was refused as an unknown argument while status and reconcile take --lang."""
    from shared.cli import main
    from shared.status import report
    data, copy = backed_up_then_changed(tmp_path, config)
    capsys.readouterr()

    assert main(["restore", str(copy), "--data-dir", str(data.path), "--lang", "hi"]) == 0
    said = capsys.readouterr().out.strip()
    assert "वापस लाई गई" in said and "Restored" not in said
    aside = next(data.path.glob("before-restore-*"))
    size = sum(path.stat().st_size for path in aside.iterdir())
    text, _ = report(data, config, "en")
    line = next(line for line in text.splitlines() if "set aside by a restore" in line)
    assert line.strip().startswith(f"set aside by a restore: {aside}, ") and f"rm -r {aside}" in line
    assert ("KB" in line or "MB" in line) and size > 1024
    assert "once the restored data is checked" in line
    hindi, _ = report(data, config, "hi")
    assert f"rm -r {aside}" in hindi and "set aside" not in hindi
    assert main(["restore", str(copy), "--data-dir", str(data.path), "--lang", "en"]) == 0
    assert "वापस" not in capsys.readouterr().out


class DurableBank(Bank):
    """The three services of tests/integration/test_bank_support.py on the durable stores of a data directory."""

    def __init__(self, config, token, data: DataDir):
        self.config, self.token = config, token
        self.specs = {name: package.spec() for name, package in PACKAGES.items()}
        self.apps = {}
        for name, spec in self.specs.items():
            durable = DurableStore(data.store(name))
            runtime = Runtime(spec, config, client=durable.client)
            runtime.store = durable
            self.apps[name] = PACKAGES[name].create_app(config, runtime)
        self.db = {name: app.extensions["rawbank"].db for name, app in self.apps.items()}
        self.http = {name: app.test_client() for name, app in self.apps.items()}
        self.handlers = {name: spec.make_handler(self.db[name], config) for name, spec in self.specs.items()}


def test_a_backup_after_a_member_was_sent_a_fresh_code_is_kept(tmp_path, config, token, capsys):
    """After a fresh code, reconcile said every such member was "notified twice of confirm_share", for good: the
    nightly backup kept no copy, ever. Each code is news of its own now."""
    data = DataDir(tmp_path / "var")
    data.path.mkdir()
    bank = DurableBank(config, token, data)
    try:
        open_the_bank(bank)
        rid = thirty_kg_for_three(bank)
        for _ in range(2):
            bank.call("requests", "POST", f"/requisitions/{rid}/shares/ART-1/code", json={}, status=200)
        bank.flush()
        answer(bank, rid)
        ledger.project_pending(bank.db["inventory"])
    finally:
        bank.close()
    capsys.readouterr()

    assert backup.backup(data, config, str(tmp_path / "copy")) == 0, capsys.readouterr().out
    assert capsys.readouterr().out.startswith("Backed up inventory, requests, notifier from ")


def test_a_second_backup_into_a_finished_one_suggests_a_directory_beside_it_not_inside(tmp_path, config, capsys):
    """The README's cron line run twice in a day (the cron job, then by hand) gives the same DIR: the refusal said
    "e.g. DIR/$(date +%F)", a backup nested inside the first one."""
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    done = tmp_path / "backups" / "2026-12-07"
    done.mkdir(parents=True)
    (done / backup.MANIFEST).write_text("{}")
    (done / "requests.sqlite").write_bytes(b"")
    before = names(done)
    assert backup.backup(data, config, str(done)) == 2
    english, hindi = two_lines(capsys)
    assert "already holds a backup" in english and "nothing was copied" in english, english
    beside = f"{tmp_path / 'backups'}/$(date +%F-%H%M)"
    assert english.endswith(f"e.g. {beside}.") and beside in hindi and "कुछ कॉपी नहीं" in hindi
    assert f"{done}/$(date" not in english + hindi
    assert names(done) == before
