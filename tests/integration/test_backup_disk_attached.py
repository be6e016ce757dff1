"""`rawbank backup` to a USB drive that is not attached: before, it made every missing folder of the path, so
`rawbank backup /media/usb/rawbank-backups/2026-12-06` with the drive out (/media/usb missing, or an empty folder no
disk is mounted on) wrote the copy to this computer's own disk and said "Backed up", and the nightly cron job's log
read as if an off-machine copy had been kept. Now only the last folder is made, and a place under /media or /mnt
with no disk mounted on it is refused, saying to attach the disk (or to make the folder first if it is meant to be
on this disk): exit code 2 and one line in each language on stdout, as every other refusal of a backup."""
from __future__ import annotations

import os

from shared import backup, backup_place
from shared.datadir import DataDir
from tests.integration.test_backup_refusal import stores_in
from tests.integration.test_cli_in_hindi import english_words, said_in_hindi

#: what the Hindi line may hold in Latin letters besides paths and rawbank's own codes: the commands it gives
COMMANDS = {"mkdir", "p", "ls", "findmnt"}


def latin(hindi: str) -> set[str]:
    return english_words(hindi) - COMMANDS


def backed_up(capsys, data: DataDir, target, lang: str | None = None) -> tuple[int, list[str]]:
    """`rawbank backup` as the cron line runs it (its stdout and stderr go to the log): exit code and lines said."""
    argv = ["backup", "--data-dir", str(data.path), str(target), *(["--lang", lang] if lang else [])]
    code, said = said_in_hindi(capsys, argv)
    return code, said.splitlines()


def test_a_backup_whose_folder_above_is_missing_makes_nothing_and_says_attach_or_make_it(tmp_path, config, capsys):
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    target = tmp_path / "backups" / "rawbank" / "2026-12-06"

    code, (english, hindi) = backed_up(capsys, data, target)
    assert code == 2
    assert english == (f"rawbank backup: {tmp_path / 'backups'} does not exist, so {target} was not made; nothing was "
                       "copied. A backup makes only its own last folder, so that a copy meant for a disk that is not "
                       "attached is never left on this computer's own disk. If "
                       f"{tmp_path / 'backups'} is on a USB drive or another disk, attach it and run this again; if "
                       f"the copy is meant to be on this disk, make the folder first (mkdir -p {target.parent}), then "
                       "run this again.")
    assert f"{tmp_path / 'backups'} मौजूद नहीं है" in hindi and f"mkdir -p {target.parent}" in hindi
    assert "USB ड्राइव" in hindi and not latin(hindi), latin(hindi)
    assert not (tmp_path / "backups").exists()

    target.parent.mkdir(parents=True)  # made first, as the message says: the copy is kept, in the folder it makes
    code, lines = backed_up(capsys, data, target)
    assert code == 0 and lines[0].startswith("Backed up ") and (target / backup.MANIFEST).is_file()


def test_a_backup_to_a_usb_drive_not_attached_is_refused_and_leaves_nothing_on_this_disk(
        tmp_path, config, capsys, monkeypatch):
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    media = tmp_path / "media"
    media.mkdir()
    monkeypatch.setattr(backup_place, "MOUNT_PLACES", (media,), raising=False)
    usb = media / "usb"
    target = usb / "rawbank-backups" / "2026-12-06"

    # the drive's mount point is not there at all (it is made when the drive is attached)
    code, (english, hindi) = backed_up(capsys, data, target)
    assert code == 2
    assert english.startswith(f"rawbank backup: {usb} does not exist: the disk {target} is meant to be on (a USB drive "
                              f"or another disk attached under {media}) is not attached; nothing was copied. Attach "
                              f"the disk and check that it shows there (ls {media}), then run this again.")
    assert f"{usb} मौजूद नहीं है" in hindi and "नहीं लगी है" in hindi and not latin(hindi), latin(hindi)
    assert not any(media.iterdir())

    # an empty folder no disk is mounted on: what is written in it stays on this computer's disk
    for given in (target, usb / "rawbank-2026-12-06", usb):
        usb.mkdir(exist_ok=True)
        code, (english, hindi) = backed_up(capsys, data, given)
        assert code == 2
        assert english.startswith(f"rawbank backup: {usb} is a folder on this computer's own disk, not a disk "
                                  f"attached there: the USB drive (or other disk) {given} is meant to be on is not "
                                  f"attached; nothing was copied. Attach the disk and check that it is there (findmnt "
                                  f"{usb} prints a line once it is)"), english
        assert f"{usb} इस कंप्यूटर की अपनी डिस्क पर एक फ़ोल्डर है" in hindi and not latin(hindi), latin(hindi)
        assert not any(usb.iterdir())
    code, lines = backed_up(capsys, data, target, "hi")  # --lang hi: the Hindi line only
    assert code == 2 and len(lines) == 1 and "findmnt" in lines[0]

    # the drive attached (mounted on /media/usb): the copy goes on it; a folder missing on it is said as such
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: str(path) == str(usb) or real_ismount(path))
    code, lines = backed_up(capsys, data, target)
    assert code == 2 and lines[0].startswith(f"rawbank backup: {usb / 'rawbank-backups'} does not exist, so")
    assert not any(usb.iterdir())
    code, lines = backed_up(capsys, data, usb / "rawbank-2026-12-06")
    assert code == 0 and lines[0].startswith("Backed up ")
    assert (usb / "rawbank-2026-12-06" / backup.MANIFEST).is_file()


def test_a_backup_whose_path_has_a_file_in_it_still_says_the_file(tmp_path, config, capsys):
    data = DataDir(tmp_path / "var")
    stores_in(data, config)
    (tmp_path / "log").write_text("last night's backup\n")
    target = tmp_path / "log" / "more" / "2026-12-06"

    code, (english, _) = backed_up(capsys, data, target)
    assert code == 2 and english.startswith(f"rawbank backup: {tmp_path / 'log'} is a file, so the directory {target} "
                                            "cannot be made"), english
