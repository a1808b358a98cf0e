#!/usr/bin/env python3
"""Generates src/tokenizer/unicode_tables.cpp from the Unicode Character Database.

The tokenizers need, for every code point: its general category (for the
pre-tokenizer classes \\p{L}, \\p{N}, ...), the White_Space property (\\s),
simple case mappings (lowercasing for WordPiece, case-insensitive regex
groups), the full lowercase mappings that expand to several code points, and
the canonical decompositions with combining classes (NFD, used by WordPiece
to strip accents).

Usage:
    scripts/gen_unicode_tables.py [--ucd DIR] [--output FILE]

DIR defaults to /usr/share/unicode (Debian package unicode-data). Only the
Python standard library is used, so the output is reproducible anywhere the
same UCD version is installed.
"""

import argparse
import os
import re
import sys

# Order of the category enum in src/tokenizer/unicode_tables.h. Cn (unassigned)
# is 0 so that zero-initialised data means "unassigned".
CATEGORIES = [
    "Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No",
    "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So",
    "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co",
]
MAX_CODE_POINT = 0x10FFFF


def read_version(ucd):
    """The UCD version, from the header line of DerivedCoreProperties.txt."""
    with open(os.path.join(ucd, "DerivedCoreProperties.txt"), encoding="utf-8") as f:
        first = f.readline()
    match = re.search(r"-(\d+\.\d+\.\d+)\.txt", first)
    if not match:
        sys.exit("cannot find the Unicode version in DerivedCoreProperties.txt")
    return match.group(1)


