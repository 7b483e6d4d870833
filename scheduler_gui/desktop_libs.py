"""Name the system libraries Qt's X11 plugin needs and this Linux desktop lacks.

PySide6 brings Qt but not the X11/xcb libraries its ``xcb`` platform plugin links to. A
plain Debian/Ubuntu desktop often lacks a few (``libxcb-cursor0`` first of all), and Qt
then names only the first missing one before aborting. We try each library ourselves,
before Qt starts, and print every missing one with the command that installs them.
Qt-free and cheap: a few ``dlopen`` calls, only when the app is about to use X11.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

#: Shared libraries that Qt's xcb plugin (libqxcb.so, libQt6XcbQpa, libQt6Gui) needs and
#: the wheel does not ship, with the Debian/Ubuntu package that provides each.
XCB_PLUGIN_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}


def can_load(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """True when Qt will pick its X11 plugin: Linux, a DISPLAY, no other platform asked."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    return bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def missing_libraries(loadable: Callable[[str], bool] | None = None) -> list[str]:
    """The Debian packages whose libraries cannot be loaded, each once, in table order."""
    load = can_load if loadable is None else loadable
    missing = [package for soname, package in XCB_PLUGIN_LIBRARIES.items() if not load(soname)]
    return list(dict.fromkeys(missing))


def advice(packages: list[str]) -> str:
    names = " ".join(packages)
    return (
        f"Qt cannot start on this X11 desktop: {len(packages)} system "
        f"librar{'y is' if len(packages) == 1 else 'ies are'} missing ({names}).\n"
        f"  Debian/Ubuntu: sudo apt-get install {names}\n"
        "  Other systems: install the xcb-cursor, xcb-icccm, xcb-keysyms, xcb-image, "
        "xcb-render-util and xkbcommon-x11 libraries."
    )


def check_desktop(
    environ: Mapping[str, str] | None = None, loadable: Callable[[str], bool] | None = None
) -> str | None:
    """The advice to print before Qt starts, or None when nothing is missing."""
    env = os.environ if environ is None else environ
    if not uses_xcb(env):
        return None
    missing = missing_libraries(loadable)
    return advice(missing) if missing else None
