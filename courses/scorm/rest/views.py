"""REST views of SCORM lessons: the package (upload, read, remove) and the CMI runtime data."""

from courses.scorm.rest.cmi_views import CmiView
from courses.scorm.rest.package_views import PackageView

__all__ = ["CmiView", "PackageView"]
