#!/bin/sh
# Install what assemble needs from the system, where we can (Debian and Ubuntu, as root or with sudo).
#
#   tools/system-deps.sh          what the outputs need (`make`): an Arial-metric font (Liberation Sans),
#                                 HarfBuzz's subsetter (WeasyPrint embeds fonts fast with it) and a
#                                 fallback font for what Liberation Sans cannot draw (Chinese, Japanese,
#                                 Korean). Where it cannot install them it says so loudly and goes on.
#   tools/system-deps.sh --test   also what the tests need (`make test`): LibreOffice Writer (the Word
#                                 output's pagination) and Calc (returns re-saved as a contributor may), Chromium and its WebDriver (the HTML edition under
#                                 axe-core), Node.js with npm (to install axe-core), fontconfig's tools.
#                                 Where it cannot install them it fails: no test skips for want of a tool.
build="fonts-liberation2 libharfbuzz-subset0 fonts-droid-fallback"
test="libreoffice-writer-nogui libreoffice-calc-nogui chromium chromium-driver fontconfig"

mode=build
[ "$1" = "--test" ] && mode=test

missing() {  # the packages of $1 that are not installed
    for pkg in $1; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || printf ' %s' "$pkg"
    done
}

need="$(missing "$build")"
if [ "$mode" = test ]; then
    need="$need$(missing "$test")"
    # Node.js may come from elsewhere (NodeSource's package carries npm): only ask Debian when there is none.
    command -v npm >/dev/null 2>&1 || need="$need nodejs npm"
fi
[ -z "$need" ] && exit 0

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO=no; fi
    if [ "$SUDO" != no ]; then
        echo "installing system packages:$need"
        # shellcheck disable=SC2086  # $need is a list of names
        if $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null 2>&1 ||
           { $SUDO apt-get update -qq >/dev/null 2>&1 &&
             $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null 2>&1; }; then
            exit 0
        fi
    fi
fi
if [ "$mode" = test ]; then
    echo "ERROR: could not install$need, which the tests need (Debian: apt-get install$need)." >&2
    exit 1
fi
echo "WARNING: could not install$need; install them (Debian: apt-get install$need)." >&2
echo "WARNING: without Liberation Sans or Arial the PDF's pagination will differ from the published layout." >&2
exit 0
