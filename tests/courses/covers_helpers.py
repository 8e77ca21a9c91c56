"""Pictures for cover tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def picture(fmt="PNG", size=(1200, 900), name="anh.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")
