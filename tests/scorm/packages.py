"""Small, standard-conformant SCORM packages built in code (nothing is downloaded), and one
malicious or broken archive per rejection rule.

Good packages (each returns the zip's bytes; `*_files` variants return {archive path: bytes}
so a test can break one file):

- `scorm12_package(title=..., score=80, mastery_score=80, auto_finish=False)`: SCORM 1.2, one SCO
  (`index.html`) with `adlcp:masteryscore`.
- `scorm2004_package(edition=3|4, title=..., score=80, scaled_passing_score=0.7,
  completion_threshold=0.8, auto_finish=False)`: SCORM 2004 3rd or 4th edition, one SCO
  (`sco/index.html`) with a primary objective satisfied by measure (`scaledPassingScore`) and a
  `completionThreshold` (3rd: element text; 4th: `minProgressMeasure`). Pass None to leave either out.
- `multi_sco_package(version="2004-4"|"2004-3"|"1.2", scores=(90, 70, 50), auto_finish=False)`:
  three SCOs in manifest order (`sco1`..`sco3`, each `scoN/index.html`) under two levels of
  items; in 2004 the third ("Phụ lục", `ITEM-3`) is NOT required (rollupObjectiveSatisfied and
  rollupProgressCompletion false), so the package needs the "required" completion rule. SCORM 1.2
  has no such marking: all three count.
- `large_package(path, media_mb=100)`: writes a SCORM 1.2 package to `path` with `media_mb` MB
  of incompressible video streamed in 1 MB pieces (for the memory measurement).

The SCO page (`sco_page`) finds the API by ADL's standard algorithm (walk `window.parent` up to
500 levels, then `window.opener`; `API` for 1.2, `API_1484_11` for 2004), calls
Initialize/LMSInitialize and shows, for tests:
- `#api` "found" / "missing"; `#resume` the restored location and suspend data
  ("location=<l>;suspend=<s>", empty values when none); `#status` what it last did
  ("initialized", "saved", "finished", or "error <code>").
- button `#save` (text "Lưu tiến độ"): sets location `page-2`, suspend data `{"page":2}`,
  exit `suspend`, Commit.
- button `#finish` (text "Hoàn thành"): sets score raw/min/max (and scaled in 2004), one
  interaction `q1` (choice, correct) and one objective `obj1`, status (1.2: passed/failed against
  the mastery score, else completed; 2004: completion completed + success passed/failed against
  the scaled passing score, else unknown), session time 90 s, exit normal, Commit, Terminate.
With `auto_finish=True` the page finishes at once on load (multi-SCO walks).

MALICIOUS: case name -> builder of an archive that must be refused; `expected_code(case)` is the
stable code. `expected_path(case)` is the archive member or href the message must name, if any.
"""

from __future__ import annotations

import io
import json
import os
import warnings
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

Files = dict[str, bytes]

NS_CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_ADLCP13 = "http://www.adlnet.org/xsd/adlcp_v1p3"
NS_ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
NS_ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
NS_IMSSS = "http://www.imsglobal.org/xsd/imsss"
NS_MD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- the SCO page ------------------------------------------------------------------------------

