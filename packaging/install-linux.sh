#!/bin/sh
# Install Course Schedule Editor into your desktop's menu (no root needed).
#
#   packaging/install-linux.sh                     menu entry, icons, AppStream data
#   packaging/install-linux.sh --app dist/scheduler-gui
#                                                  ... and the built one-folder app
#   packaging/install-linux.sh --uninstall         remove what this script installed
#   --prefix DIR                                   install under DIR (default ~/.local)
#
# Without --app, the menu entry starts the `scheduler-gui` found on PATH (pip install).
set -eu

APP_ID=io.github.coursescheduleeditor.CourseScheduleEditor
HERE=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=${HOME}/.local
APP_DIR=
UNINSTALL=0

while [ $# -gt 0 ]; do
  case $1 in
    --prefix) PREFIX=$2; shift 2 ;;
    --app) APP_DIR=$(cd "$2" && pwd); shift 2 ;;
    --uninstall) UNINSTALL=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-linux.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

SHARE=$PREFIX/share
OPT=$PREFIX/opt/scheduler-gui
BIN=$PREFIX/bin
SIZES="16 24 32 48 64 128 256 512"

refresh_caches() {
  # Menus and icon themes pick the change up without a new login where these exist.
  command -v update-desktop-database >/dev/null 2>&1 \
    && update-desktop-database -q "$SHARE/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 \
    && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" 2>/dev/null || true
}

if [ "$UNINSTALL" = 1 ]; then
  rm -f "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml" \
        "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
  for size in $SIZES; do rm -f "$SHARE/icons/hicolor/${size}x${size}/apps/$APP_ID.png"; done
  for program in scheduler-gui schedctl; do
    # Only our own links: a pip-installed program of the same name stays.
    if [ -L "$BIN/$program" ] && [ "$(readlink "$BIN/$program")" = "$OPT/$program" ]; then
      rm -f "$BIN/$program"
    fi
  done
  rm -rf "$OPT"
  refresh_caches
  echo "Removed Course Schedule Editor from $PREFIX."
  exit 0
fi

if [ -n "$APP_DIR" ]; then
  [ -x "$APP_DIR/scheduler-gui" ] || {
    echo "install-linux.sh: $APP_DIR/scheduler-gui not found; build it with 'python3 dev.py package'" >&2
    exit 2
  }
  rm -rf "$OPT"
  mkdir -p "$PREFIX/opt" "$BIN"
  cp -a "$APP_DIR" "$OPT"
  ln -sf "$OPT/scheduler-gui" "$BIN/scheduler-gui"
  ln -sf "$OPT/schedctl" "$BIN/schedctl"
  EXEC=$OPT/scheduler-gui
else
  EXEC=$(command -v scheduler-gui || echo scheduler-gui)
fi

mkdir -p "$SHARE/applications" "$SHARE/metainfo" "$SHARE/icons/hicolor/scalable/apps"
# An absolute Exec: desktop sessions often do not have ~/.local/bin on PATH.
sed "s|^Exec=scheduler-gui|Exec=$EXEC|" "$HERE/resources/$APP_ID.desktop" \
  > "$SHARE/applications/$APP_ID.desktop"
cp "$HERE/resources/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
cp "$HERE/resources/icons/$APP_ID.svg" "$SHARE/icons/hicolor/scalable/apps/"
for size in $SIZES; do
  mkdir -p "$SHARE/icons/hicolor/${size}x${size}/apps"
  cp "$HERE/resources/icons/hicolor/${size}x${size}/apps/$APP_ID.png" \
     "$SHARE/icons/hicolor/${size}x${size}/apps/"
done
refresh_caches
echo "Installed Course Schedule Editor into $PREFIX (menu entry starts $EXEC)."
