#!/usr/bin/env bash
# Builds the ProcessPrng stand-in (see processprng.c) into the folder given, or prints
# nothing and exits 0 when it is already there and newer than its source.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh OUTPUT_FOLDER}"
dll="$out/bcryptprimitives.dll"
mkdir -p "$out"
if [ "$dll" -nt "$here/processprng.c" ] && [ "$dll" -nt "$here/bcryptprimitives.def" ]; then
  exit 0
fi
x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -shared -s \
  -o "$dll" "$here/processprng.c" "$here/bcryptprimitives.def"