_SCRIPT = r"""
var VERSION = "%(version)s", SCORE = %(score)s, MASTERY = %(mastery)s, PASSING = %(passing)s;
var AUTO_FINISH = %(auto)s;
function scanForAPI(win, name) {
  var tries = 0;
  try {
    while (win[name] == null && win.parent != null && win.parent != win) {
      tries++;
      if (tries > 500) { return null; }
      win = win.parent;
    }
    return win[name];
  } catch (e) { return null; }
}
function getAPI() {
  var name = VERSION === "1.2" ? "API" : "API_1484_11";
  var api = scanForAPI(window, name);
  if (api == null && window.opener != null && typeof window.opener != "undefined") {
    api = scanForAPI(window.opener, name);
  }
  return api;
}
var api = getAPI();
function show(id, text) { document.getElementById(id).textContent = text; }
function call(name12, name2004) {
  var args = Array.prototype.slice.call(arguments, 2);
  var fn = api[VERSION === "1.2" ? name12 : name2004];
  return fn.apply(api, args);
}
function get(k12, k2004) { return call("LMSGetValue", "GetValue", VERSION === "1.2" ? k12 : k2004); }
function set(k12, k2004, value) {
  var ok = call("LMSSetValue", "SetValue", VERSION === "1.2" ? k12 : k2004, value);
  if (String(ok) !== "true") { show("status", "error " + call("LMSGetLastError", "GetLastError")); }
  return ok;
}
function commit() { return call("LMSCommit", "Commit", ""); }
function save() {
  set("cmi.core.lesson_location", "cmi.location", "page-2");
  set("cmi.suspend_data", "cmi.suspend_data", '{"page":2}');
  set("cmi.core.exit", "cmi.exit", "suspend");
  commit();
  show("status", "saved");
}
function finish() {
  set("cmi.core.score.raw", "cmi.score.raw", String(SCORE));
  set("cmi.core.score.min", "cmi.score.min", "0");
  set("cmi.core.score.max", "cmi.score.max", "100");
  if (VERSION !== "1.2") { set("", "cmi.score.scaled", String(SCORE / 100)); }
  set("cmi.interactions.0.id", "cmi.interactions.0.id", "q1");
  set("cmi.interactions.0.type", "cmi.interactions.0.type", "choice");
  set("cmi.interactions.0.student_response", "cmi.interactions.0.learner_response", "a");
  set("cmi.interactions.0.result", "cmi.interactions.0.result", "correct");
  set("cmi.objectives.0.id", "cmi.objectives.0.id", "obj1");
  set("cmi.objectives.0.score.raw", "cmi.objectives.0.score.raw", String(SCORE));
  if (VERSION === "1.2") {
    var status = MASTERY == null ? "completed" : (SCORE >= MASTERY ? "passed" : "failed");
    set("cmi.core.lesson_status", "", status);
    set("cmi.core.session_time", "", "0000:01:30.00");
    set("cmi.core.exit", "", "");
  } else {
    set("", "cmi.completion_status", "completed");
    set("", "cmi.progress_measure", "1");
    var success = PASSING == null ? "unknown" : (SCORE / 100 >= PASSING ? "passed" : "failed");
    set("", "cmi.success_status", success);
    set("", "cmi.session_time", "PT1M30S");
    set("", "cmi.exit", "normal");
  }
  commit();
  call("LMSFinish", "Terminate", "");
  show("status", "finished");
}
window.onload = function () {
  if (api == null) { show("api", "missing"); return; }
  show("api", "found");
  call("LMSInitialize", "Initialize", "");
  if (VERSION === "1.2" && get("cmi.core.lesson_status", "") === "not attempted") {
    set("cmi.core.lesson_status", "", "incomplete");
  }
  if (VERSION !== "1.2" && get("", "cmi.completion_status") === "unknown") {
    set("", "cmi.completion_status", "incomplete");
  }
  show("resume", "location=" + get("cmi.core.lesson_location", "cmi.location") +
       ";suspend=" + get("cmi.suspend_data", "cmi.suspend_data"));
  show("status", "initialized");
  document.getElementById("save").onclick = save;
  document.getElementById("finish").onclick = finish;
  if (AUTO_FINISH) { finish(); }
};
"""


