"""Why `rawbank backup` cannot use the directory it was given, from the OS's error: in plain words, with what to do
next, and the OS's own words in brackets for whoever looks after the computer.

An OSError's strerror ("Permission denied") is English whatever the language asked for: said alone, it left the
Hindi line of `rawbank backup --lang hi` half English and the reader without a reason or a next step.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

from shared.datadir import file_in_the_way, user
from shared.i18n import N_

#: the target (or a directory above it) may not be written by the user running the backup
MAY_NOT_WRITE = N_("rawbank backup: this user ({user}) may not write in the directory {place} ({error}); nothing was "
                   "kept. Give a directory this user may write in, e.g. rawbank backup /media/usb/rawbank-$(date "
                   "+%F), or ask whoever looks after this computer to let {user} write in {place}.")
#: the target, or a directory above it, may not be read (so whether it is empty is not known)
MAY_NOT_READ = N_("rawbank backup: this user ({user}) may not read the directory {place} ({error}); nothing was "
                  "kept. Give a new directory this user may write in, e.g. rawbank backup /media/usb/rawbank-$(date "
                  "+%F), or ask whoever looks after this computer to let {user} read and write in {place}.")
READ_ONLY_DISK = N_("rawbank backup: the disk holding {place} can be read but not written ({error}); nothing was "
                    "kept. Give a directory on a disk that can be written; a USB drive may be locked or need taking "
                    "out and putting back in.")
DISK_FULL = N_("rawbank backup: the disk holding {place} is full ({error}); nothing was kept. Free some space there, "
               "or give a directory on another disk, e.g. rawbank backup /media/usb/rawbank-$(date +%F).")
#: a part of the path is missing where it cannot be made: a disk not attached, a link to nothing, /proc
NO_SUCH_PLACE = N_("rawbank backup: the directory {target} cannot be made ({error}): a part of its path is missing "
                   "and cannot be made there; nothing was kept. Check that the disk it is on (e.g. the USB drive) is "
                   "attached, and give the whole path of a directory on it, e.g. rawbank backup "
                   "/media/usb/rawbank-$(date +%F).")
FILE_IN_THE_WAY = N_("rawbank backup: {place} is a file, so the directory {target} cannot be made ({error}); nothing "
                     "was kept. Give a directory whose path has no file in it, e.g. rawbank backup "
                     "/media/usb/rawbank-$(date +%F).")
DISK_FAILING = N_("rawbank backup: the disk holding {place} could not be read or written ({error}): it may be failing "
                  "or have been taken out; nothing was kept. Check the disk, or give a directory on another disk, "
                  "e.g. rawbank backup /media/usb/rawbank-$(date +%F).")
#: a folder above the target is missing: made, it (and the copy) would be on whatever disk holds the folder above it,
#: this computer's own when a USB drive is not attached, so only the target itself is made
NO_FOLDER_ABOVE = N_("rawbank backup: {missing} does not exist, so {target} was not made; nothing was copied. A backup "
                     "makes only its own last folder, so that a copy meant for a disk that is not attached is never "
                     "left on this computer's own disk. If {missing} is on a USB drive or another disk, attach it and "
                     "run this again; if the copy is meant to be on this disk, make the folder first (mkdir -p "
                     "{parent}), then run this again.")
#: under /media or /mnt (where disks are attached) the first folder below is missing: no disk is attached there
DISK_NOT_ATTACHED = N_("rawbank backup: {missing} does not exist: the disk {target} is meant to be on (a USB drive or "
                       "another disk attached under {base}) is not attached; nothing was copied. Attach the disk and "
                       "check that it shows there (ls {base}), then run this again. To keep the copy on this "
                       "computer's own disk instead, give a folder outside {base}, made first (mkdir -p).")
#: under /media or /mnt the folder is there but no disk is mounted on it: what is written there stays on this computer
NOT_A_DISK = N_("rawbank backup: {place} is a folder on this computer's own disk, not a disk attached there: the USB "
                "drive (or other disk) {target} is meant to be on is not attached; nothing was copied. Attach the "
                "disk and check that it is there (findmnt {place} prints a line once it is), then run this again. To "
                "keep the copy on this computer's own disk instead, give a folder outside {base}, made first "
                "(mkdir -p).")
#: any other OS error: its own words are all there is to say
UNUSABLE = N_("rawbank backup: {target} cannot be used for the copy ({error}); nothing was copied. Give a "
              "directory this user may write, on a disk with free space, e.g. rawbank backup "
              "/media/usb/rawbank-$(date +%F).")


#: where USB drives and other disks are attached (mounted): a folder there that no disk is mounted on is only a
#: folder on this computer's own disk, the place of a disk not attached now
MOUNT_PLACES = (Path("/media"), Path("/mnt"), Path("/run/media"))


def unattached(target: Path) -> tuple[str, dict] | None:
    """The catalog text and its values when the copy in `target` (a whole path, resolved) would not be where it is
    meant to be: a folder above it is missing (only `target` itself is made), or it is under /media or /mnt on no
    disk attached there. None: it may be made (what the OS then refuses, `refusal` says). Raises OSError when a
    folder on the way may not be read."""
    base = next((place for place in MOUNT_PLACES if place == target or place in target.parents), None)
    if base is not None:
        below = [path for path in reversed([target, *target.parents]) if base in path.parents]  # top down
        present = [path for path in below if path.exists()]
        if not any(os.path.ismount(path) for path in [base, *present]):
            first = below[0] if below else base
            if not first.exists():
                return DISK_NOT_ATTACHED, {"missing": first, "target": target, "base": base}
            if first.is_dir():
                return NOT_A_DISK, {"place": first, "target": target, "base": base}
    if target.exists():
        return None
    for path in reversed(target.parents):  # the top-most folder above that is missing
        if not path.exists():
            return NO_FOLDER_ABOVE, {"missing": path, "target": target, "parent": target.parent}
        if not path.is_dir():
            return None  # a file in the way: the OS says so when the folder is made (FILE_IN_THE_WAY)
    return None


def refusal(target: Path, exc: OSError, *, reading: bool = False) -> tuple[str, dict]:
    """The catalog text and its values saying why `target` cannot take the copy (`reading`: it could not be listed)."""
    code, place = exc.errno, _existing(Path(exc.filename) if exc.filename else target)
    values = {"target": target, "place": place, "error": exc.strerror or str(exc), "user": user()}
    if code in (errno.EACCES, errno.EPERM):
        return (MAY_NOT_READ if reading else MAY_NOT_WRITE), values
    if code == errno.EROFS:
        return READ_ONLY_DISK, values
    if code in (errno.ENOSPC, errno.EDQUOT):
        return DISK_FULL, values
    if (blocker := file_in_the_way(target, exc)) is not None:
        return FILE_IN_THE_WAY, {**values, "place": blocker}
    if code == errno.ENOENT:
        return NO_SUCH_PLACE, values
    if code == errno.EIO:
        return DISK_FAILING, values
    return UNUSABLE, values


def _existing(path: Path) -> Path:
    """The directory the OS refused in: `path` if it is one, else the nearest directory above it that exists."""
    for candidate in (path, *path.parents):
        try:
            if candidate.is_dir():
                return candidate
        except OSError:
            continue
    return path
