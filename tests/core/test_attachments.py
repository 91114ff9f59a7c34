"""Attachments: checked by content, size-limited, stored without metadata."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

from lidzdaliba.core.models import Attachment, AuditEvent
from lidzdaliba.core.services.attachments import (
    AttachmentRejected,
    attachment_add,
    attachment_remove,
    attachments_of,
)

pytestmark = pytest.mark.django_db

RED = (255, 0, 0)
BLUE = (0, 0, 255)


def photo_with_metadata(fmt="JPEG", orientation=6):
    """A 200 × 100 photo, red on the left and blue on the right, that a camera in
    portrait position would have written: EXIF orientation, GPS position, an ICC profile."""
    image = Image.new("RGB", (200, 100), RED)
    image.paste(BLUE, (100, 0, 200, 100))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (56.0, 30.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (21.0, 0.0, 36.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes(), icc_profile=icc)
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_header_only(width, height):
    """A tiny PNG file that claims to be ``width`` × ``height`` pixels."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_a_photo_is_stored_without_exif_gps_or_icc(resident, neighbourhood):
    # given
    data = photo_with_metadata()
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "icc_profile" in original.info
    # when
    attachment = attachment_add(
        actor=resident, target=neighbourhood, upload=upload(data), alt_text="Bedre in the pavement"
    )
    # then
    for field in (attachment.file, attachment.thumbnail):
        with field.open("rb") as fh:
            content = fh.read()
        with Image.open(io.BytesIO(content)) as stored:
            assert stored.format == "JPEG"
            assert dict(stored.getexif()) == {}
            assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
            assert "exif" not in stored.info
            assert "icc_profile" not in stored.info
        assert b"Exif" not in content
        assert b"PhoneMaker" not in content
    assert attachment.alt_text == "Bedre in the pavement"
    assert attachment.mime_type == "image/jpeg"
    assert attachment.kind == Attachment.Kind.IMAGE


def test_the_exif_orientation_is_applied_before_it_is_dropped(resident, neighbourhood):
    # given: orientation 6 means "turn 90° clockwise to show"
    data = photo_with_metadata(orientation=6)
    # when
    attachment = attachment_add(actor=resident, target=neighbourhood, upload=upload(data))
    # then: the wide photo is now tall, with its left (red) half on top
    assert (attachment.width, attachment.height) == (100, 200)
    with attachment.file.open("rb") as fh, Image.open(fh) as stored:
        assert stored.size == (100, 200)
        top = stored.getpixel((50, 20))
        bottom = stored.getpixel((50, 180))
    assert top[0] > 200 > top[2] + 100
    assert bottom[2] > 200 > bottom[0] + 100


@pytest.mark.parametrize(
    ("fmt", "name", "mime"), [("PNG", "a.png", "image/png"), ("WEBP", "a.webp", "image/webp")]
)
def test_png_and_webp_are_stored_clean_too(resident, neighbourhood, fmt, name, mime):
    # when
    attachment = attachment_add(
        actor=resident, target=neighbourhood, upload=upload(photo_with_metadata(fmt), name=name)
    )
    # then
    assert attachment.mime_type == mime
    with attachment.file.open("rb") as fh, Image.open(fh) as stored:
        assert dict(stored.getexif()) == {}
        assert "icc_profile" not in stored.info
        assert stored.size == (100, 200)


def test_the_thumbnail_fits_400_pixels(resident, neighbourhood):
    # given
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), BLUE).save(buffer, "JPEG")
    # when
    attachment = attachment_add(
        actor=resident, target=neighbourhood, upload=upload(buffer.getvalue())
    )
    # then
    with attachment.thumbnail.open("rb") as fh, Image.open(fh) as thumb:
        assert thumb.size == (400, 225)
    assert (attachment.width, attachment.height) == (1600, 900)


def test_the_sha256_is_that_of_the_stored_file(resident, neighbourhood):
    import hashlib

    attachment = attachment_add(
        actor=resident, target=neighbourhood, upload=upload(photo_with_metadata())
    )
    with attachment.file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == attachment.sha256
    assert attachment.size == attachment.file.size


def test_a_pdf_is_recognised_by_its_content_whatever_its_name(resident, neighbourhood):
    # given
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    # when
    attachment = attachment_add(
        actor=resident, target=neighbourhood, upload=upload(pdf, name="scan.jpg")
    )
    # then
    assert attachment.kind == Attachment.Kind.PDF
    assert attachment.mime_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf")
    assert attachment.original_name == "scan.jpg"
    assert not attachment.thumbnail
    assert list(attachments_of(target=neighbourhood)) == [attachment]
    assert AuditEvent.objects.filter(verb="attachment.added").count() == 1


