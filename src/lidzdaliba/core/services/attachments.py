"""Attachments: images and PDFs checked by their content, stored without metadata."""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lidzdaliba.core.models import Attachment

from .audit import audit_record

THUMBNAIL_SIZE = (400, 400)
# Pillow's own bomb limit is ~89 Mpx; a phone photo is 12-50 Mpx.
DEFAULT_MAX_PIXELS = 60_000_000
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PDF_MAGIC = b"%PDF-"


class AttachmentRejected(ValueError):
    """The file was refused and nothing was stored; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class CheckedFile:
    """A file that passed :func:`attachment_check`: what will be stored, already clean."""

    kind: str
    mime_type: str
    data: bytes
    extension: str
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None


def _max_pixels() -> int:
    return getattr(settings, "ATTACHMENT_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def _read(upload: Any) -> bytes:
    limit = settings.ATTACHMENT_MAX_BYTES
    too_large = AttachmentRejected(
        _("The file is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)}
    )
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise AttachmentRejected(_("The file is empty."))
    return data


def _not_supported() -> AttachmentRejected:
    return AttachmentRejected(
        _(
            "Only photos (JPEG, PNG or WebP) and PDF documents can be attached, and this file "
            "is neither, whatever its name says."
        )
    )


def _check_pdf(data: bytes) -> CheckedFile:
    if b"%%EOF" not in data[-2048:]:
        raise AttachmentRejected(_("The PDF document is incomplete or damaged."))
    return CheckedFile(
        kind=Attachment.Kind.PDF, mime_type="application/pdf", data=data, extension="pdf"
    )


def _encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    """Encode ``image`` with nothing but its pixels: no EXIF, GPS, XMP, ICC or text."""
    clean = image.copy()
    clean.info = {}
    buffer = io.BytesIO()
    if fmt == "JPEG":
        clean.save(buffer, "JPEG", quality=85, optimize=True, **options)
    elif fmt == "WEBP":
        clean.save(buffer, "WEBP", quality=85, **options)
    else:
        clean.save(buffer, "PNG", optimize=True, **options)
    return buffer.getvalue()


def _check_image(data: bytes) -> CheckedFile:
    max_pixels = _max_pixels()
    bomb = AttachmentRejected(
        _("The image has too many pixels: the limit is %(megapixels)d megapixels.")
        % {"megapixels": max_pixels // 1_000_000}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            fmt = image.format
            if fmt not in IMAGE_FORMATS:
                raise _not_supported()
            width, height = image.size
            if width * height > max_pixels:
                raise bomb
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise bomb from exc
    except UnidentifiedImageError as exc:
        raise _not_supported() from exc
    except (OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, AttachmentRejected):
            raise
        raise AttachmentRejected(_("The image could not be read: it may be damaged.")) from exc

    # Turn the pixels the way the camera meant, then drop the tag with everything else.
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    stored = _encode(image, fmt)
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    return CheckedFile(
        kind=Attachment.Kind.IMAGE,
        mime_type=IMAGE_FORMATS[fmt],
        data=stored,
        extension=EXTENSIONS[fmt],
        thumbnail=_encode(thumb, fmt),
        width=image.width,
        height=image.height,
    )


def attachment_check(*, upload: Any) -> CheckedFile:
    """Read and check a file without storing anything.

    The type is decided by the content (the PDF signature, or Pillow opening the image),
    never by the name. Raises :class:`AttachmentRejected` for a file that is too large,
    empty, of another type, damaged, or an image with too many pixels (a decompression
    bomb).
    """
    data = _read(upload)
    if data.startswith(PDF_MAGIC):
        return _check_pdf(data)
    return _check_image(data)


def attachment_add(
    *,
    actor: Any,
    target: models.Model,
    upload: Any,
    alt_text: str = "",
    municipality: Any = None,
    checked: CheckedFile | None = None,
    allow_anonymous: bool = False,
) -> Attachment:
    """Attach an uploaded image or PDF to ``target``.

    Images are re-encoded after applying their EXIF orientation, so the stored file and its
    thumbnail (at most 400 × 400 px) carry no EXIF, GPS or ICC metadata. Pass ``checked``
    (the result of :func:`attachment_check` on the same upload) to skip checking twice.
    Raises :class:`PermissionDenied` for an anonymous ``actor`` unless the module accepts
    anonymous submissions (``allow_anonymous=True``, e.g. Open311 reports; the uploader then
    stays empty), and :class:`AttachmentRejected` (nothing stored) for an unacceptable file.
    Whether ``actor`` may attach files to ``target`` at all is for the calling module to
    decide first.
    """
    signed_in = getattr(actor, "is_authenticated", False)
    if not signed_in and not allow_anonymous:
        raise PermissionDenied(_("Log in to attach files."))
    if checked is None:
        checked = attachment_check(upload=upload)
    name = uuid.uuid4().hex
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        municipality=municipality or getattr(target, "municipality", None),
        kind=checked.kind,
        original_name=get_valid_filename(getattr(upload, "name", "") or "file")[:255],
        mime_type=checked.mime_type,
        size=len(checked.data),
        width=checked.width,
        height=checked.height,
        sha256=hashlib.sha256(checked.data).hexdigest(),
        alt_text=(alt_text or "").strip()[:300],
        uploaded_by=actor if signed_in else None,
    )
    attachment.file.save(f"{name}.{checked.extension}", ContentFile(checked.data), save=False)
    if checked.thumbnail is not None:
        attachment.thumbnail.save(
            f"{name}.{checked.extension}", ContentFile(checked.thumbnail), save=False
        )
    try:
        with transaction.atomic():
            attachment.save()
            audit_record(
                actor=actor,
                verb="attachment.added",
                target=target,
                municipality=attachment.municipality,
                data={
                    "attachment": attachment.pk,
                    "name": attachment.original_name,
                    "sha256": attachment.sha256,
                    **({} if signed_in else {"uploaded_by": "anonymous"}),
                },
            )
    except Exception:
        _delete_files(attachment)
        raise
    return attachment


def _delete_files(attachment: Attachment) -> None:
    for field in (attachment.file, attachment.thumbnail):
        if field:
            field.storage.delete(field.name)


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    """Remove an attachment and its files. Allowed to the uploader and to moderators;
    others get :class:`PermissionDenied`."""
    is_uploader = getattr(actor, "pk", None) is not None and actor.pk == attachment.uploaded_by_id
    if not (is_uploader or (actor and actor.has_perm("core.moderate_comment"))):
        raise PermissionDenied(_("You may not remove this file."))
    audit_record(
        actor=actor,
        verb="attachment.removed",
        target=attachment.content_object,
        municipality=attachment.municipality,
        data={"attachment": attachment.pk, "name": attachment.original_name},
    )
    transaction.on_commit(lambda: _delete_files(attachment))
    attachment.delete()


def attachments_of(*, target: models.Model) -> models.QuerySet[Attachment]:
    """The attachments of ``target``, oldest first (a read shared by modules)."""
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    )
