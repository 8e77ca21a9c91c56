"""Read a SCORM package's `imsmanifest.xml` (pure: bytes in, frozen dataclasses out, no ORM,
no files).

Safety: parsed with defusedxml, which refuses any DTD, entity declaration or external reference
(XXE, billion laughs, external DTDs): no SCORM schema needs one. Every href is resolved against
the `xml:base` of the manifest, the `<resources>` element and the resource, and must stay inside
the package: an absolute path or a `..` above the root is `href_outside_package`, a URL with a
scheme or a host (`https://`, `//host`, `javascript:`) is `external_href`.

Tolerance: authoring tools write the same model with different namespace prefixes, namespace
versions, case (`scormtype`/`scormType`) and with or without `<schemaversion>`; elements are
matched on their local names, and the version is taken from `<schemaversion>` or, when it is
missing or unknown, inferred from the namespaces used (adlcp_rootv1p2: 1.2; adlcp_v1p3 / imsss /
adlseq: 2004, 4th edition when a 4th-only construct appears, else 3rd).

What is read, per item of the default organisation (the `default` attribute, else the first),
flattened in manifest order: identifier, title, depth, whether its resource is a SCO, the launch
href (resource href plus the item's `parameters`, joined by the IMS rules), 1.2 `masteryscore`,
2004 `scaledPassingScore` (primary objective satisfied by measure: `minNormalizedMeasure`),
`completionThreshold` (3rd: text; 4th: `minProgressMeasure`), `dataFromLMS`, the time limit and
its action, and whether the item counts for completion (not when its rollup neither takes its
objective nor its completion, or it is not tracked). Sequencing collections (`IDRef`) are
followed for those values. Other 2004 sequencing is not interpreted (docs/scorm.md).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from . import errors as e
from .errors import ScormPackageError

MANIFEST = "imsmanifest.xml"
MAX_MANIFEST_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 50
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

V12, V2004_3, V2004_4 = "1.2", "2004-3", "2004-4"
NS_ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_CP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_2004 = ("http://www.adlnet.org/xsd/adlcp_v1p3", "http://www.imsglobal.org/xsd/imsss",
           "http://www.adlnet.org/xsd/adlseq_v1p3", "http://www.adlnet.org/xsd/adlnav_v1p3",
           "http://www.imsglobal.org/xsd/imscp_v1p1")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class ManifestWarning:
    code: str
    message: str
    path: str | None = None

    def as_json(self) -> dict:
        return {"code": self.code, "message": self.message, "path": self.path}


@dataclass(frozen=True)
class Item:
    """One item of the organisation, as `ScormPackage.items` stores it (`as_json`)."""

    identifier: str
    title: str
    depth: int                           # 0 for the organisation's own children
    is_sco: bool
    href: str | None                     # launch URL relative to the package root, None: a folder
    mastery_score: float | None = None           # 1.2, 0..100
    scaled_passing_score: float | None = None    # 2004, -1..1
    completion_threshold: float | None = None    # 2004, 0..1
    launch_data: str | None = None
    max_time_allowed: str | None = None
    time_limit_action: str | None = None
    required: bool = True
    resource: str | None = None          # identifier of its resource
    launch_file: str | None = None       # the archive member the href opens (decoded, no query)

    def as_json(self) -> dict:
        return {"identifier": self.identifier, "title": self.title, "depth": self.depth,
                "is_sco": self.is_sco, "href": self.href, "mastery_score": self.mastery_score,
                "scaled_passing_score": self.scaled_passing_score,
                "completion_threshold": self.completion_threshold, "launch_data": self.launch_data,
                "max_time_allowed": self.max_time_allowed, "time_limit_action": self.time_limit_action,
                "required": self.required}


@dataclass(frozen=True)
class Resource:
    identifier: str
    scorm_type: str                      # "sco" or "asset"
    href: str | None                     # resolved against xml:base
    files: tuple[str, ...] = ()          # archive members its <file> elements list (decoded)


@dataclass(frozen=True)
class Organization:
    identifier: str
    title: str


@dataclass(frozen=True)
class Manifest:
    version: str                         # "1.2", "2004-3", "2004-4" (ScormVersion values)
    identifier: str
    title: str
    organization: str                    # identifier of the organisation played
    organizations: tuple[Organization, ...]
    items: tuple[Item, ...]
    resources: tuple[Resource, ...]
    warnings: tuple[ManifestWarning, ...] = field(default=())

    @property
    def scos(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.is_sco)

    @property
    def launchable(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.href)

    @property
    def needs_required_rule(self) -> bool:
        """Some SCO does not count for completion: "all SCOs completed" would be stricter than
        the package means, so the lesson should use the "required" completion rule."""
        return any(not item.required for item in self.scos)


# --- XML helpers ---------------------------------------------------------------------------

def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1] if name.startswith("{") else name.split(":")[-1]


def _ns(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def _children(node: Element, local: str) -> list[Element]:
    wanted = local.lower()
    return [child for child in node if isinstance(child.tag, str) and _local(child.tag).lower() == wanted]


def _child(node: Element | None, local: str) -> Element | None:
    if node is None:
        return None
    found = _children(node, local)
    return found[0] if found else None


def _attr(node: Element | None, local: str) -> str | None:
    """An attribute by local name, whatever its namespace or case (adlcp:scormtype, scormType)."""
    if node is None:
        return None
    wanted = local.lower()
    for key, value in node.attrib.items():
        if key != XML_BASE and _local(key).lower() == wanted:
            return value.strip()
    return None


def _text(node: Element | None) -> str | None:
    if node is None:
        return None
    text = "".join(node.itertext()).strip()
    return text or None


def _title(node: Element) -> str:
    return re.sub(r"\s+", " ", _text(_child(node, "title")) or "")[:255]


# --- parse ------------------------------------------------------------------------------------

def parse_manifest(data: bytes) -> Manifest:
    """The manifest's model. Raises ScormPackageError (unsafe_manifest, invalid_manifest,
    unsupported_version, no_launchable_item, href_outside_package, external_href)."""
    root = _parse_xml(data)
    if _local(root.tag).lower() != "manifest":
        raise _invalid(_("The file %(path)s is not a SCORM manifest (its root element is not "
                         "<manifest>).") % {"path": MANIFEST})
    warnings: list[ManifestWarning] = []
    version = _version(root, warnings)
    base = _base("", root)
    resources_node = _child(root, "resources")
    resources = _resources(resources_node, _base(base, resources_node))
    by_id = {res.identifier: res for res in resources}
    collection = {node.get("ID"): node for seqs in _children(root, "sequencingCollection")
                  for node in _children(seqs, "sequencing") if node.get("ID")}
    organizations_node = _child(root, "organizations")
    organizations = _children(organizations_node, "organization") if organizations_node is not None else []
    org = _default_organization(organizations_node, organizations)
    if org is not None:
        items = tuple(_items(org, 0, version, by_id, collection))
    else:
        items = tuple(_items_from_resources(resources))
        if items:
            warnings.append(ManifestWarning("no_organization", _(
                "The manifest has no organisation: its SCOs are played in the order of its resources.")))
    if not any(item.href for item in items):
        raise ScormPackageError(e.NO_LAUNCHABLE_ITEM, _(
            "The manifest has no item that launches a page (no item refers to a resource with an "
            "href)."), MANIFEST)
    title = (_title(org) if org is not None else "") or root.get("identifier", "") or _("SCORM package")
    return Manifest(
        version=version, identifier=(root.get("identifier") or "")[:255], title=title[:255],
        organization=(org.get("identifier") or "")[:255] if org is not None else "",
        organizations=tuple(Organization(o.get("identifier") or "", _title(o)) for o in organizations),
        items=items, resources=tuple(resources), warnings=tuple(warnings))


def _parse_xml(data: bytes) -> Element:
    if len(data) > MAX_MANIFEST_BYTES:
        raise ScormPackageError(e.TOO_LARGE, _("The file %(path)s is too large.") % {"path": MANIFEST},
                                MANIFEST)
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ScormPackageError(e.UNSAFE_MANIFEST, _(
            "The file %(path)s declares a DTD, entities or external references, which SCORM "
            "manifests never need; it is refused for safety.") % {"path": MANIFEST}, MANIFEST) from exc
    except (ParseError, ValueError, RecursionError) as exc:
        raise _invalid(_("The file %(path)s is not well-formed XML: %(error)s")
                       % {"path": MANIFEST, "error": str(exc)[:200]}) from exc


def _invalid(message: str) -> ScormPackageError:
    return ScormPackageError(e.INVALID_MANIFEST, message, MANIFEST)


def _version(root: Element, warnings: list[ManifestWarning]) -> str:
    declared = _text(_child(_child(root, "metadata"), "schemaversion")) or ""
    normalised = re.sub(r"\s+", " ", declared).strip().lower()
    if normalised in ("1.2", "scorm 1.2"):
        return V12
    if "4th" in normalised:
        return V2004_4
    if "3rd" in normalised:
        return V2004_3
    if normalised in ("cam 1.3", "2004 2nd edition", "2004"):
        warnings.append(ManifestWarning("old_edition", _(
            "The manifest says SCORM %(version)s; it is played as SCORM 2004 3rd edition.")
            % {"version": declared}))
        return V2004_3
    if normalised in ("1.0", "1.1", "1.3"):
        raise ScormPackageError(e.UNSUPPORTED_VERSION, _(
            "The package is SCORM %(version)s; only SCORM 1.2 and 2004 are supported.")
            % {"version": declared}, MANIFEST)
    inferred = _infer_version(root)
    if declared:
        warnings.append(ManifestWarning("unknown_schemaversion", _(
            "The manifest's schemaversion \"%(declared)s\" is not one we know; the package is read "
            "as SCORM %(version)s from its namespaces.") % {"declared": declared[:50], "version": inferred}))
    else:
        warnings.append(ManifestWarning("no_schemaversion", _(
            "The manifest does not say its SCORM version; it is read as SCORM %(version)s from its "
            "namespaces.") % {"version": inferred}))
    return inferred


def _infer_version(root: Element) -> str:
    namespaces: set[str] = set()
    fourth = False
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        namespaces.add(_ns(node.tag))
        namespaces.update(_ns(key) for key in node.attrib)
        local = _local(node.tag)
        if local == "completionThreshold" and (_attr(node, "minProgressMeasure") is not None
                                               or _attr(node, "progressWeight") is not None):
            fourth = True
        if local in ("data", "map") and _ns(node.tag) == NS_2004[0]:
            fourth = True  # adlcp:data / adlcp:map (shared data) are 4th edition
    if any(ns in namespaces for ns in NS_2004):
        return V2004_4 if fourth else V2004_3
    return V12


def _default_organization(organizations_node: Element | None, organizations: list[Element]) -> Element | None:
    if not organizations:
        return None
    wanted = organizations_node.get("default") if organizations_node is not None else None
    for org in organizations:
        if wanted and org.get("identifier") == wanted:
            return org
    return organizations[0]


# --- hrefs ----------------------------------------------------------------------------------

def _base(parent: str, node: Element | None) -> str:
    """The xml:base in force below `node` (a folder path ending in "/", or "")."""
    if node is None:
        return parent
    own = node.get(XML_BASE)
    if not own:
        return parent
    own = own.strip()
    _check_reference(own)
    joined = _join(parent, own, own)
    return joined if joined.endswith("/") or not joined else joined + "/"


def _check_reference(href: str) -> None:
    if href.startswith("//") or _SCHEME.match(href):
        raise ScormPackageError(e.EXTERNAL_HREF, _(
            "The manifest points to %(href)s, outside the package; every page and file must be in the "
            "zip.") % {"href": href}, href)
    if href.startswith(("/", "\\")):
        raise _outside(href)


def _outside(href: str) -> ScormPackageError:
    return ScormPackageError(e.HREF_OUTSIDE_PACKAGE, _(
        "The manifest points to %(href)s, which is outside the package's folder.") % {"href": href}, href)


def _join(base: str, relative: str, original: str) -> str:
    """`relative` resolved against the folder `base`; a `..` above the package root is refused."""
    parts: list[str] = [p for p in base.split("/") if p]
    pieces = relative.replace("\\", "/").split("/")
    for piece in pieces:
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                raise _outside(original)
            parts.pop()
            continue
        parts.append(piece)
    trailing = "/" if relative.endswith("/") and parts else ""
    return "/".join(parts) + trailing


def resolve_href(base: str, href: str) -> tuple[str, str]:
    """(href relative to the package root with its query and fragment, the archive member it
    opens: decoded, without query or fragment)."""
    href = href.strip()
    _check_reference(href)
    match = re.search(r"[?#]", href)
    path, tail = (href[:match.start()], href[match.start():]) if match else (href, "")
    resolved = _join(base, path, href)
    member = unquote(resolved)
    if not member or member.endswith("/"):
        raise ScormPackageError(e.MISSING_LAUNCH_FILE, _(
            "The manifest's href %(href)s names a folder, not a file.") % {"href": href}, href)
    return resolved + tail, posixpath.normpath(member)


def join_parameters(href: str, parameters: str | None) -> str:
    """An item's `parameters` added to its resource's href (SCORM CAM, "parameters"): leading
    '?' and '&' dropped; a fragment is added only if the href has none; then '&' or '?'."""
    if not parameters:
        return href
    parameters = parameters.strip().lstrip("?&")
    if not parameters:
        return href
    if parameters.startswith("#"):
        return href if "#" in href else href + parameters
    if "#" in href:
        head, fragment = href.split("#", 1)
        return f"{head}{'&' if '?' in head else '?'}{parameters}#{fragment}"
    return f"{href}{'&' if '?' in href else '?'}{parameters}"


# --- resources and items ------------------------------------------------------------------------

def _resources(node: Element | None, base: str) -> list[Resource]:
    if node is None:
        return []
    found = []
    for res in _children(node, "resource"):
        res_base = _base(base, res)
        href = res.get("href")
        files = []
        for file_node in _children(res, "file"):
            file_href = file_node.get("href")
            if file_href:
                files.append(resolve_href(res_base, file_href)[1])
        found.append(Resource(
            identifier=res.get("identifier") or "",
            scorm_type=(_attr(res, "scormtype") or "asset").lower(),
            href=resolve_href(res_base, href)[0] if href and href.strip() else None,
            files=tuple(files)))
    return found


def _number(value: str | None, low: float, high: float) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if low <= number <= high else None


def _sequencing_part(item: Element, local: str, collection: dict[str, Element]) -> Element | None:
    """A child of the item's <imsss:sequencing>, else of the collection entry it refers to."""
    seq = _child(item, "sequencing")
    if seq is None:
        return None
    own = _child(seq, local)
    if own is not None:
        return own
    shared = collection.get(seq.get("IDRef") or "")
    return _child(shared, local)