def sco_page(*, version: str, title: str, score: int = 80, mastery_score: int | None = None,
             scaled_passing_score: float | None = None, auto_finish: bool = False,
             css: str = "style.css") -> bytes:
    """The HTML of one SCO (see the module docstring for what it does and shows)."""
    script = _SCRIPT % {
        "version": "1.2" if version == "1.2" else "2004", "score": int(score),
        "mastery": "null" if mastery_score is None else int(mastery_score),
        "passing": "null" if scaled_passing_score is None else float(scaled_passing_score),
        "auto": "true" if auto_finish else "false",
    }
    return (f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{_esc(title)}</title>
<link rel="stylesheet" href="{_esc(css)}"></head>
<body><h1>{_esc(title)}</h1>
<p>API: <span id="api">…</span></p>
<p>Tiếp tục: <span id="resume"></span></p>
<p>Trạng thái: <span id="status"></span></p>
<button id="save" type="button">Lưu tiến độ</button>
<button id="finish" type="button">Hoàn thành</button>
<script>{script}</script>
</body></html>
""").encode()


# --- manifests ------------------------------------------------------------------------------

def manifest_12(*, identifier: str, title: str, items: str, resources: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{_esc(identifier)}" version="1.0"
    xmlns="{NS_CP12}" xmlns:adlcp="{NS_ADLCP12}" xmlns:xsi="{NS_XSI}"
    xsi:schemaLocation="{NS_CP12} imscp_rootv1p1p2.xsd {NS_MD12} imsmd_rootv1p2p1.xsd
                        {NS_ADLCP12} adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>{_esc(title)}</title>
{items}
    </organization>
  </organizations>
  <resources>
{resources}
  </resources>
</manifest>
""".encode()


def manifest_2004(*, edition: int, identifier: str, title: str, items: str, resources: str,
                  org_sequencing: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{_esc(identifier)}" version="1"
    xmlns="{NS_CP}" xmlns:adlcp="{NS_ADLCP13}" xmlns:adlseq="{NS_ADLSEQ}" xmlns:adlnav="{NS_ADLNAV}"
    xmlns:imsss="{NS_IMSSS}" xmlns:xsi="{NS_XSI}"
    xsi:schemaLocation="{NS_CP} imscp_v1p1.xsd {NS_ADLCP13} adlcp_v1p3.xsd {NS_ADLSEQ} adlseq_v1p3.xsd
                        {NS_ADLNAV} adlnav_v1p3.xsd {NS_IMSSS} imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 {'3rd' if edition == 3 else '4th'} Edition</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1" adlseq:objectivesGlobalToSystem="false">
      <title>{_esc(title)}</title>
{items}
{org_sequencing}
    </organization>
  </organizations>
  <resources>
{resources}
  </resources>
</manifest>
""".encode()


def _resource_12(identifier: str, href: str, extra: Iterable[str] = ()) -> str:
    files = "".join(f'\n      <file href="{_esc(f)}"/>' for f in (href, *extra))
    return (f'    <resource identifier="{identifier}" type="webcontent" adlcp:scormtype="sco" '
            f'href="{_esc(href)}">{files}\n    </resource>')


def _resource_2004(identifier: str, href: str, extra: Iterable[str] = ()) -> str:
    files = "".join(f'\n      <file href="{_esc(f)}"/>' for f in (href, *extra))
    return (f'    <resource identifier="{identifier}" type="webcontent" adlcp:scormType="sco" '
            f'href="{_esc(href)}">{files}\n      <dependency identifierref="SHARED"/>\n    </resource>')


_SHARED_2004 = ('    <resource identifier="SHARED" type="webcontent" adlcp:scormType="asset">\n'
                '      <file href="style.css"/>\n    </resource>')
STYLE = b"body { font-family: sans-serif; margin: 2rem; }\n"


def _completion_threshold(edition: int, value: float | None) -> str:
    if value is None:
        return ""
    if edition == 3:
        return f"        <adlcp:completionThreshold>{value}</adlcp:completionThreshold>\n"
    return (f'        <adlcp:completionThreshold completedByMeasure="true" '
            f'minProgressMeasure="{value}"/>\n')


def _sequencing(scaled_passing_score: float | None, *, required: bool = True) -> str:
    parts = []
    if scaled_passing_score is not None:
        parts.append(f"""          <imsss:objectives>
            <imsss:primaryObjective objectiveID="PRIMARYOBJ" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{scaled_passing_score}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>""")
    if not required:
        parts.append('          <imsss:rollupRules rollupObjectiveSatisfied="false" '
                     'rollupProgressCompletion="false" objectiveMeasureWeight="0"/>')
    if not parts:
        return ""
    return "        <imsss:sequencing>\n" + "\n".join(parts) + "\n        </imsss:sequencing>\n"


# --- good packages -----------------------------------------------------------------------------

def scorm12_files(*, title: str = "An toàn thông tin cơ bản", score: int = 80,
                  mastery_score: int | None = 80, auto_finish: bool = False) -> Files:
    mastery = ("" if mastery_score is None
               else f"        <adlcp:masteryscore>{mastery_score}</adlcp:masteryscore>\n")
    items = (f'      <item identifier="ITEM-1" identifierref="RES-1" isvisible="true">\n'
             f"        <title>{_esc(title)}</title>\n{mastery}      </item>")
    return {
        "imsmanifest.xml": manifest_12(identifier="vn.gov.ttdn.scorm12", title=title, items=items,
                                       resources=_resource_12("RES-1", "index.html", ["style.css"])),
        "index.html": sco_page(version="1.2", title=title, score=score, mastery_score=mastery_score,
                               auto_finish=auto_finish),
        "style.css": STYLE,
    }


def scorm12_package(**kwargs: Any) -> bytes:
    """SCORM 1.2, one SCO `index.html` (see the module docstring)."""
    return to_zip(scorm12_files(**kwargs))


def scorm2004_files(*, edition: int = 4, title: str = "Cải cách hành chính", score: int = 80,
                    scaled_passing_score: float | None = 0.7, completion_threshold: float | None = 0.8,
                    auto_finish: bool = False) -> Files:
    items = (f'      <item identifier="ITEM-1" identifierref="RES-1">\n'
             f"        <title>{_esc(title)}</title>\n"
             f"{_completion_threshold(edition, completion_threshold)}"
             f"{_sequencing(scaled_passing_score)}      </item>")
    org_seq = ('      <imsss:sequencing>\n        <imsss:controlMode choice="true" flow="true"/>\n'
               '      </imsss:sequencing>')
    return {
        "imsmanifest.xml": manifest_2004(
            edition=edition, identifier=f"vn.gov.ttdn.scorm2004.{edition}", title=title, items=items,
            resources=_resource_2004("RES-1", "sco/index.html") + "\n" + _SHARED_2004,
            org_sequencing=org_seq),
        "sco/index.html": sco_page(version="2004", title=title, score=score,
                                   scaled_passing_score=scaled_passing_score, auto_finish=auto_finish,
                                   css="../style.css"),
        "style.css": STYLE,
    }


def scorm2004_package(**kwargs: Any) -> bytes:
    """SCORM 2004 3rd/4th edition, one SCO `sco/index.html` (see the module docstring)."""
    return to_zip(scorm2004_files(**kwargs))


MULTI_TITLES = ("Bài 1: Giới thiệu", "Bài 2: Thực hành", "Phụ lục")


def multi_sco_files(*, version: str = "2004-4", scores: tuple[int, int, int] = (90, 70, 50),
                    auto_finish: bool = False) -> Files:
    files: Files = {"style.css": STYLE}
    is_12 = version == "1.2"
    edition = 3 if version == "2004-3" else 4
    item_xml, resources = [], []
    for n, (title, score) in enumerate(zip(MULTI_TITLES, scores, strict=True), start=1):
        href = f"sco{n}/index.html"
        files[href] = sco_page(version=version, title=title, score=score,
                               mastery_score=60 if is_12 else None,
                               scaled_passing_score=None if is_12 else 0.6, auto_finish=auto_finish,
                               css="../style.css")
        if is_12:
            body = "          <adlcp:masteryscore>60</adlcp:masteryscore>\n"
            resources.append(_resource_12(f"RES-{n}", href))
        else:
            body = _sequencing(0.6, required=n != 3).replace("\n        ", "\n          ")
            body = ("  " + body) if body else ""
            resources.append(_resource_2004(f"RES-{n}", href))
        item_xml.append(f'        <item identifier="ITEM-{n}" identifierref="RES-{n}">\n'
                        f"          <title>{_esc(title)}</title>\n{body}        </item>")
    title = "Khóa học nhiều phần"
    items = ('      <item identifier="MODULE-1">\n        <title>Học phần chính</title>\n'
             + "\n".join(item_xml[:2]) + "\n      </item>\n" + item_xml[2][2:].replace("\n  ", "\n"))
    if is_12:
        manifest = manifest_12(identifier="vn.gov.ttdn.multi12", title=title, items=items,
                               resources="\n".join(resources))
    else:
        resources.append(_SHARED_2004)
        manifest = manifest_2004(
            edition=edition, identifier=f"vn.gov.ttdn.multi{edition}", title=title, items=items,
            resources="\n".join(resources),
            org_sequencing=('      <imsss:sequencing>\n        <imsss:controlMode choice="true" '
                            'flow="true"/>\n      </imsss:sequencing>'))
    files["imsmanifest.xml"] = manifest
    return files


def multi_sco_package(**kwargs: Any) -> bytes:
    """Three SCOs, the third not required in 2004 (see the module docstring)."""
    return to_zip(multi_sco_files(**kwargs))


def to_zip(files: Files | Iterable[tuple[str | zipfile.ZipInfo, bytes]],
           *, streamed: dict[str, Callable[[Any], None]] | None = None,
           compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Zip entries in order. `streamed` members are written chunk by chunk by a callback."""
    buffer = io.BytesIO()
    write_zip(buffer, files, streamed=streamed, compression=compression)
    return buffer.getvalue()


def write_zip(target: Any, files: Files | Iterable[tuple[str | zipfile.ZipInfo, bytes]],
              *, streamed: dict[str, Callable[[Any], None]] | None = None,
              compression: int = zipfile.ZIP_DEFLATED) -> None:
    items = files.items() if isinstance(files, dict) else files
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are wanted in one test
        with zipfile.ZipFile(target, "w", compression) as archive:
            for name, data in items:
                archive.writestr(name, data)
            for name, write in (streamed or {}).items():
                with archive.open(name, "w", force_zip64=True) as member:
                    write(member)


def large_package(path: os.PathLike[str] | str, *, media_mb: int = 100) -> None:
    """A SCORM 1.2 package on disk with `media_mb` MB of incompressible video in 1 MB files,
    streamed (never all in memory), plus a few hundred small pages and scripts."""
    files = scorm12_files(title="Gói lớn")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for i in range(300):
            archive.writestr(f"html5/data/js/slide{i:03d}.js", f"window.slide{i} = {{n: {i}}};\n" * 50)
        for index in range(media_mb):
            with archive.open(f"html5/data/video/part{index:04d}.mp4", "w") as member:
                member.write(os.urandom(1024 * 1024))


# --- malicious and broken archives --------------------------------------------------------------

def _zeros(total: int) -> Callable[[Any], None]:
    def write(member: Any) -> None:
        chunk = b"\0" * (1024 * 1024)
        left = total
        while left > 0:
            member.write(chunk[:left])
            left -= len(chunk)
    return write


def _info(name: str, mode: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    if mode is not None:
        info.create_system = 3  # Unix
        info.external_attr = mode << 16
    return info


def _good() -> Files:
    return scorm12_files()


def _manifest(data: bytes) -> Files:
    return {**_good(), "imsmanifest.xml": data}


def _href(href: str) -> Files:
    files = _good()
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace(b'href="index.html"',
                                                                f'href="{_esc(href)}"'.encode())
    return files


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<manifest identifier="x" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2">
<organizations default="o"><organization identifier="o"><title>&xxe;</title></organization></organizations>
<resources/></manifest>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<manifest identifier="x"><organizations><organization identifier="o"><title>&lol9;</title>
</organization></organizations><resources/></manifest>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE manifest SYSTEM "http://attacker.example/evil.dtd">
<manifest identifier="x"><organizations/><resources/></manifest>"""

# case -> builder of an archive that must be refused with expected_code(case).
MALICIOUS: dict[str, Callable[[], bytes]] = {
    "not_zip": lambda: b"This is not a zip file at all, just text." * 10,
    "not_zip_truncated": lambda: scorm12_package()[:-30],
    "not_zip_empty_file": lambda: b"",
    "missing_manifest_empty_zip": lambda: to_zip({}),
    "missing_manifest": lambda: to_zip({k: v for k, v in _good().items() if k != "imsmanifest.xml"}),
    "missing_manifest_in_folder": lambda: to_zip({f"course/{k}": v for k, v in _good().items()}),
    "unsafe_manifest_xxe": lambda: to_zip(_manifest(XXE)),
    "unsafe_manifest_billion_laughs": lambda: to_zip(_manifest(BILLION_LAUGHS)),
    "unsafe_manifest_external_dtd": lambda: to_zip(_manifest(EXTERNAL_DTD)),
    "invalid_manifest": lambda: to_zip(_manifest(b"<manifest><organizations>")),
    "invalid_manifest_not_ims": lambda: to_zip(_manifest(b"<html><body>hi</body></html>")),
    "no_launchable_item": lambda: to_zip(_manifest(_good()["imsmanifest.xml"].replace(
        b'identifierref="RES-1"', b""))),
    "path_traversal": lambda: to_zip([*_good().items(), ("media/../../evil.html", b"x")]),
    "path_traversal_top": lambda: to_zip([*_good().items(), ("../evil.html", b"x")]),
    "absolute_path": lambda: to_zip([*_good().items(), ("/etc/passwd.txt", b"root")]),
    "absolute_path_windows": lambda: to_zip([*_good().items(), ("C:/evil.txt", b"x")]),
    "symlink": lambda: to_zip([*_good().items(), (_info("media/link.js", 0o120777), b"/etc/passwd")]),
    "duplicate_entry": lambda: to_zip([*_good().items(), ("index.html", b"<p>again</p>")]),
    "duplicate_entry_case": lambda: to_zip([*_good().items(), ("Index.HTML", b"<p>again</p>")]),
    "compression_ratio": lambda: to_zip(_good(), streamed={"media/bomb.txt": _zeros(20 * 1024 * 1024)}),
    "compression_ratio_total": lambda: to_zip(
        [*_good().items(), *((f"media/pad{i}.txt", b"\0" * 200_000) for i in range(30))]),
    "file_type_php": lambda: to_zip({**_good(), "shell.php": b"<?php system($_GET['c']);"}),
    "file_type_exe": lambda: to_zip({**_good(), "setup.exe": b"MZ"}),
    "file_type_no_extension": lambda: to_zip({**_good(), "Makefile": b"all:"}),
    "missing_launch_file": lambda: to_zip({k: v for k, v in _good().items() if k != "index.html"}),
    "href_outside_package": lambda: to_zip(_href("../index.html")),
    "href_outside_package_absolute": lambda: to_zip(_href("/etc/index.html")),
    "external_href": lambda: to_zip(_href("https://attacker.example/sco.html")),
    "external_href_protocol_relative": lambda: to_zip(_href("//attacker.example/sco.html")),
    "external_href_javascript": lambda: to_zip(_href("javascript:alert(1)")),
}

# Needs small limits to trigger without building a huge archive (see the tests).
TOO_MANY_FILES = lambda n: to_zip({**_good(), **{f"media/f{i}.txt": b"x" for i in range(n)}})  # noqa: E731

_PATHS = {
    "path_traversal": "media/../../evil.html", "path_traversal_top": "../evil.html",
    "absolute_path": "/etc/passwd.txt", "absolute_path_windows": "C:/evil.txt", "symlink": "media/link.js",
    "duplicate_entry": "index.html", "duplicate_entry_case": "Index.HTML",
    "compression_ratio": "media/bomb.txt",
    "file_type_php": "shell.php", "file_type_exe": "setup.exe", "file_type_no_extension": "Makefile",
    "missing_launch_file": "index.html", "href_outside_package": "../index.html",
    "href_outside_package_absolute": "/etc/index.html", "external_href": "https://attacker.example/sco.html",
    "external_href_protocol_relative": "//attacker.example/sco.html",
    "external_href_javascript": "javascript:alert(1)", "missing_manifest": "imsmanifest.xml",
    "missing_manifest_in_folder": "course/imsmanifest.xml",
}

_CODES = ("not_zip", "missing_manifest", "unsafe_manifest", "invalid_manifest", "no_launchable_item",
          "path_traversal", "absolute_path", "symlink", "duplicate_entry", "compression_ratio",
          "file_type", "missing_launch_file", "href_outside_package", "external_href")


def expected_code(case: str) -> str:
    """The stable error code a MALICIOUS case must produce."""
    for code in _CODES:
        if case == code or case.startswith(code + "_"):
            return code
    raise KeyError(case)


def expected_path(case: str) -> str | None:
    """What the refusal's message must name (a member or an href), if anything."""
    return _PATHS.get(case)


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
