#!/bin/sh
# Install what the PDF needs from the system, where we can: an Arial-metric font
# (Liberation Sans) and HarfBuzz's subsetter, which WeasyPrint uses to embed fonts fast.
need=""
fc-list 2>/dev/null | grep -qi "Liberation Sans" || need="$need fonts-liberation2"
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so" || need="$need libharfbuzz-subset0"
[ -z "$need" ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO=no; fi
    if [ "$SUDO" != no ]; then
        echo "installing for the PDF:$need"
        { $SUDO apt-get install -y -qq $need >/dev/null 2>&1 || { $SUDO apt-get update -qq >/dev/null 2>&1 && $SUDO apt-get install -y -qq $need >/dev/null 2>&1; }; } && exit 0
    fi
fi
echo "WARNING: could not install$need; install them (Debian: apt-get install$need)." >&2
echo "WARNING: without Liberation Sans or Arial the PDF's pagination will differ from the published layout." >&2
exit 0
