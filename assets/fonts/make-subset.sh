#!/usr/bin/env bash
# Regenerates assets/fonts/NotoSansSC-Kiosk.otf: the "Noto Sans CJK SC" Regular face of
# Debian's fonts-noto-cjk, subset to what the kiosk shows (see README.md beside this file).
#
#   bash assets/fonts/make-subset.sh          # needs python3; installs what it lacks
#
# It installs fonts-noto-cjk with apt-get (as root) when the TTC is missing and fonttools
# with pip when the pinned version is not importable. The output is byte-for-byte the same
# for the same Debian package version and fonttools version.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chars="$here/../chars/tongyong-8105.txt"
out="$here/NotoSansSC-Kiosk.otf"
ttc=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
face=2 # index of "Noto Sans CJK SC" Regular inside the TTC (checked below)
debian_version='1:20220127+repack1-1'
fonttools_version='4.68.0'

if [ ! -f "$ttc" ]; then
    apt-get update
    apt-get install -y fonts-noto-cjk
fi
have="$(dpkg-query -W -f='${Version}' fonts-noto-cjk 2>/dev/null || echo unknown)"
if [ "$have" != "$debian_version" ]; then
    echo "warning: fonts-noto-cjk is $have, README.md describes $debian_version" >&2
fi

if ! python3 -c "import fontTools, sys; sys.exit(fontTools.version != '$fonttools_version')" 2>/dev/null; then
    python3 -m pip install --quiet "fonttools==$fonttools_version"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Refuse to run if the face index no longer points at the SC Regular face.
python3 - "$ttc" "$face" <<'PY'
import sys
from fontTools.ttLib import TTFont
font = TTFont(sys.argv[1], fontNumber=int(sys.argv[2]), lazy=True)
family, style = font["name"].getDebugName(1), font["name"].getDebugName(2)
if (family, style) != ("Noto Sans CJK SC", "Regular"):
    sys.exit(f"face {sys.argv[2]} is {family!r} {style!r}, not 'Noto Sans CJK SC' 'Regular'")
PY

# The code points to keep, one U+XXXX per line. Ones the font lacks are dropped by pyftsubset.
python3 - "$chars" > "$work/unicodes.txt" <<'PY'
import sys

keep = set()
# 1. The 8,105 characters of the Table of General Standard Chinese Characters (2013).
with open(sys.argv[1], encoding="utf-8") as table:
    keep.update(ord(line.rstrip("\n")) for line in table if line.strip())


def encodable(codec, first_bytes, second_bytes):
    """Every character a double-byte codec decodes from the given byte ranges."""
    found = set()
    for b1 in first_bytes:
        for b2 in second_bytes:
            try:
                found.add(ord(bytes([b1, b2]).decode(codec)))
            except UnicodeDecodeError:
                pass
    return found


def is_han(cp):
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or cp >= 0x20000


# 2. All of GB 2312 (its 6,763 hanzi and its 682 symbols, kana, Greek, Cyrillic, box drawing).
keep |= encodable("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
# 3. GBK's non-hanzi symbols (vertical forms, ㎡ ㎏ ℡ ㈱ and the like).
keep |= {cp for cp in encodable("gbk", range(0x81, 0xFF), range(0x40, 0xFF)) if not is_han(cp)}

ranges = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (· U+00B7, × ÷ ¥ © ®)
    (0x0100, 0x017F),  # Latin Extended-A (the font has only the pinyin ā ē ī ō ū and a few more)
    (0x01CD, 0x01DC),  # pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    (0x01F8, 0x01F9),  # pinyin ǹ
    (0x0251, 0x0251),  # ɑ
    (0x0261, 0x0261),  # ɡ
    (0x02C6, 0x02DD),  # spacing tone marks ˇ ˉ ˊ ˋ ˙
    (0x0300, 0x036F),  # combining diacritics (pinyin ê̄ ê̌)
    (0x1E3E, 0x1E3F),  # pinyin ḿ
    (0x2000, 0x206F),  # general punctuation (— ‘ ’ “ ” … • ‰ ※)
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20A0, 0x20BF),  # currency (€ ₩ ₹)
    (0x2100, 0x214F),  # letterlike (℃ № ™ ℉)
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ ⅰ ½)
    (0x2190, 0x21FF),  # arrows ← → ↑ ↓
    (0x2200, 0x22FF),  # mathematical operators (− ≤ ≥ ≠ ± ∞)
    (0x2300, 0x23FF),  # miscellaneous technical (⌘ ⏎; the font has no ⌫)
    (0x2460, 0x24FF),  # enclosed alphanumerics ① ⑴ ⒈
    (0x2500, 0x259F),  # box drawing and block elements
    (0x25A0, 0x25FF),  # geometric shapes ● ○ ■ □ ▲ ▼ ◆ ◎ ◌
    (0x2600, 0x26FF),  # miscellaneous symbols ★ ☆ ☎ ♀ ♂
    (0x2700, 0x27BF),  # dingbats ✓ ❶ (the font has no ✗ ✔ ✘ ✕)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x30FB, 0x30FC),  # katakana middle dot ・ and prolonged sound mark ー
    (0x3220, 0x3243),  # parenthesized ideographs ㈠ ㈱
    (0x3280, 0x32B0),  # circled ideographs ㊀ ㊣
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE6F),  # CJK compatibility forms and small form variants
    (0xFF00, 0xFFEF),  # halfwidth and fullwidth forms (￥ ，。！？)
]
for first, last in ranges:
    keep.update(range(first, last + 1))

for cp in sorted(keep):
    print(f"U+{cp:04X}")
PY

# Keep layout features a horizontal Simplified Chinese UI uses; drop 'locl' (it would pull in
# the Japanese, Korean and Traditional glyph variants) and the vertical-writing features.
pyftsubset "$ttc" \
    --font-number="$face" \
    --unicodes-file="$work/unicodes.txt" \
    --layout-features='ccmp,mark,mkmk,kern,palt,halt,liga,calt,frac,numr,dnom,sups,subs,pwid,fwid,hwid' \
    --name-IDs='*' \
    --name-languages='*' \
    --name-legacy \
    --notdef-outline \
    --recommended-glyphs \
    --drop-tables+=VORG,vhea,vmtx \
    --output-file="$out"

python3 - "$out" <<'PY'
import os, sys
from fontTools.ttLib import TTFont
font = TTFont(sys.argv[1])
print(f"{sys.argv[1]}: {os.path.getsize(sys.argv[1])} bytes, {font['maxp'].numGlyphs} glyphs, "
      f"{len(font.getBestCmap())} code points, family {font['name'].getDebugName(1)!r}")
PY
