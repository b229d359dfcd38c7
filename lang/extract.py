#!/usr/bin/env python3
"""List every @tr("...") msgid of ui/**/*.slint and merge them into the bundled .po files.

Usage: python3 lang/extract.py            # print msgids missing from each .po
       python3 lang/extract.py --merge    # append missing msgids (empty msgstr) to each .po

The test tests/translations_complete.rs fails while any msgid has no translation.
"""
import pathlib, re, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
TR = re.compile(r'@tr\(\s*"((?:[^"\\]|\\.)*)"(?:\s*\|\s*"((?:[^"\\]|\\.)*)"\s*%\s*[^)]*)?')


def msgids():
    out = {}
    for f in sorted((ROOT / "ui").rglob("*.slint")):
        for m in TR.finditer(f.read_text(encoding="utf-8")):
            out.setdefault(m.group(1), m.group(2))
    return out


def known(po_text):
    return set(re.findall(r'^msgid "((?:[^"\\]|\\.)*)"', po_text, re.M))


def main():
    ids = msgids()
    for po in sorted((ROOT / "lang").glob("*/LC_MESSAGES/*.po")):
        text = po.read_text(encoding="utf-8")
        missing = [i for i in ids if i not in known(text)]
        print(f"{po.relative_to(ROOT)}: {len(missing)} missing of {len(ids)}")
        for i in missing:
            print("   ", i)
        if "--merge" in sys.argv and missing:
            with po.open("a", encoding="utf-8") as f:
                for i in missing:
                    plural = ids[i]
                    if plural is None:
                        f.write(f'\nmsgid "{i}"\nmsgstr ""\n')
                    else:
                        f.write(f'\nmsgid "{i}"\nmsgid_plural "{plural}"\nmsgstr[0] ""\n')


if __name__ == "__main__":
    main()