def read_unicode_data(ucd):
    """Per code point: category, combining class, decomposition, simple case maps."""
    category = {}
    combining = {}
    decomposition = {}
    lower = {}
    upper = {}
    range_start = None
    with open(os.path.join(ucd, "UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            cp = int(fields[0], 16)
            name, cat, ccc = fields[1], fields[2], int(fields[3])
            if name.endswith(", First>"):
                range_start = cp
                continue
            if name.endswith(", Last>"):
                # Ranges (CJK ideographs, Hangul syllables, private use, ...)
                # share one category and have no per-character mappings.
                for c in range(range_start, cp + 1):
                    category[c] = cat
                range_start = None
                continue
            category[cp] = cat
            if ccc:
                combining[cp] = ccc
            decomp = fields[5]
            if decomp and not decomp.startswith("<"):  # canonical only; <tag> means compatibility
                decomposition[cp] = [int(x, 16) for x in decomp.split()]
            if fields[13]:
                lower[cp] = int(fields[13], 16)
            if fields[12]:
                upper[cp] = int(fields[12], 16)
    return category, combining, decomposition, lower, upper


def read_property_ranges(path, name):
    ranges = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            cps, prop = [x.strip() for x in line.split(";")[:2]]
            if prop != name:
                continue
            if ".." in cps:
                a, b = cps.split("..")
                ranges.append((int(a, 16), int(b, 16)))
            else:
                ranges.append((int(cps, 16), int(cps, 16)))
    return merge_ranges(ranges)


def merge_ranges(ranges):
    merged = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def read_multi_char_lowercase(ucd):
    """Unconditional lowercase mappings to more than one code point (SpecialCasing.txt)."""
    result = {}
    with open(os.path.join(ucd, "SpecialCasing.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            condition = fields[4] if len(fields) > 4 else ""
            if condition:
                continue  # language- or context-dependent: not applied
            lowered = [int(x, 16) for x in fields[1].split()]
            if len(lowered) > 1:
                result[int(fields[0], 16)] = lowered
    return result


def category_runs(category):
    """(start, category index) for each maximal run of equal categories."""
    runs = []
    previous = None
    for cp in range(MAX_CODE_POINT + 1):
        cat = CATEGORIES.index(category.get(cp, "Cn"))
        if cat != previous:
            runs.append((cp, cat))
            previous = cat
    return runs


def case_runs(mapping):
    """Compresses a code point -> code point map into (first, last, delta, stride) runs.

    A run covers first, first+stride, ..., last, each mapping to itself + delta;
    stride 2 captures the alternating upper/lower pairs of Latin Extended and
    Cyrillic. Code points inside a stride-2 run but not on its stride are not
    mapped by it.
    """
    items = sorted(mapping.items())
    runs = []
    i = 0
    while i < len(items):
        cp, target = items[i]
        delta = target - cp
        best = (cp, cp, delta, 1)
        for stride in (1, 2):
            j = i
            while (j + 1 < len(items) and items[j + 1][0] == items[j][0] + stride
                   and items[j + 1][1] - items[j + 1][0] == delta):
                j += 1
            if items[j][0] > best[1]:
                best = (cp, items[j][0], delta, stride)
        runs.append(best)
        while i < len(items) and items[i][0] <= best[1]:
            i += 1
    # Verify the compression reproduces the mapping exactly.
    expanded = {}
    for first, last, delta, stride in runs:
        for c in range(first, last + 1, stride):
            expanded[c] = c + delta
    assert expanded == dict(items), "case run compression is lossy"
    return runs


def full_decomposition(cp, decomposition):
    if cp not in decomposition:
        return [cp]
    result = []
    for part in decomposition[cp]:
        result.extend(full_decomposition(part, decomposition))
    return result


def combining_runs(combining):
    runs = []
    for cp in sorted(combining):
        ccc = combining[cp]
        if runs and runs[-1][1] == cp - 1 and runs[-1][2] == ccc:
            runs[-1] = (runs[-1][0], cp, ccc)
        else:
            runs.append((cp, cp, ccc))
    return runs


def wrap(items, per_line, indent="    "):
    lines = []
    for i in range(0, len(items), per_line):
        lines.append(indent + ", ".join(items[i:i + per_line]) + ",")
    return "\n".join(lines)


def generate(ucd, version):
    category, combining, decomposition, lower, upper = read_unicode_data(ucd)
    white_space = read_property_ranges(os.path.join(ucd, "PropList.txt"), "White_Space")
    multi_lower = read_multi_char_lowercase(ucd)
    runs = category_runs(category)
    lower_runs = case_runs(lower)
    upper_runs = case_runs(upper)
    decompositions = sorted((cp, full_decomposition(cp, decomposition)) for cp in decomposition)
    ccc_runs = combining_runs(combining)

    out = []
    out.append("// Unicode property tables for the tokenizers. GENERATED FILE: do not edit.")
    out.append("//")
    out.append("// Generated by scripts/gen_unicode_tables.py from the Unicode Character")
    out.append(f"// Database {version} (UnicodeData.txt, PropList.txt, SpecialCasing.txt; Debian")
    out.append("// package unicode-data). Regenerate with:")
    out.append("//     python3 scripts/gen_unicode_tables.py --output src/tokenizer/unicode_tables.cpp")
    out.append("// The layouts are declared in src/tokenizer/unicode_tables.h.")
    out.append('#include "tokenizer/unicode_tables.h"')
    out.append("")
    out.append("namespace lq::unicode_data {")
    out.append("")
    out.append(f'const char kUnicodeVersion[] = "{version}";')
    out.append("")
    out.append("const char *const kCategoryNames[kCategoryCount] = {")
    out.append(wrap([f'"{c}"' for c in CATEGORIES], 15))
    out.append("};")
    out.append("")
    out.append("// (start << 5) | category: every code point from start up to the next")
    out.append("// entry's start has this general category.")
    out.append(f"const uint32_t kCategoryRuns[{len(runs)}] = {{")
    out.append(wrap([f"0x{(start << 5) | cat:08X}" for start, cat in runs], 8))
    out.append("};")
    out.append(f"const size_t kCategoryRunCount = {len(runs)};")
    out.append("")
    out.append("// Code points with the White_Space property (what \\s matches).")
    out.append(f"const CodePointRange kWhiteSpace[{len(white_space)}] = {{")
    out.append(wrap([f"{{0x{a:04X}, 0x{b:04X}}}" for a, b in white_space], 4))
    out.append("};")
    out.append(f"const size_t kWhiteSpaceCount = {len(white_space)};")
    out.append("")
    for label, table in (("Lowercase", lower_runs), ("Uppercase", upper_runs)):
        out.append(f"// Simple {label.lower()} mappings (UnicodeData.txt) as runs.")
        out.append(f"const CaseRun k{label}Runs[{len(table)}] = {{")
        out.append(wrap([f"{{0x{a:04X}, 0x{b:04X}, {d}, {s}}}" for a, b, d, s in table], 4))
        out.append("};")
        out.append(f"const size_t k{label}RunCount = {len(table)};")
        out.append("")
    out.append("// Unconditional lowercase mappings to several code points (SpecialCasing.txt).")
    entries = []
    for cp, seq in sorted(multi_lower.items()):
        padded = seq + [0] * (3 - len(seq))
        entries.append(f"{{0x{cp:04X}, {len(seq)}, {{{', '.join(f'0x{x:04X}' for x in padded)}}}}}")
    out.append(f"const MultiLowercase kMultiLowercase[{len(entries)}] = {{")
    out.append(wrap(entries, 2))
    out.append("};")
    out.append(f"const size_t kMultiLowercaseCount = {len(entries)};")
    out.append("")
    data = []
    index = []
    for cp, seq in decompositions:
        index.append(f"{{0x{cp:04X}, {len(data)}, {len(seq)}}}")
        data.extend(seq)
    out.append("// Full canonical decompositions (applied recursively already), without the")
    out.append("// Hangul syllables, which decompose algorithmically. Each entry names its")
    out.append("// code points in kDecompositionData.")
    out.append(f"const Decomposition kDecompositions[{len(index)}] = {{")
    out.append(wrap(index, 4))
    out.append("};")
    out.append(f"const size_t kDecompositionCount = {len(index)};")
    out.append(f"const uint32_t kDecompositionData[{len(data)}] = {{")
    out.append(wrap([f"0x{x:04X}" for x in data], 10))
    out.append("};")
    out.append("")
    out.append("// Non-zero canonical combining classes, as runs.")
    out.append(f"const CombiningClassRun kCombiningClasses[{len(ccc_runs)}] = {{")
    out.append(wrap([f"{{0x{a:04X}, 0x{b:04X}, {c}}}" for a, b, c in ccc_runs], 4))
    out.append("};")
    out.append(f"const size_t kCombiningClassCount = {len(ccc_runs)};")
    out.append("")
    out.append("}  // namespace lq::unicode_data")
    out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ucd", default="/usr/share/unicode", help="folder holding the UCD text files")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--output", default=os.path.join(here, "..", "src", "tokenizer", "unicode_tables.cpp"))
    args = parser.parse_args()
    version = read_version(args.ucd)
    text = generate(args.ucd, version)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.output} (Unicode {version})")


if __name__ == "__main__":
    main()
