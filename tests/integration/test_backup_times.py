"""`rawbank status` and backup's messages said the time of a backup as ISO in UTC: the 02:30 cron backup of 6 December
read "2026-12-05T21:00:03+00:00", the day before. Now they say it in India's time with the zone named, as the pages
do ("6 Dec 2026, 02:30 IST"); the files rawbank reads back (last-backup.json, the backup's manifest) keep ISO in UTC."""
from __future__ import annotations

import json
import re

from shared import backup
from shared.cli import main
from shared.datadir import DataDir
from shared.names import moment
from tests.integration.test_backup_refusal import stores_in
from tests.integration.test_cli_in_hindi import english_words

NIGHT = "2026-12-05T21:00:03+00:00"  # 02:30 in India on 6 December


def test_a_time_is_said_in_india_with_its_zone_and_the_day_it_is_there():
    assert moment(NIGHT, "en") == "6 Dec 2026, 02:30 IST"
    assert moment(NIGHT, "hi") == "6 दिस॰ 2026, रात 2:30 भारतीय समय"
    assert moment("2026-12-06T08:45:00Z", "en") == "6 Dec 2026, 14:15 IST"
    assert moment("not a time", "en") == "not a time" and moment(None, "hi") == "–"


def test_status_says_the_last_backup_in_india_time(tmp_path, config, capsys):
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    data.write_json("last-backup.json", {"at": NIGHT, "directory": "/media/usb/rawbank-2026-12-06"})

    assert main(["status", "--data-dir", str(data.path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "last backup: 6 Dec 2026, 02:30 IST to /media/usb/rawbank-2026-12-06" in lines, lines
    assert main(["status", "--lang", "hi", "--data-dir", str(data.path)]) == 0
    hindi = capsys.readouterr().out
    line = next(line for line in hindi.splitlines() if line.startswith("पिछला बैकअप:"))
    assert "6 दिस॰ 2026, रात 2:30 भारतीय समय" in line and "+00:00" not in line and not english_words(line), line
    assert json.loads((data.path / "last-backup.json").read_text())["at"] == NIGHT  # the file as it was


def test_backup_and_restore_say_the_copys_time_in_india_and_keep_iso_in_their_files(tmp_path, config, capsys):
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    target = tmp_path / "copy"

    assert backup.backup(data, config, str(target)) == 0
    english, hindi = capsys.readouterr().out.strip().splitlines()
    at = json.loads((data.path / "last-backup.json").read_text())["at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", at)  # machine-readable, as before
    assert json.loads((target / backup.MANIFEST).read_text())["at"] == at
    assert f" ({moment(at, 'en')}); the copies reconcile clean" in english and " IST); " in english
    assert moment(at, "hi") in hindi and "भारतीय समय" in hindi and at not in english + hindi

    fresh = DataDir(tmp_path / "fresh")
    stores_in(fresh, config)
    assert backup.restore(fresh, str(target)) == 0
    english, hindi = capsys.readouterr().out.strip().splitlines()
    assert english.startswith(f"Restored the copy of {moment(at, 'en')} into {fresh.path}.")
    assert moment(at, "hi") in hindi and at not in english + hindi


def test_the_folder_a_restore_sets_aside_is_named_by_indias_time_and_an_older_one_is_still_listed(
        tmp_path, config, capsys, monkeypatch):
    """The stores a restore replaced went to before-restore-20261205T210003Z/, UTC a person reads as the day before
    the 02:30 restore; now before-restore-20261206-023003-IST/, sortable still. A folder an older rawbank named in
    UTC is listed by `rawbank status` as before (nothing reads the time out of the name)."""
    from datetime import datetime

    from shared.status import report

    class AtNight(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.fromisoformat(NIGHT).astimezone(tz)
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    target = tmp_path / "copy"
    assert backup.backup(data, config, str(target)) == 0
    (data.path / "before-restore-20261201T101500Z").mkdir()  # an older rawbank's
    monkeypatch.setattr(backup, "datetime", AtNight)

    assert backup.restore(data, str(target)) == 0
    aside = data.path / "before-restore-20261206-023003-IST"
    assert aside.is_dir() and f"The stores it replaced are in {aside}." in capsys.readouterr().out
    assert backup.restore(data, str(target)) == 0  # again in the same second: a folder of its own
    assert (data.path / "before-restore-20261206-023003-IST.2").is_dir()
    text, _ = report(data, config, "en")
    listed = [line.split(": ", 1)[1].split(",")[0] for line in text.splitlines() if "set aside by a restore" in line]
    assert [path.rsplit("/", 1)[1] for path in listed] == [
        "before-restore-20261201T101500Z", "before-restore-20261206-023003-IST", "before-restore-20261206-023003-IST.2"]