@pytest.mark.parametrize(
    ("_case", "data", "name", "message"),
    [
        ("text renamed .jpg", b"Just some text, not a photo at all.", "photo.jpg", "neither"),
        ("HTML renamed .png", b"<html><script>alert(1)</script></html>", "x.png", "neither"),
        ("GIF is not accepted", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "x.gif", "neither"),
        ("truncated PDF", b"%PDF-1.4\n1 0 obj\n", "doc.pdf", "PDF"),
        ("empty file", b"", "empty.jpg", "empty"),
        ("decompression bomb", png_header_only(100_000, 100_000), "bomb.png", "megapixels"),
    ],
)
def test_unacceptable_files_are_refused_and_nothing_is_stored(
    resident, neighbourhood, media_root, _case, data, name, message
):
    # when / then
    with pytest.raises(AttachmentRejected) as exc:
        attachment_add(actor=resident, target=neighbourhood, upload=upload(data, name=name))
    assert message in exc.value.message
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []
    assert not AuditEvent.objects.filter(verb="attachment.added").exists()


def test_a_damaged_image_is_refused(resident, neighbourhood, media_root):
    data = photo_with_metadata()[:400]
    with pytest.raises(AttachmentRejected) as exc:
        attachment_add(actor=resident, target=neighbourhood, upload=upload(data))
    assert "damaged" in exc.value.message
    assert stored_files(media_root) == []


def test_an_image_over_the_pixel_limit_is_refused(settings, resident, neighbourhood, media_root):
    # given
    settings.ATTACHMENT_MAX_PIXELS = 10_000
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), RED).save(buffer, "PNG")
    # when / then
    with pytest.raises(AttachmentRejected):
        attachment_add(actor=resident, target=neighbourhood, upload=upload(buffer.getvalue()))
    assert Attachment.objects.count() == 0


def test_an_oversized_file_is_refused_with_the_limit_in_the_message(
    settings, resident, neighbourhood, media_root
):
    # given
    settings.ATTACHMENT_MAX_BYTES = 1000
    data = photo_with_metadata()
    assert len(data) > 1000
    # when / then
    with pytest.raises(AttachmentRejected) as exc:
        attachment_add(actor=resident, target=neighbourhood, upload=upload(data))
    assert "1000" in exc.value.message
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_anonymous_people_cannot_attach(anonymous, neighbourhood):
    with pytest.raises(PermissionDenied):
        attachment_add(actor=anonymous, target=neighbourhood, upload=upload(photo_with_metadata()))
    assert Attachment.objects.count() == 0


def test_only_the_uploader_or_a_moderator_removes(
    resident, verified_resident, moderator, neighbourhood, django_capture_on_commit_callbacks
):
    # given
    attachment = attachment_add(
        actor=resident, target=neighbourhood, upload=upload(photo_with_metadata())
    )
    path = attachment.file.path
    # when another resident tries / then refused
    with pytest.raises(PermissionDenied):
        attachment_remove(actor=verified_resident, attachment=attachment)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    # when a moderator removes it
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(actor=moderator, attachment=attachment)
    # then
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    import os

    assert not os.path.exists(path)
    assert AuditEvent.objects.filter(verb="attachment.removed", actor=moderator).exists()


def test_the_attachments_fragment_shows_thumbnails_with_their_description(resident, neighbourhood):
    # given
    from django.template import Context, Template

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), BLUE).save(buffer, "JPEG")
    photo = attachment_add(
        actor=resident, target=neighbourhood, upload=upload(buffer.getvalue()), alt_text="Bedre"
    )
    pdf = b"%PDF-1.4\ntrailer\n%%EOF\n"
    attachment_add(actor=resident, target=neighbourhood, upload=upload(pdf, name="plans.pdf"))
    # when
    html = Template("{% load core_attachments %}{% attachments_list obj %}").render(
        Context({"obj": neighbourhood})
    )
    # then
    assert f'src="{photo.thumbnail.url}" width="400" height="300"' in html
    assert 'alt="Bedre"' in html
    assert ">plans.pdf</a>" in html


def test_the_form_refuses_an_oversized_file_before_the_service_runs(settings):
    from lidzdaliba.core.forms import AttachmentForm

    settings.ATTACHMENT_MAX_BYTES = 10
    form = AttachmentForm(data={}, files={"file": upload(b"x" * 11, name="a.pdf")})
    assert not form.is_valid()
    assert "too large" in form.errors["file"][0]


def test_modules_that_accept_anonymous_submissions_may_store_their_files(anonymous, neighbourhood):
    # given a file checked once by the module
    from lidzdaliba.core.services.attachments import attachment_check

    photo = upload(photo_with_metadata())
    checked = attachment_check(upload=photo)
    # when
    attachment = attachment_add(
        actor=anonymous, target=neighbourhood, upload=photo, checked=checked, allow_anonymous=True
    )
    # then
    assert attachment.uploaded_by is None
    with attachment.file.open("rb") as fh, Image.open(fh) as stored:
        assert dict(stored.getexif()) == {}
    event = AuditEvent.objects.get(verb="attachment.added")
    assert event.actor is None
    assert event.data["uploaded_by"] == "anonymous"