def _items(parent: Element, depth: int, version: str, resources: dict[str, Resource],
           collection: dict[str, Element]):
    if depth > MAX_DEPTH:
        raise _invalid(_("The manifest's items are nested too deeply."))
    for node in _children(parent, "item"):
        identifier = (node.get("identifier") or "")[:255]
        ref = node.get("identifierref")
        resource = None
        if ref:
            resource = resources.get(ref)
            if resource is None:
                raise _invalid(_("The item %(item)s refers to the resource %(resource)s, which the "
                                 "manifest does not define.") % {"item": identifier, "resource": ref})
        href = None
        launch_file = None
        if resource is not None and resource.href:
            href = join_parameters(resource.href, node.get("parameters"))
            launch_file = _member_of(resource.href)
        yield _item(node, identifier, depth, version, resource, href, launch_file, collection)
        yield from _items(node, depth + 1, version, resources, collection)


def _member_of(href: str) -> str:
    return posixpath.normpath(unquote(re.split(r"[?#]", href, maxsplit=1)[0]))


def _item(node: Element, identifier: str, depth: int, version: str, resource: Resource | None,
          href: str | None, launch_file: str | None, collection: dict[str, Element]) -> Item:
    is_sco = resource is not None and resource.scorm_type == "sco" and bool(href)
    values: dict = {}
    if version == V12:
        values["mastery_score"] = _number(_text(_child(node, "masteryscore")), 0, 100)
        values["launch_data"] = _text(_child(node, "datafromlms"))
        values["max_time_allowed"] = _text(_child(node, "maxtimeallowed"))
        values["time_limit_action"] = _text(_child(node, "timelimitaction"))
    else:
        values["launch_data"] = _text(_child(node, "dataFromLMS"))
        values["time_limit_action"] = _text(_child(node, "timeLimitAction"))
        limits = _sequencing_part(node, "limitConditions", collection)
        values["max_time_allowed"] = _attr(limits, "attemptAbsoluteDurationLimit")
        values["completion_threshold"] = _completion_threshold(_child(node, "completionThreshold"))
        values["scaled_passing_score"] = _scaled_passing_score(
            _sequencing_part(node, "objectives", collection))
        rollup = _sequencing_part(node, "rollupRules", collection)
        delivery = _sequencing_part(node, "deliveryControls", collection)
        not_rolled_up = rollup is not None and all(
            (_attr(rollup, name) or "").lower() == "false"
            for name in ("rollupObjectiveSatisfied", "rollupProgressCompletion"))
        untracked = delivery is not None and (_attr(delivery, "tracked") or "").lower() == "false"
        values["required"] = not (not_rolled_up or untracked)
    return Item(identifier=identifier, title=_title(node) or identifier, depth=depth, is_sco=is_sco,
                href=href, resource=resource.identifier if resource else None,
                launch_file=launch_file, **values)


def _completion_threshold(node: Element | None) -> float | None:
    if node is None:
        return None
    measure = _attr(node, "minProgressMeasure")  # 4th edition
    if measure is not None:
        return _number(measure, 0, 1)
    text = _text(node)  # 3rd edition
    if text is not None:
        return _number(text, 0, 1)
    if (_attr(node, "completedByMeasure") or "").lower() == "true":
        return 1.0  # minProgressMeasure defaults to 1.0
    return None


def _scaled_passing_score(objectives: Element | None) -> float | None:
    primary = _child(objectives, "primaryObjective")
    if primary is None or (_attr(primary, "satisfiedByMeasure") or "").lower() != "true":
        return None
    measure = _child(primary, "minNormalizedMeasure")
    if measure is None:
        return 1.0  # the schema's default
    return _number(_text(measure), -1, 1)


def _items_from_resources(resources: list[Resource]):
    for res in resources:
        if res.scorm_type == "sco" and res.href:
            yield Item(identifier=res.identifier, title=res.identifier, depth=0, is_sco=True, href=res.href,
                       resource=res.identifier, launch_file=_member_of(res.href))
